"""Each person chooses channels (in-app always; email; webhook) and a daily digest."""

import re

from congress.models import AuditEntry, User


def test_preferences_page_shows_channels(client_as, unit_clerk):
    html = client_as(unit_clerk).get("/reminders/preferences/").content.decode()
    assert "站内消息（始终开启）" in html
    for name in ("notify_email", "notify_webhook", "notify_daily_digest"):
        assert f'name="{name}"' in html


def test_saving_preferences_writes_history(client_as, unit_clerk):
    resp = client_as(unit_clerk).post(
        "/reminders/preferences/", {"notify_email": "on", "notify_webhook": "on", "notify_daily_digest": "on"}
    )
    assert resp.status_code == 302
    user = User.objects.get(pk=unit_clerk.pk)
    assert (user.notify_email, user.notify_webhook, user.notify_daily_digest) == (True, True, True)
    entry = AuditEntry.objects.get(object_id=user.pk, summary="修改提醒方式")
    assert entry.actor == unit_clerk
    assert entry.changes["notify_daily_digest"]["after"] is True


def test_turning_email_off(client_as, unit_clerk):
    client_as(unit_clerk).post("/reminders/preferences/", {})
    user = User.objects.get(pk=unit_clerk.pk)
    assert (user.notify_email, user.notify_webhook, user.notify_daily_digest) == (False, False, False)


def test_digest_without_email_is_refused_and_input_kept(client_as, unit_clerk):
    resp = client_as(unit_clerk).post("/reminders/preferences/", {"notify_webhook": "on", "notify_daily_digest": "on"})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert 'data-field-error="notify_daily_digest"' in html
    assert "每日汇总通过邮件发送" in html
    # The boxes the user ticked stay ticked, and nothing was saved
    assert re.search(r'<input[^>]*name="notify_webhook"[^>]*checked', html)
    assert not re.search(r'<input[^>]*name="notify_email"[^>]*checked', html)
    user = User.objects.get(pk=unit_clerk.pk)
    assert (user.notify_webhook, user.notify_daily_digest) == (False, False)
    assert not AuditEntry.objects.filter(object_id=user.pk, summary="修改提醒方式").exists()


def test_email_refused_without_an_address(client_as, unit_clerk):
    User.objects.filter(pk=unit_clerk.pk).update(email="", notify_email=False)
    unit_clerk.refresh_from_db()
    resp = client_as(unit_clerk).post("/reminders/preferences/", {"notify_email": "on"})
    assert resp.status_code == 200
    assert 'data-field-error="notify_email"' in resp.content.decode()
    assert User.objects.get(pk=unit_clerk.pk).notify_email is False


def test_preferences_are_ones_own(client_as, unit_clerk, unit_head):
    # There is no way to address another user's preferences: the page always edits the signed-in user
    client_as(unit_clerk).post("/reminders/preferences/", {"notify_email": "on", "notify_daily_digest": "on",
                                                            "id": unit_head.pk, "username": unit_head.username})
    assert User.objects.get(pk=unit_head.pk).notify_daily_digest is False
    assert User.objects.get(pk=unit_clerk.pk).notify_daily_digest is True
