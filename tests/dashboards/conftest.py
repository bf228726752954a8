import pytest

from congress.roles import Role
from tests import factories as f


@pytest.fixture
def secretary_general(db):
    return f.UserFactory(username="secgen", name="周秘书长", role=Role.SECRETARY_GENERAL)


@pytest.fixture
def leader_client(director, api_client):
    return api_client(director)
