"""API tokens expire and can be revoked by their owner and by an administrator."""

import datetime as dt

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from congress.roles import Role
from congress.security.models import ApiToken
from tests import factories as f
from tests.security.login_helpers import START, token

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    with time_machine.travel(START, tick=False):
        return f.UserFactory(username="wangwu", role=Role.STAFF)


def me(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get("/api/v1/me/")


@override_settings(API_TOKEN_TTL_DAYS=30)
def test_token_expires_after_the_setting(person):
    with time_machine.travel(START + dt.timedelta(days=1), tick=False) as clock:
        resp = token(APIClient(), "wangwu")
        assert resp.status_code == 200
        key = resp.json()["token"]
        assert resp.json()["expires_at"].startswith("2026-04-02")
        assert me(key).status_code == 200
        clock.shift(dt.timedelta(days=29, hours=23))
        assert me(key).status_code == 200
        clock.shift(dt.timedelta(hours=2))
        resp = me(key)
        assert resp.status_code == 401
        assert "已过期" in resp.json()["detail"]


def test_owner_revokes_from_the_tokens_page(person):
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        key = token(APIClient(), "wangwu").json()["token"]
        web = Client()
        web.force_login(person)
        page = web.get(reverse("security:tokens")).content.decode()
        row = ApiToken.objects.get(key=key)
        assert row.masked in page and key not in page  # never shown again in full
        assert web.post(reverse("security:tokens"), {"id": row.pk}).status_code == 302
        assert me(key).status_code == 401
        assert "已吊销" in web.get(reverse("security:tokens")).content.decode()


def test_nobody_revokes_another_persons_token(person, other_staff_user):
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        key = token(APIClient(), "wangwu").json()["token"]
        web = Client()
        web.force_login(other_staff_user)
        resp = web.post(reverse("security:tokens"), {"id": ApiToken.objects.get(key=key).pk})
        assert resp.status_code == 404
        assert me(key).status_code == 200


def test_administrator_revokes_in_the_admin(person, admin_user):
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        key = token(APIClient(), "wangwu").json()["token"]
        web = Client()
        web.force_login(admin_user)
        row = ApiToken.objects.get(key=key)
        resp = web.post(reverse("admin:security_apitoken_changelist"),
                        {"action": "revoke", "_selected_action": [row.pk]})
        assert resp.status_code == 302
        assert me(key).status_code == 401


def test_each_request_for_a_token_gets_its_own(person):
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        first = token(APIClient(), "wangwu").json()["token"]
        second = token(APIClient(), "wangwu").json()["token"]
    assert first != second
    assert ApiToken.objects.filter(user=person).count() == 2


def test_missing_fields_answer_400_with_field_errors(person):
    resp = APIClient().post("/api/v1/auth/token/", {"username": "wangwu"}, format="json")
    assert resp.status_code == 400 and "password" in resp.json()
