"""Fixtures of the core's tests."""

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language():
    # A request in English (the language switch) leaves its language active in the test
    # thread; code running outside a request afterwards must see the installation default.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
