"""Lockout and idle sign-out, through the real login page, admin login and token endpoint."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from congress.roles import Role
from tests import factories as f
from tests.security.login_helpers import START, login, token

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def person(db):
    return f.UserFactory(username="zhangsan", role=Role.STAFF)


def test_fourth_failure_still_allowed_fifth_locks_for_30_minutes(client, person, clock):
    for _ in range(4):
        resp = login(client, "zhangsan", "wrong-Pass1")
        assert resp.status_code == 200
        assert "用户名或密码不正确" in resp.content.decode()
    # The 4th failure did not lock: the right password still works ...
    assert login(client, "zhangsan").status_code == 302
    client.logout()
    # ... and a success does not clear the count: the 5th failure locks
    resp = login(client, "zhangsan", "wrong-Pass1")
    assert resp.status_code == 403
    text = resp.content.decode()
    assert "已被锁定" in text and "30 分钟后再试" in text
    # While locked, even the right password is refused, with the minutes left
    clock.shift(dt.timedelta(minutes=12))
    resp = login(client, "zhangsan")
    assert resp.status_code == 403 and "分钟后再试" in resp.content.decode()
    assert "_auth_user_id" not in client.session
    # 30 minutes after the last attempt the lock lifts by itself
    clock.shift(dt.timedelta(minutes=31))
    resp = login(client, "zhangsan")
    assert resp.status_code == 302 and resp.url == "/"


def test_lock_message_counts_down_the_minutes(client, person, clock):
    for _ in range(5):
        login(client, "zhangsan", "wrong-Pass1")
    clock.shift(dt.timedelta(minutes=20, seconds=30))
    # Looking is not another attempt: the page states what is left of the 30 minutes
    from django.test import RequestFactory

    from congress.security.lockout import minutes_left

    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="127.0.0.1")
    assert minutes_left(request, {"username": "zhangsan"}) == 10


def test_one_address_cannot_rotate_accounts(client, clock):
    for i in range(5):
        f.UserFactory(username=f"victim{i}")
    for i in range(4):
        assert login(client, f"victim{i}", "wrong-Pass1").status_code == 200
    f.UserFactory(username="mine")
    # a success on the attacker's own account in between resets nothing
    assert login(client, "mine").status_code == 302
    client.logout()
    assert login(client, "victim4", "wrong-Pass1").status_code == 403
    # the address is locked for every account, also one never tried
    assert login(client, "mine").status_code == 403


def test_account_locked_from_another_address(client, person, clock):
    for i in range(5):
        login(client, "zhangsan", "wrong-Pass1", REMOTE_ADDR=f"10.0.0.{i + 1}")
    assert login(client, "zhangsan", REMOTE_ADDR="10.0.9.9").status_code == 403


def test_token_endpoint_locks_alike(person, clock):
    api = APIClient()
    for _ in range(4):
        assert token(api, "zhangsan", "wrong-Pass1").status_code == 400
    resp = token(api, "zhangsan", "wrong-Pass1")
    assert resp.status_code == 403
    assert resp.json()["code"] == "locked_out" and resp.json()["minutes"] == 30
    assert "30 分钟后再试" in resp.json()["detail"]
    assert token(api, "zhangsan").status_code == 403
    # and the lock holds on the login page too
    assert login(Client(), "zhangsan").status_code == 403


def test_admin_login_locks_alike(client, clock):
    f.UserFactory(username="root", role=Role.ADMIN, is_staff=True, is_superuser=True)
    for _ in range(4):
        resp = client.post("/admin/login/", {"username": "root", "password": "wrong-Pass1"})
        assert resp.status_code == 200
    resp = client.post("/admin/login/", {"username": "root", "password": "wrong-Pass1"})
    assert resp.status_code == 403 and "已被锁定" in resp.content.decode()


def test_administrator_unlocks_in_the_admin(client, person, clock, admin_user):
    for _ in range(5):
        login(client, "zhangsan", "wrong-Pass1")
    assert login(client, "zhangsan").status_code == 403
    admin = Client()
    admin.force_login(admin_user)
    changelist = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200 and "zhangsan" in changelist.content.decode()
    ids = list(AccessAttempt.objects.values_list("pk", flat=True))
    resp = admin.post(reverse("admin:axes_accessattempt_changelist"),
                      {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert resp.status_code == 302
    assert login(client, "zhangsan").status_code == 302


def test_axes_reset_username_command_unlocks(client, person, clock):
    for _ in range(5):
        login(client, "zhangsan", "wrong-Pass1", REMOTE_ADDR="10.1.1.1")
    assert login(client, "zhangsan", REMOTE_ADDR="10.2.2.2").status_code == 403
    call_command("axes_reset_username", "zhangsan")
    assert login(client, "zhangsan", REMOTE_ADDR="10.2.2.2").status_code == 302


# --- idle sign-out -----------------------------------------------------------------------


def test_idle_30_minutes_signs_out_and_activity_keeps_the_session(client, person, clock):
    assert login(client, "zhangsan").status_code == 302
    # activity every 20 minutes keeps the person signed in
    for _ in range(3):
        clock.shift(dt.timedelta(minutes=20))
        assert client.get("/").status_code == 200
    # background checks (the page's own polling) are not activity
    clock.shift(dt.timedelta(minutes=20))
    resp = client.get(reverse("security:keepalive"), HTTP_X_BACKGROUND="1")
    assert resp.status_code == 200 and resp.json()["remaining"] == 600
    clock.shift(dt.timedelta(minutes=10, seconds=1))
    resp = client.get("/")
    assert resp.status_code == 302 and resp.url.startswith(reverse("login"))
    page = client.get(resp.url)
    assert "由于长时间无操作，您已自动退出" in page.content.decode()


def test_keep_alive_button_extends_the_session(client, person, clock):
    login(client, "zhangsan")
    clock.shift(dt.timedelta(minutes=29))
    assert client.post(reverse("security:keepalive")).json()["remaining"] == 1800
    clock.shift(dt.timedelta(minutes=29))
    assert client.get("/").status_code == 200


def test_pages_carry_the_idle_timeout_for_the_warning(client, person, clock):
    login(client, "zhangsan")
    html = client.get("/").content.decode()
    assert 'name="session-idle" content="1800"' in html
    assert "继续使用" in html and "js/idle.js" in html


def test_idle_timeout_answers_401_to_keepalive(client, person, clock):
    login(client, "zhangsan")
    clock.shift(dt.timedelta(minutes=31))
    assert client.post(reverse("security:keepalive")).status_code == 401
