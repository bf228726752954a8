"""Notifications: inbox rows plus an outbox delivered by email and group robots, once."""

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from congress import notifications
from congress.models import Notification, OutboxMessage
from congress.notifications import claim_one, deliver_pending, due_ids, notify
from congress.tasks import deliver_outbox, send_daily_digests

pytestmark = pytest.mark.django_db

OFFICE_HOOK = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=office"
UNIT_HOOK = "https://oapi.dingtalk.com/robot/send?access_token=unit"
DEFAULT_HOOK = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=default"


def robot_ok():
    resp = mock.Mock(status_code=200, content=b'{"errcode":0}')
    resp.json.return_value = {"errcode": 0, "errmsg": "ok"}
    resp.raise_for_status.return_value = None
    return resp


@pytest.fixture
def settings_hooks(settings):
    settings.NOTIFY_WEBHOOK_URL = ""
    return settings


def test_notify_writes_inbox_and_outbox_per_channel(staff_user, unit_clerk, settings_hooks):
    settings_hooks.SITE_URL = "https://tracker.example.cn/"
    # Given a staff member who wants email and the group robot, and a unit clerk who wants email only
    staff_user.office.webhook_url = OFFICE_HOOK
    staff_user.office.save()
    staff_user.notify_webhook = True
    staff_user.save()
    # When they are told something
    notes = notify(recipients=[staff_user, unit_clerk, staff_user], title="请报送报告初稿", body="第三十一次会议",
                   url="/meetings/1/", level=Notification.Level.REMINDER)
    # Then each gets one inbox row
    assert len(notes) == 2
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"staff", "unit1_clerk"}
    # And the outbox holds their email and webhook copies, pending
    rows = {(m.recipient.username, m.channel): m for m in OutboxMessage.objects.all()}
    assert set(rows) == {("staff", "email"), ("staff", "webhook"), ("unit1_clerk", "email")}
    assert rows[("staff", "webhook")].address == OFFICE_HOOK
    assert rows[("staff", "email")].address == staff_user.email
    assert all(m.status == OutboxMessage.Status.PENDING for m in rows.values())
    # Links in email point at the site, not at a bare path
    assert "https://tracker.example.cn/meetings/1/" in rows[("staff", "email")].body
    assert rows[("staff", "webhook")].body.startswith("王晓东：请报送报告初稿")


def test_webhook_address_falls_back_from_office_to_unit_to_default(unit_clerk, deputy_user, settings_hooks):
    unit_clerk.notify_webhook = True
    unit_clerk.notify_email = False
    unit_clerk.save()
    unit_clerk.unit.webhook_url = UNIT_HOOK
    unit_clerk.unit.save()
    deputy_user.notify_webhook = True
    deputy_user.notify_email = False
    deputy_user.save()
    # Without an installation default the deputy (no office, no unit) gets no robot message
    notify(recipients=[unit_clerk, deputy_user], title="测试")
    assert list(OutboxMessage.objects.values_list("recipient__username", "address")) == [("unit1_clerk", UNIT_HOOK)]
    # With settings.NOTIFY_WEBHOOK_URL the deputy's copy goes there
    settings_hooks.NOTIFY_WEBHOOK_URL = DEFAULT_HOOK
    OutboxMessage.objects.all().delete()
    notify(recipients=[deputy_user], title="测试")
    assert OutboxMessage.objects.get().address == DEFAULT_HOOK


def test_digest_users_and_inactive_users(staff_user, other_staff_user):
    # Given one user who chose the daily digest and one who left
    staff_user.notify_daily_digest = True
    staff_user.save()
    other_staff_user.is_active = False
    other_staff_user.save()
    notify(recipients=[staff_user, other_staff_user, None], title="测试")
    # Then the digest user has an inbox row and no single email; the inactive user nothing
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["staff"]
    assert not OutboxMessage.objects.exists()


def test_channels_can_be_switched_off_per_message_and_per_user(staff_user, unit_clerk, settings_hooks):
    settings_hooks.NOTIFY_WEBHOOK_URL = DEFAULT_HOOK
    staff_user.notify_webhook = True
    staff_user.save()
    unit_clerk.notify_email = False
    unit_clerk.save()
    notify(recipients=[staff_user, unit_clerk], title="只发站内", email=False, webhook=False)
    assert Notification.objects.count() == 2
    assert not OutboxMessage.objects.exists()
    notify(recipients=[unit_clerk], title="该用户关闭了邮件")
    assert not OutboxMessage.objects.exists()


