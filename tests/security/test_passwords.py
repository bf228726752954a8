"""Password rules: 3 of 4 classes, not the username, not a recent one, changed every 90 days."""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from congress.roles import Role
from congress.security.models import DemoAccount
from tests import factories as f
from tests.security.login_helpers import START, login

pytestmark = pytest.mark.django_db
URL = "/accounts/password/"


@pytest.fixture
def person(db):
    with time_machine.travel(START, tick=False):
        return f.UserFactory(username="lisi", role=Role.STAFF)


def change(client, new, old=f.PASSWORD):
    return client.post(URL, {"old_password": old, "new_password1": new, "new_password2": new})


def errors(resp):
    return resp.content.decode()


@pytest.mark.parametrize(
    "candidate, accepted",
    [
        ("abcdefgh1", False),   # 2 classes
        ("ABCDEFG12", False),   # 2 classes
        ("Abc1!", False),       # 4 classes but too short
        ("Abcdefg12", True),    # upper, lower, digit
        ("abcdef1#x", True),    # lower, digit, symbol
        ("ABCDEF#%1", True),    # upper, symbol, digit
    ],
)
def test_three_of_four_classes_and_eight_characters(client, person, candidate, accepted):
    client.force_login(person)
    resp = change(client, candidate)
    if accepted:
        assert resp.status_code == 302
    else:
        assert resp.status_code == 200
        assert "至少 8 位" in errors(resp) and "至少 3 类" in errors(resp)


def test_password_may_not_contain_the_username(client, person):
    client.force_login(person)
    resp = change(client, "X-Lisi-2026")
    assert resp.status_code == 200 and "不能包含用户名" in errors(resp)


def test_history_refuses_the_last_five(client, person):
    client.force_login(person)
    used = [f"Qwer#{i}xyz" for i in range(5)]
    old = f.PASSWORD
    for pw in used:
        assert change(client, pw, old=old).status_code == 302
        old = pw
    # the original password is now six back: allowed again; the last five are not
    for pw in used[:-1]:
        resp = change(client, pw, old=old)
        assert resp.status_code == 200 and "不能使用最近 5 次用过的密码" in errors(resp)
    assert change(client, f.PASSWORD, old=old).status_code == 302


def test_wrong_old_password_is_refused(client, person):
    client.force_login(person)
    resp = change(client, "Brand#New1", old="nope")
    assert resp.status_code == 200 and "原密码不正确" in errors(resp)


def test_expired_password_forces_the_change_page_at_next_login(client, person):
    with time_machine.travel(START + dt.timedelta(days=91), tick=False):
        resp = login(client, "lisi")
        assert resp.status_code == 302
        home = client.get("/")
        assert home.status_code == 302 and home.url.startswith(URL)
        page = client.get(home.url)
        assert "您的密码已到期" in page.content.decode()
        # the API says why, with 403
        api = client.get("/api/v1/me/")
        assert api.status_code == 403 and api.json()["code"] == "password_expired"
        assert change(client, "Fresh#Pass9").status_code == 302
        assert client.get("/").status_code == 200


def test_password_within_90_days_is_not_forced(client, person):
    with time_machine.travel(START + dt.timedelta(days=89), tick=False):
        login(client, "lisi")
        assert client.get("/").status_code == 200


def test_expired_password_refuses_a_new_token(person):
    from rest_framework.test import APIClient

    from tests.security.login_helpers import token

    with time_machine.travel(START + dt.timedelta(days=91), tick=False):
        resp = token(APIClient(), "lisi")
    assert resp.status_code == 403 and resp.json()["code"] == "password_expired"


@pytest.mark.parametrize("demo_mode, forced", [(True, False), (False, True)])
def test_demo_accounts_are_exempt_only_in_demo_mode(client, person, demo_mode, forced):
    DemoAccount.objects.create(user=person)
    with override_settings(DEMO_MODE=demo_mode), time_machine.travel(START + dt.timedelta(days=200), tick=False):
        login(client, "lisi")
        resp = client.get("/")
    assert (resp.status_code == 302 and resp.url.startswith(URL)) == forced


def test_change_page_is_in_the_user_menu(client, person):
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        client.force_login(person)
        html = client.get(reverse("home")).content.decode()
    assert f'href="{URL}"' in html and "修改密码" in html
