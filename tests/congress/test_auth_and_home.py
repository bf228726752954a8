"""Logging in, each role's home page and navigation, and the API's authentication."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from congress.roles import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

HEADINGS = {
    Role.STAFF: "委室工作台",
    Role.ASSIGNING_CLERK: "交办工作台",
    Role.DIRECTOR: "主任工作台",
    Role.VICE_DIRECTOR: "副主任工作台",
    Role.SECRETARY_GENERAL: "秘书长工作台",
    Role.DEPUTY: "代表履职",
    Role.UNIT_CLERK: "承办工作台",
    Role.UNIT_HEAD: "承办单位负责人工作台",
    Role.ADMIN: "系统管理",
}
INTERNAL = {Role.STAFF, Role.ASSIGNING_CLERK, Role.DIRECTOR, Role.VICE_DIRECTOR, Role.SECRETARY_GENERAL, Role.ADMIN}


def nav_labels(html: str) -> list[str]:
    """Every entry of the main menu (top level and inside the per-app dropdowns)."""
    menu = html.split('id="mainnav"', 1)[1].split('<ul class="navbar-nav align-items', 1)[0]
    return re.findall(r'class="(?:nav-link|dropdown-item)[^"]*" href="[^"]*"[^>]*>([^<]+)</a>', menu)


def test_login_page_is_in_chinese(client):
    resp = client.get(reverse("login"))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert 'lang="zh-hans"' in html
    for text in ("登录", "用户名", "密码", "English"):
        assert text in html


def test_pages_need_login(client):
    for url in ("/", "/inbox/", "/meetings/"):
        resp = client.get(url)
        assert resp.status_code == 302 and resp.url.startswith("/accounts/login/"), url


def test_wrong_password_shows_the_error_and_keeps_the_username(client, staff_user):
    resp = client.post(reverse("login"), {"username": "staff", "password": "wrong-password"})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "用户名或密码不正确。" in html
    assert 'name="username"' in html and 'value="staff"' in html
    assert "wrong-password" not in html
    assert "_auth_user_id" not in client.session


def test_empty_fields_show_errors_next_to_them(client):
    html = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert 'data-field-error="username"' in html and 'data-field-error="password"' in html
    assert "is-invalid" in html


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_its_home_page_with_fitting_navigation(client, role, office, unit):
    # Given a user of that role (admins are superusers, as in the demo data)
    extra = {"is_staff": True, "is_superuser": True} if role == Role.ADMIN else {}
    where = {"office": office} if role in {Role.STAFF, Role.ASSIGNING_CLERK} else {}
    if role in {Role.UNIT_CLERK, Role.UNIT_HEAD}:
        where = {"unit": unit}
    user = f.UserFactory(username=f"u_{role}", role=role, **extra, **where)
    # When they log in
    resp = client.post(reverse("login"), {"username": user.username, "password": f.PASSWORD})
    assert resp.status_code == 302 and resp.url == "/"
    if role == Role.ADMIN:  # administrators add the code of their authenticator app
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        code = f"{totp(device.bin_key):06d}"
        assert client.post(reverse("security:otp-verify"), {"code": code}).status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    html = home.content.decode()
    # Then they see their own home page
    assert HEADINGS[role] in html
    assert f'data-home-role="{role}"' in html
    assert "未读消息" in html and "近期会议" in html
    labels = nav_labels(html)
    assert "首页" in labels and "会议" in labels
    assert 'id="unread-link"' in html  # the inbox, with its unread count, beside the menu
    assert ("后台管理" in labels) == (role == Role.ADMIN)
    assert ("接口文档" in labels) == (role in INTERNAL)


def test_home_shows_the_next_meetings_in_scope(client_as, deputy_user, staff_user, term):
    import datetime as dt

    from congress.workdays import today

    soon = today() + dt.timedelta(days=20)
    f.MeetingFactory(term=term, number=35, start_date=soon, name="第三十五次常委会会议")
    f.MeetingFactory(term=term, number=135, kind="chairpersons", start_date=soon, name="第一百三十五次主任会议")
    f.MeetingFactory(term=term, number=36, start_date=today() + dt.timedelta(days=90), name="三个月后的会议")
    deputy_home = client_as(deputy_user).get("/").content.decode()
    assert "第三十五次常委会会议" in deputy_home
    assert "第一百三十五次主任会议" not in deputy_home and "三个月后的会议" not in deputy_home
    staff_home = client_as(staff_user).get("/").content.decode()
    assert "第一百三十五次主任会议" in staff_home


def test_logout(client, staff_user):
    client.force_login(staff_user)
    resp = client.post(reverse("logout"))
    assert resp.status_code == 302
    assert client.get("/").status_code == 302


def test_token_auth_on_me(staff_user):
    api = APIClient()
    resp = api.post("/api/v1/auth/token/", {"username": "staff", "password": f.PASSWORD}, format="json")
    assert resp.status_code == 200
    token = resp.json()["token"]
    assert APIClient().get("/api/v1/me/").status_code in (401, 403)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/me/").json()
    assert me["username"] == "staff"
    assert me["role"] == "staff" and me["role_display"] == "委室工作人员"
    assert me["office"] == staff_user.office_id
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert bad.get("/api/v1/me/").status_code in (401, 403)


def test_token_with_a_wrong_password_is_refused(staff_user):
    resp = APIClient().post("/api/v1/auth/token/", {"username": "staff", "password": "x"}, format="json")
    assert resp.status_code == 400


def test_session_auth_and_csrf_on_me(staff_user):
    client = Client(enforce_csrf_checks=True)
    client.login(username="staff", password=f.PASSWORD)
    me = client.get("/api/v1/me/").json()
    assert me["username"] == "staff" and me["role_display"] == "委室工作人员"
    # A session write without the CSRF token is refused ...
    assert client.patch("/api/v1/me/", {"notify_email": False}, content_type="application/json").status_code == 403
    # ... and accepted with it
    client.get(reverse("home"))
    token = client.cookies["csrftoken"].value
    resp = client.patch("/api/v1/me/", {"notify_email": False, "role": "admin"}, content_type="application/json",
                        HTTP_X_CSRFTOKEN=token)
    assert resp.status_code == 200
    staff_user.refresh_from_db()
    assert staff_user.notify_email is False
    assert staff_user.role == Role.STAFF  # the role is not the user's to change


def test_pagination_shape(api_client, staff_user, term):
    for n in range(1, 8):
        f.MeetingFactory(term=term, number=n)
    api = api_client(staff_user)
    page = api.get("/api/v1/meetings/?page_size=3").json()
    assert set(page) == {"count", "count_is_exact", "next", "previous", "results"}
    assert page["count"] == 7 and page["count_is_exact"] is True and len(page["results"]) == 3
    assert page["previous"] is None and "page=2" in page["next"]
    last = api.get("/api/v1/meetings/?page_size=3&page=3").json()
    assert len(last["results"]) == 1 and last["next"] is None
    assert api.get("/api/v1/meetings/?page=99").status_code == 404


def test_meeting_list_page_and_api_filter_alike(client_as, api_client, staff_user, term):
    import datetime as dt

    f.MeetingFactory(term=term, number=1, start_date=dt.date(2025, 6, 1), name="去年的会议")
    f.MeetingFactory(term=term, number=2, start_date=dt.date(2026, 6, 1), name="今年的会议")
    f.MeetingFactory(term=term, number=3, kind="chairpersons", start_date=dt.date(2026, 7, 1), name="今年的主任会议")
    query = "?year=2026&kind=standing"
    html = client_as(staff_user).get("/meetings/" + query).content.decode()
    api = api_client(staff_user).get("/api/v1/meetings/" + query).json()
    assert [m["name"] for m in api["results"]] == ["今年的会议"]
    assert "今年的会议" in html and "去年的会议" not in html and "今年的主任会议" not in html
    bad = client_as(staff_user).get("/meetings/?year=abc")
    assert bad.status_code == 200  # a bad filter value is shown, not a 500


def test_meeting_filter_offers_a_deputy_only_the_kinds_they_can_see(client_as, deputy_user, staff_user):
    deputy_page = client_as(deputy_user).get("/meetings/").content.decode()
    staff_page = client_as(staff_user).get("/meetings/").content.decode()
    assert 'name="kind"' in deputy_page and 'value="standing"' in deputy_page
    assert 'value="chairpersons"' not in deputy_page
    assert 'value="chairpersons"' in staff_page