def test_notify_is_part_of_the_callers_transaction(staff_user):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[staff_user], title="回滚")
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_deliver_sends_email_and_webhook_once(staff_user, settings_hooks):
    settings_hooks.NOTIFY_WEBHOOK_URL = DEFAULT_HOOK
    staff_user.notify_webhook = True
    staff_user.save()
    notify(recipients=[staff_user], title="议题建议截止提醒", body="请于12月1日前提交")
    with mock.patch("congress.notifications.requests.post", return_value=robot_ok()) as post:
        # When delivery runs
        assert deliver_pending() == 2
        # Then one email and one robot call went out
        assert len(mail.outbox) == 1
        assert mail.outbox[0].subject == "议题建议截止提醒"
        assert mail.outbox[0].to == [staff_user.email]
        post.assert_called_once()
        assert post.call_args.args[0] == DEFAULT_HOOK
        payload = post.call_args.kwargs["json"]
        assert payload["msgtype"] == "text" and "议题建议截止提醒" in payload["text"]["content"]
        assert post.call_args.kwargs["timeout"] > 0
        # When delivery runs again (the beat sweep, a second worker) nothing is sent twice
        assert deliver_pending() == 0
        assert deliver_outbox() == 0
    assert len(mail.outbox) == 1
    assert post.call_count == 1
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxMessage.Status.SENT}
    assert all(m.sent_at and m.attempts == 1 for m in OutboxMessage.objects.all())


def test_the_celery_task_delivers(staff_user):
    notify(recipients=[staff_user], title="任务投递")
    assert deliver_outbox.delay() is not None  # eager in tests
    assert len(mail.outbox) == 1


