"""Two-factor (TOTP): required for administrators, available to everyone, required by setting for others."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from congress.roles import Role
from congress.security.models import AuditEvent
from tests import factories as f
from tests.security.login_helpers import add_device, code_for, login, token

pytestmark = pytest.mark.django_db
VERIFY = "/accounts/two-factor/verify/"
SETUP = "/accounts/two-factor/"


@pytest.fixture
def root(db):
    return f.UserFactory(username="root", role=Role.ADMIN, is_staff=True, is_superuser=True)


def test_administrator_without_a_code_gets_no_admin(client, root):
    device = add_device(root)
    resp = login(client, "root")
    assert resp.status_code == 302
    # password alone: neither the admin nor any page nor the API
    admin = client.get("/admin/")
    assert admin.status_code == 302 and admin.url.startswith(VERIFY)
    assert client.get("/").url.startswith(VERIFY)
    assert client.get("/api/v1/me/").status_code == 403
    # a wrong code is refused and audited
    resp = client.post(VERIFY, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert resp.status_code == 200 and "验证码不正确" in resp.content.decode()
    assert client.get("/admin/").status_code == 302
    assert AuditEvent.objects.filter(action="otp_verify", result="failure", username="root").exists()


def test_administrator_with_the_right_code_gets_the_admin(client, root):
    device = add_device(root)
    login(client, "root")
    resp = client.post(VERIFY + "?next=/admin/", {"code": code_for(device), "next": "/admin/"})
    assert resp.status_code == 302 and resp.url == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/").status_code == 200


def test_admin_login_page_also_needs_the_code(client, root):
    device = add_device(root)
    resp = client.post("/admin/login/?next=/admin/", {"username": "root", "password": f.PASSWORD, "next": "/admin/"})
    assert resp.status_code == 302
    assert client.get("/admin/").url.startswith(VERIFY)
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200


def test_administrator_without_a_device_enrols_before_anything_else(client, root):
    login(client, "root")
    resp = client.get("/")
    assert resp.status_code == 302 and resp.url.startswith(SETUP)
    page = client.get(SETUP)
    html = page.content.decode()
    assert "<svg" in html and "data-otp-secret" in html
    device = TOTPDevice.objects.get(user=root, confirmed=False)
    assert client.post(SETUP, {"action": "confirm", "code": code_for(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    assert AuditEvent.objects.filter(action="otp_enrol", result="success", username="root").exists()
    # and cannot be switched off
    page = client.get(SETUP).content.decode()
    assert "不能停用" in page


def test_any_user_can_enrol_and_then_needs_the_code(client):
    f.UserFactory(username="deputyx", role=Role.DEPUTY)
    login(client, "deputyx")
    assert client.get("/").status_code == 200  # not required for a deputy
    client.get(SETUP)
    device = TOTPDevice.objects.get(user__username="deputyx")
    client.post(SETUP, {"action": "confirm", "code": "12345x"})
    device.refresh_from_db()
    assert not device.confirmed
    client.post(SETUP, {"action": "confirm", "code": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed
    client.logout()
    login(client, "deputyx")
    assert client.get("/").url.startswith(VERIFY)
    # the token endpoint asks for the code as well
    api = APIClient()
    assert token(api, "deputyx").status_code == 400
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    assert token(api, "deputyx", otp_token=code_for(device)).status_code == 200


def test_user_can_disable_with_a_code(client):
    user = f.UserFactory(username="unitx", role=Role.UNIT_CLERK)
    device = add_device(user)
    client.force_login(user)
    client.post(VERIFY, {"code": code_for(device)})
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    resp = client.post(SETUP, {"action": "disable", "code": code_for(device)})
    assert resp.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()


@override_settings(OTP_REQUIRED_ROLES={Role.DIRECTOR})
def test_setting_requires_two_factor_for_leaders(client):
    f.UserFactory(username="boss", role=Role.DIRECTOR)
    f.UserFactory(username="clerk", role=Role.STAFF)
    login(client, "boss")
    assert client.get("/").url.startswith(SETUP)
    client.logout()
    login(client, "clerk")
    assert client.get("/").status_code == 200


def test_administrator_token_needs_enrolment_first(root):
    resp = token(APIClient(), "root")
    assert resp.status_code == 403 and resp.json()["code"] == "otp_enrolment_required"


def test_two_factor_page_is_in_the_user_menu(client):
    user = f.UserFactory(username="m1", role=Role.STAFF)
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{SETUP}"' in html and "两步验证" in html
