"""The outbox sends each message once even when sends are slow or a worker is killed,
and every message carries a stable id a receiver can de-duplicate on."""

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from congress import notifications
from congress.models import OutboxMessage
from congress.notifications import deliver_pending, notify

pytestmark = pytest.mark.django_db

HOOK = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
START = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)


def _messages(user, n):
    for i in range(n):
        notify(recipients=[user], title=f"提醒{i}", webhook=False)
    return list(OutboxMessage.objects.values_list("message_id", flat=True))


class SlowTransport:
    """Each send takes `seconds` of (virtual) time; every `sweep_every` sends another
    worker's sweep runs in the meantime, as the beat would start one."""

    def __init__(self, traveller, seconds, sweep_every=None, slow_first=None):
        self.traveller = traveller
        self.seconds = seconds
        self.sweep_every = sweep_every
        self.slow_first = slow_first
        self.sent = []
        self.other_counts = []
        self._nested = False

    def __call__(self, msg):
        self.sent.append(msg.message_id)
        self.traveller.shift(self.slow_first if (self.slow_first and len(self.sent) == 1) else self.seconds)
        if self._nested:
            return
        if (self.sweep_every and len(self.sent) % self.sweep_every == 0) or (self.slow_first and len(self.sent) == 1):
            self._nested = True
            try:
                self.other_counts.append(deliver_pending())
            finally:
                self._nested = False


def test_a_batch_that_outlives_the_claim_sends_nothing_twice(staff_user, settings):
    # Given 40 messages and a transport slow enough (10 s each) that the whole batch takes
    # far longer than one claim, with another worker's sweep every 5 sends
    settings.OUTBOX_CLAIM_SECONDS = 60
    with time_machine.travel(START, tick=False) as traveller:
        ids = _messages(staff_user, 40)
        transport = SlowTransport(traveller, seconds=10, sweep_every=5)
        with mock.patch.object(notifications, "_send_one", transport):
            mine = deliver_pending()
    # Then every message went out exactly once, and the two workers' counts add up to 40
    assert sorted(transport.sent) == sorted(ids)
    assert mine + sum(transport.other_counts) == 40
    assert transport.other_counts and sum(transport.other_counts) > 0
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxMessage.Status.SENT}


def test_a_send_that_outlives_its_own_claim_is_not_counted_by_the_late_process(staff_user, settings):
    # Given one send that hangs longer than its claim, during which another sweep takes over
    settings.OUTBOX_CLAIM_SECONDS = 60
    with time_machine.travel(START, tick=False) as traveller:
        (first, second) = _messages(staff_user, 2)
        transport = SlowTransport(traveller, seconds=1, slow_first=61)
        with mock.patch.object(notifications, "_send_one", transport):
            mine = deliver_pending()
    # Then the taken-over message was re-sent under the same id (the receiver drops it) ...
    assert transport.sent.count(first) == 2 and transport.sent.count(second) == 1
    # ... and only the process holding the claim counted and marked it
    assert transport.other_counts == [2]
    assert mine == 0
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count() == 2


class Killed(BaseException):
    """The worker process dies (SIGKILL, OOM) in the middle of a send."""


def test_after_a_kill_only_the_message_in_flight_waits_for_its_claim(staff_user, settings):
    sent = []

    def dies_on_third(msg):
        if len(sent) == 2:
            raise Killed
        sent.append(msg.message_id)

    with time_machine.travel(START, tick=False) as traveller:
        ids = _messages(staff_user, 10)
        # Given a worker killed while sending the third of ten messages
        with mock.patch.object(notifications, "_send_one", dies_on_third), pytest.raises(Killed):
            deliver_pending()
        in_flight = OutboxMessage.objects.get(status=OutboxMessage.Status.SENDING)
        assert OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count() == 7
        # When the next sweep runs 30 seconds later, the seven never claimed go out at once
        traveller.shift(30)
        with mock.patch.object(notifications, "_send_one", lambda m: sent.append(m.message_id)):
            assert deliver_pending() == 7
            # And the one in flight goes out in the first sweep after its claim lapses,
            # which the transport timeouts bound (not a whole batch's 300 s)
            traveller.move_to(in_flight.claimed_at + dt.timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS - 1))
            assert deliver_pending() == 0
            traveller.shift(30)
            assert deliver_pending() == 1
    assert sorted(sent) == sorted(ids)
    timeouts = max(settings.EMAIL_TIMEOUT, settings.NOTIFY_WEBHOOK_TIMEOUT)
    assert timeouts < settings.OUTBOX_CLAIM_SECONDS <= 10 * timeouts


def test_every_email_and_webhook_carries_the_message_id(staff_user, settings):
    settings.NOTIFY_WEBHOOK_URL = HOOK
    staff_user.notify_webhook = True
    staff_user.save()
    notify(recipients=[staff_user], title="议题建议截止提醒")
    email_row = OutboxMessage.objects.get(channel=OutboxMessage.Channel.EMAIL)
    hook_row = OutboxMessage.objects.get(channel=OutboxMessage.Channel.WEBHOOK)
    assert email_row.message_id != hook_row.message_id
    ok = mock.Mock(status_code=200, content=b'{"errcode":0}')
    ok.json.return_value = {"errcode": 0}
    with mock.patch("congress.notifications.requests.post", return_value=ok) as post:
        assert deliver_pending() == 2
    # Email: a Message-ID built from the id, and the bare id in X-Message-Id
    message = mail.outbox[0].message()
    assert message["Message-ID"] == f"<{email_row.message_id}@rdcwh.local>"
    assert message["X-Message-Id"] == str(email_row.message_id)
    # Webhook: in the text people see, as a JSON field and as a header
    payload = post.call_args.kwargs["json"]
    assert payload["message_id"] == str(hook_row.message_id)
    assert payload["text"]["content"].endswith(f"消息编号：{hook_row.message_id}")
    assert post.call_args.kwargs["headers"]["X-Message-Id"] == str(hook_row.message_id)
    # The JSON field can be switched off for a receiver that rejects unknown fields
    settings.NOTIFY_WEBHOOK_ID_FIELD = ""
    assert "message_id" not in notifications.webhook_payload(hook_row)


def test_a_retry_keeps_the_same_message_id(staff_user):
    notify(recipients=[staff_user], title="重试")
    row = OutboxMessage.objects.get()
    with mock.patch("congress.notifications.send_mail", side_effect=OSError("timeout")):
        deliver_pending()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1), tick=False):
        assert deliver_pending() == 1
    assert mail.outbox[0].extra_headers["X-Message-Id"] == str(row.message_id)