def test_failing_send_is_retried_later_then_marked_failed(staff_user, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    start = timezone.now()
    notify(recipients=[staff_user], title="会失败的邮件")
    msg = OutboxMessage.objects.get()
    with mock.patch("congress.notifications.send_mail", side_effect=ConnectionRefusedError("smtp down")) as send:
        # First attempt fails: back to pending, later
        assert deliver_pending() == 0
        msg.refresh_from_db()
        assert msg.status == OutboxMessage.Status.PENDING
        assert msg.attempts == 1
        assert "smtp down" in msg.last_error
        assert msg.available_at > start + dt.timedelta(minutes=1)
        # Not retried before its time
        assert deliver_pending() == 0
        assert send.call_count == 1
        # Retried when its time comes, and after the last attempt marked failed
        for expected_attempts in (2, 3):
            with time_machine.travel(msg.available_at + dt.timedelta(seconds=1), tick=False):
                deliver_pending()
            msg.refresh_from_db()
            assert msg.attempts == expected_attempts
        assert msg.status == OutboxMessage.Status.FAILED
        with time_machine.travel(timezone.now() + dt.timedelta(days=30), tick=False):
            assert deliver_pending() == 0
        assert send.call_count == 3
    assert mail.outbox == []


def test_a_retried_send_succeeds_once(staff_user):
    notify(recipients=[staff_user], title="第二次成功")
    with mock.patch("congress.notifications.send_mail", side_effect=OSError("timeout")):
        deliver_pending()
    msg = OutboxMessage.objects.get()
    with time_machine.travel(msg.available_at + dt.timedelta(seconds=1), tick=False):
        assert deliver_pending() == 1
        assert deliver_pending() == 0
    msg.refresh_from_db()
    assert msg.status == OutboxMessage.Status.SENT
    assert msg.attempts == 2
    assert msg.last_error == ""
    assert len(mail.outbox) == 1


def test_a_robot_that_refuses_counts_as_a_failure(staff_user, settings):
    settings.NOTIFY_WEBHOOK_URL = DEFAULT_HOOK
    staff_user.notify_webhook = True
    staff_user.notify_email = False
    staff_user.save()
    notify(recipients=[staff_user], title="机器人拒收")
    refused = robot_ok()
    refused.json.return_value = {"errcode": 93000, "errmsg": "invalid webhook url"}
    with mock.patch("congress.notifications.requests.post", return_value=refused):
        assert deliver_pending() == 0
    msg = OutboxMessage.objects.get()
    assert msg.status == OutboxMessage.Status.PENDING
    assert "93000" in msg.last_error


def test_two_claimers_never_both_win_a_row(staff_user, other_staff_user):
    notify(recipients=[staff_user, other_staff_user], title="抢占")
    # Given worker A has read the due ids ...
    seen_by_a = due_ids(10)
    assert len(seen_by_a) == 2
    # ... when worker B claims everything first
    claimed_by_b = notifications._claim(10)
    assert {m.pk for m in claimed_by_b} == set(seen_by_a)
    # Then A's conditional claims all lose
    assert [claim_one(pk) for pk in seen_by_a] == [None, None]
    # And a claimed row is not due for anyone else until the claim goes stale
    assert due_ids(10) == []


def test_a_claim_left_by_a_crashed_worker_is_taken_over_later(staff_user, settings):
    notify(recipients=[staff_user], title="工作进程中断")
    crashed = claim_one(OutboxMessage.objects.get().pk)
    assert crashed.status == OutboxMessage.Status.SENDING
    assert deliver_pending() == 0  # still claimed
    later = timezone.now() + dt.timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS + 5)
    with time_machine.travel(later, tick=False):
        assert deliver_pending() == 1
    assert len(mail.outbox) == 1
    # The crashed worker's late bookkeeping cannot overwrite the new claim
    assert OutboxMessage.objects.filter(claim_token=crashed.claim_token).count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_on_postgresql_send_each_row_once(staff_user, other_staff_user, unit_clerk):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs a server database (run with DATABASE_URL=postgres://...)")
    import threading

    from django.db import connections

    for i in range(10):
        notify(recipients=[staff_user, other_staff_user, unit_clerk], title=f"并发{i}")
    total = OutboxMessage.objects.count()
    sent = []
    barrier = threading.Barrier(4)

    def worker():
        try:
            barrier.wait()
            sent.append(deliver_pending())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sum(sent) == total
    assert len(mail.outbox) == total
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == total


def test_daily_digest_collects_a_day_of_messages(staff_user, unit_clerk):
    staff_user.notify_daily_digest = True
    staff_user.save()
    notify(recipients=[staff_user, unit_clerk], title="第一条")
    notify(recipients=[staff_user], title="第二条", url="/inbox/")
    OutboxMessage.objects.filter(recipient=unit_clerk).delete()
    assert send_daily_digests() == 1
    digest = OutboxMessage.objects.get()
    assert digest.recipient == staff_user
    assert "每日提醒汇总" in digest.subject and "共2条" in digest.subject
    assert "第一条" in digest.body and "第二条" in digest.body


def test_daily_digest_goes_out_once_a_day_even_when_the_task_runs_twice(staff_user):
    # Given a digest user with a message, and the digest task run twice the same morning
    # (a retried task, or two beat processes)
    staff_user.notify_daily_digest = True
    staff_user.save()
    with time_machine.travel(dt.datetime(2026, 12, 1, 0, 30, tzinfo=dt.UTC), tick=False):
        notify(recipients=[staff_user], title="第一条")
    with time_machine.travel(dt.datetime(2026, 12, 1, 0, 31, tzinfo=dt.UTC), tick=False):
        first = send_daily_digests()
        second = send_daily_digests()
    # Then one digest email only
    assert (first, second) == (1, 0)
    assert OutboxMessage.objects.filter(recipient=staff_user).count() == 1


def test_daily_digest_after_a_missed_day_covers_everything_since_the_last_one(staff_user):
    # Given a digest sent on 1 Dec, then no digest on 2 Dec (the machine was off)
    staff_user.notify_daily_digest = True
    staff_user.save()
    with time_machine.travel(dt.datetime(2026, 12, 1, 0, 30, tzinfo=dt.UTC), tick=False):
        notify(recipients=[staff_user], title="第一条")
        send_daily_digests()
    with time_machine.travel(dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC), tick=False):
        notify(recipients=[staff_user], title="周二下午的消息")
    # When the next digest runs on 3 Dec
    with time_machine.travel(dt.datetime(2026, 12, 3, 0, 30, tzinfo=dt.UTC), tick=False):
        assert send_daily_digests() == 1
    # Then the message of 1 Dec afternoon is in it, and the one already digested is not
    latest = OutboxMessage.objects.filter(recipient=staff_user).order_by("-id").first()
    assert "周二下午的消息" in latest.body
    assert "第一条" not in latest.body


# --- inbox page, header badge, API -------------------------------------------------


@pytest.fixture
def three_notes(staff_user, other_staff_user):
    notes = [Notification.objects.create(recipient=staff_user, title=f"消息{i}", url="/meetings/") for i in range(3)]
    Notification.objects.create(recipient=other_staff_user, title="别人的消息")
    return notes


