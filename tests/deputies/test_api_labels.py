"""API lists give each choice's label in the reader's language, as the pages do."""

import pytest
from django.conf import settings
from django.utils import translation

from deputies.choices import AssignmentStatus
from deputies.choices import SuggestionStatus as S

pytestmark = pytest.mark.django_db


def test_status_labels_follow_the_language_and_match_the_model(world, users, api_client):
    world.suggestion(S.IN_PROGRESS)
    world.suggestion(S.CLOSED)
    api = api_client(users["office"])
    for language, in_progress in (("zh-hans", "办理中"), ("en", "In progress")):
        api.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # the user menu's language switch
        with translation.override(language):
            rows = api.get("/api/v1/deputies/suggestions/").json()["results"]
            by_status = {r["status"]: r for r in rows}
            assert by_status["in_progress"]["status_display"] == in_progress
            assert by_status["closed"]["status_display"] == str(S.CLOSED.label)
            detail = api.get(f"/api/v1/deputies/suggestions/{by_status['in_progress']['id']}/").json()
            a = detail["assignments"][0]
            assert a["status_display"] == str(AssignmentStatus(a["status"]).label) != a["status"]
