"""Audit log: each security event is written once, with who, where, result; nobody can edit it."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from congress.roles import Role
from congress.security import audit
from congress.security.models import AuditEvent
from congress.security.tasks import purge_audit_log
from tests import factories as f
from tests.security.login_helpers import login, token

pytestmark = pytest.mark.django_db


def actions(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("id").values_list("action", "result"))


def test_login_failure_lockout_logout_password_and_token_events(client):
    user = f.UserFactory(username="zhaoliu", role=Role.STAFF)
    client.post(reverse("login"), {"username": "zhaoliu", "password": "bad"}, HTTP_USER_AGENT="Firefox/1")
    login(client, "zhaoliu", HTTP_USER_AGENT="Firefox/1")
    client.post("/accounts/password/", {"old_password": f.PASSWORD, "new_password1": "Newer#Pass1",
                                        "new_password2": "Newer#Pass1"})
    client.post(reverse("logout"))
    key = token(APIClient(), "zhaoliu", "Newer#Pass1").json()["token"]
    user.refresh_from_db()
    client.force_login(user)
    client.post(reverse("security:tokens"), {"id": user.api_tokens.get(key=key).pk})
    assert actions(username="zhaoliu") == [
        ("login_failed", "failure"), ("login", "success"), ("password_change", "success"),
        ("logout", "success"), ("token_create", "success"), ("token_revoke", "success"),
    ]
    first = AuditEvent.objects.filter(username="zhaoliu").order_by("id").first()
    assert first.ip_address == "127.0.0.1" and first.user_agent == "Firefox/1"
    assert AuditEvent.objects.get(action="login").user == user


def test_lockout_is_audited(client):
    f.UserFactory(username="qianqi")
    for _ in range(5):
        login(client, "qianqi", "bad")
    assert ("lockout", "failure") in actions(username="qianqi")
    assert actions(username="qianqi").count(("login_failed", "failure")) == 5


def test_audit_log_is_read_only_even_for_superusers(admin_user):
    event = audit.record(None, audit.Action.LOGIN, user=admin_user)
    web = Client()
    web.force_login(admin_user)
    changelist = reverse("admin:security_auditevent_changelist")
    resp = web.get(changelist + "?action__exact=login&result__exact=success")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "登录" in html and "成功" in html  # labels, not codes
    assert web.get(reverse("admin:security_auditevent_add")).status_code == 403
    detail = reverse("admin:security_auditevent_change", args=[event.pk])
    assert web.get(detail).status_code == 200  # viewable
    assert web.post(detail, {"action": "logout", "username": "x"}).status_code == 403
    assert web.post(reverse("admin:security_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.action == "login"


def test_non_admin_staff_cannot_read_the_audit_log(client, staff_user):
    staff_user.is_staff = True
    staff_user.save()
    client.force_login(staff_user)
    assert client.get(reverse("admin:security_auditevent_changelist")).status_code == 403


def test_purge_keeps_at_least_six_months(settings):
    settings.AUDIT_RETENTION_DAYS = 30  # below the floor: 180 days still kept
    old = audit.record(None, audit.Action.LOGIN, username="a")
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=181))
    recent = audit.record(None, audit.Action.LOGIN, username="b")
    AuditEvent.objects.filter(pk=recent.pk).update(at=timezone.now() - dt.timedelta(days=179))
    assert purge_audit_log() == 1
    assert list(AuditEvent.objects.values_list("username", flat=True)) == ["b"]


def test_times_are_shown_in_beijing_time(admin_user):
    with time_machine.travel(dt.datetime(2026, 5, 6, 1, 30, tzinfo=dt.UTC), tick=False):
        audit.record(None, audit.Action.LOGIN, username="t")
    web = Client()
    web.force_login(admin_user)
    html = web.get(reverse("admin:security_auditevent_changelist")).content.decode()
    assert "09:30" in html


def test_exports_of_lists_are_audited(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("plans:item-export-xlsx") + "?year=2026").status_code == 200
    assert client.get(reverse("supervision:item-list") + "?format=xlsx").status_code == 200
    rows = AuditEvent.objects.filter(action="export", user=staff_user).order_by("id")
    assert [r.object_repr for r in rows] == ["plan-items.xlsx", "supervision-items.xlsx"]
    assert rows[0].detail == "year=2026"