def test_inbox_page_and_header_count(client_as, staff_user, three_notes):
    client = client_as(staff_user)
    html = client.get(reverse("congress:inbox")).content.decode()
    assert "消息0" in html and "消息2" in html and "别人的消息" not in html
    assert 'id="unread-badge" class="badge bg-danger ms-1" data-unread>3</span>' in html
    three_notes[0].read_at = timezone.now()
    three_notes[0].save()
    home = client.get("/").content.decode()
    assert 'data-unread>2</span>' in home
    only_unread = client.get(reverse("congress:inbox") + "?unread=1").content.decode()
    assert "消息0" not in only_unread and "消息1" in only_unread


def test_mark_read_via_htmx_returns_the_badge(client_as, staff_user, three_notes):
    client = client_as(staff_user)
    resp = client.post(reverse("congress:inbox-read"), {"id": [three_notes[0].pk]}, HTTP_HX_REQUEST="true")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert html.lstrip().startswith('<span id="unread-badge"')
    assert 'data-unread>2</span>' in html
    # the mobile badge and the row are swapped out of band
    assert 'id="unread-badge-mobile"' in html and 'hx-swap-oob="true"' in html
    assert f'id="note-{three_notes[0].pk}"' in html and 'data-read="1"' in html
    three_notes[0].refresh_from_db()
    assert three_notes[0].read_at is not None
    assert Notification.objects.visible_to(staff_user).unread().count() == 2


def test_mark_all_read_without_htmx_redirects_back(client_as, staff_user, other_staff_user, three_notes):
    resp = client_as(staff_user).post(reverse("congress:inbox-read"), {"next": "https://evil.example/"})
    assert resp.status_code == 302
    assert resp.url == reverse("congress:inbox")  # never off-site
    assert not Notification.objects.visible_to(staff_user).unread().exists()
    assert Notification.objects.visible_to(other_staff_user).unread().count() == 1


def test_mark_read_cannot_touch_someone_elses_messages(client_as, staff_user, other_staff_user, three_notes):
    theirs = Notification.objects.get(recipient=other_staff_user)
    client_as(staff_user).post(reverse("congress:inbox-read"), {"id": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_a_message_marks_it_read_and_follows_its_link(client_as, staff_user, three_notes):
    resp = client_as(staff_user).get(reverse("congress:notification-open", args=[three_notes[1].pk]))
    assert resp.status_code == 302 and resp.url == "/meetings/"
    three_notes[1].refresh_from_db()
    assert three_notes[1].read_at is not None


def test_notifications_api(api_client, staff_user, three_notes):
    api = api_client(staff_user)
    data = api.get("/api/v1/notifications/").json()
    assert data["count"] == 3
    assert {n["title"] for n in data["results"]} == {"消息0", "消息1", "消息2"}
    assert api.get("/api/v1/notifications/unread-count/").json() == {"unread": 3}
    resp = api.post("/api/v1/notifications/mark-read/", {"ids": [three_notes[0].pk]}, format="json")
    assert resp.status_code == 200 and resp.json() == {"marked": 1}
    assert api.get("/api/v1/notifications/unread-count/").json() == {"unread": 2}
    assert api.get("/api/v1/notifications/?unread=true").json()["count"] == 2
    assert api.post("/api/v1/notifications/mark-read/", {}, format="json").json() == {"marked": 2}
    assert api.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}
    bad = api.post("/api/v1/notifications/mark-read/", {"ids": ["abc"]}, format="json")
    assert bad.status_code == 400 and "ids" in bad.json()


def test_notifications_api_needs_login(api_client):
    assert api_client().get("/api/v1/notifications/").status_code in (401, 403)


def test_many_commits_start_one_delivery_kick_at_a_time(settings, monkeypatch):
    """Given the broker is slow to answer, when a reminder scan commits fifty messages,
    then one background kick asks for delivery (not fifty threads); once it is done the
    next commit kicks again."""
    import threading

    from congress import notifications
    from congress.tasks import deliver_outbox

    settings.CELERY_TASK_ALWAYS_EAGER = False
    release = threading.Event()
    calls = []

    def slow_apply_async(*args, **kwargs):
        calls.append(1)
        release.wait(5)

    monkeypatch.setattr(deliver_outbox, "apply_async", slow_apply_async)
    before = threading.active_count()
    for _ in range(50):
        notifications.kick_delivery()
    assert threading.active_count() - before <= 1
    release.set()
    for _ in range(100):
        if not notifications._kick_in_flight:
            break
        threading.Event().wait(0.05)
    assert calls == [1]
    release.clear()
    release.set()
    notifications.kick_delivery()
    for _ in range(100):
        if len(calls) == 2 and not notifications._kick_in_flight:
            break
        threading.Event().wait(0.05)
    assert len(calls) == 2
