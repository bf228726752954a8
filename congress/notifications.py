"""Notifications: in-app inbox rows plus outbox rows for email and group robots.

`notify()` only writes rows, inside the caller's transaction. Delivery is the Celery
task `deliver_outbox`: the beat runs it every 30 seconds, and after each commit a
background thread also asks the broker to run it at once. The request never waits on
the broker.

Each row is claimed on its own, just before it is sent, with a conditional UPDATE that
sets a fresh claim token; the claim lasts OUTBOX_CLAIM_SECONDS, which is bounded by the
transport timeouts (EMAIL_TIMEOUT, NOTIFY_WEBHOOK_TIMEOUT). Only the process that still
holds the token marks the row sent and counts it. So a slow batch never outlives the
claims of rows it has not reached, and a killed worker leaves only the one row that was
in flight waiting for its claim to lapse. Every message carries its stable
`message_id` so a receiver can drop the one re-send a crash between "sent" and
"marked" makes possible."""

import contextlib
import contextvars
import logging
import threading
import uuid
from collections.abc import Iterable
from datetime import timedelta

import requests
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.formatting import format_date
from congress.models import Notification, OpsState, OutboxMessage, User

logger = logging.getLogger(__name__)
Level = Notification.Level


def _absolute(url: str) -> str:
    if not url or url.startswith("http"):
        return url
    return settings.SITE_URL.rstrip("/") + url


def webhook_url_for(user: User) -> str:
    """The group robot a user's messages go to: their office's or unit's, else the default."""
    if user.office_id and user.office.webhook_url:
        return user.office.webhook_url
    if user.unit_id and user.unit.webhook_url:
        return user.unit.webhook_url
    return settings.NOTIFY_WEBHOOK_URL


# Set while a restore's hold is active around the reminder scan and the digest: what they
# produce waits (HELD) for an administrator, since the restored copy cannot know which of
# those reminders the lost installation had already sent.
_holding = contextvars.ContextVar("outbox_holding", default=False)


def restore_hold_active() -> bool:
    return OpsState.objects.filter(key=OpsState.RESTORE_HOLD).exists()


@contextlib.contextmanager
def holding_if_restored():
    """New outbox rows are created HELD while a restore hold is active."""
    token = _holding.set(restore_hold_active())
    try:
        yield
    finally:
        _holding.reset(token)


def _initial_state(now) -> dict:
    if _holding.get():
        return {"status": OutboxMessage.Status.HELD, "held_since": now, "available_at": now}
    return {"available_at": now}


def notify(
    *,
    recipients: Iterable[User],
    title: str,
    body: str = "",
    url: str = "",
    level: str = Level.INFO,
    target=None,
    email: bool = True,
    webhook: bool = True,
) -> list[Notification]:
    """Tell people something: an inbox row each, plus email and webhook copies per their
    channel choices (none for those who chose the daily digest). Call inside the
    transaction of the change it is about."""
    now = timezone.now()
    ct = ContentType.objects.get_for_model(target) if target is not None else None
    unique = {u.pk: u for u in recipients if u is not None and u.is_active}
    notes = Notification.objects.bulk_create(
        [
            Notification(
                recipient=u,
                title=str(title)[:200],
                body=str(body),
                url=url,
                level=level,
                content_type=ct,
                object_id=target.pk if target is not None else None,
            )
            for u in unique.values()
        ]
    )
    outbox = []
    text = f"{title}\n\n{body}\n\n{_absolute(url)}".strip()
    for u in unique.values():
        if u.notify_daily_digest:
            continue
        if email and u.notify_email and u.email:
            outbox.append(
                OutboxMessage(
                    channel=OutboxMessage.Channel.EMAIL,
                    recipient=u,
                    address=u.email,
                    subject=str(title)[:200],
                    body=text,
                    **_initial_state(now),
                )
            )
        hook = webhook_url_for(u) if (webhook and u.notify_webhook) else ""
        if hook:
            outbox.append(
                OutboxMessage(
                    channel=OutboxMessage.Channel.WEBHOOK,
                    recipient=u,
                    address=hook,
                    subject=str(title)[:200],
                    body=f"{u}：{text}",
                    **_initial_state(now),
                )
            )
    if outbox:
        OutboxMessage.objects.bulk_create(outbox)
        transaction.on_commit(kick_delivery)
    return notes


_kick_lock = threading.Lock()
_kick_in_flight = False


def kick_delivery() -> None:
    """Ask the broker to deliver now, from a background thread: a stopped or hung
    broker costs the request nothing, and the beat sweep delivers later anyway.
    At most one kick is in flight per process, so a reminder scan that commits many
    messages starts one thread, not one per message; rows committed meanwhile go with
    that delivery run or the next sweep."""
    global _kick_in_flight
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return
    with _kick_lock:
        if _kick_in_flight:
            return
        _kick_in_flight = True

    def _send():
        global _kick_in_flight
        try:
            from congress.tasks import deliver_outbox

            deliver_outbox.apply_async(retry=False)
        except Exception as exc:  # broker down: the periodic sweep will deliver
            logger.warning("outbox kick failed, the periodic sweep will deliver: %s", exc)
        finally:
            with _kick_lock:
                _kick_in_flight = False

    threading.Thread(target=_send, daemon=True, name="outbox-kick").start()


def _due(now) -> Q:
    """Pending rows whose time has come, and rows whose claim lapsed (a killed worker)."""
    stale = now - timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS)
    return Q(status=OutboxMessage.Status.PENDING, available_at__lte=now) | Q(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=stale
    )


def claim_one(pk: int) -> OutboxMessage | None:
    """Claim one row with a conditional UPDATE that re-checks it is still due: when two
    workers race for a row, the database lets exactly one UPDATE match. Called right
    before the row is sent, so the claim covers one send only."""
    now = timezone.now()
    token = uuid.uuid4().hex
    won = OutboxMessage.objects.filter(_due(now), pk=pk).update(
        status=OutboxMessage.Status.SENDING, claim_token=token, claimed_at=now
    )
    if not won:
        return None
    return OutboxMessage.objects.get(pk=pk, claim_token=token)


def due_ids(batch: int) -> list[int]:
    return list(OutboxMessage.objects.filter(_due(timezone.now())).order_by("id").values_list("id", flat=True)[:batch])


def _claim(batch: int) -> list[OutboxMessage]:
    """Claim up to `batch` rows at once (kept for callers that inspect claims; delivery
    claims one row at a time)."""
    claimed = []
    for pk in due_ids(batch):
        msg = claim_one(pk)
        if msg is not None:
            claimed.append(msg)
    return claimed


def message_id_header(msg: OutboxMessage) -> str:
    """RFC 5322 Message-ID built from the row's stable id."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"
    return f"<{msg.message_id}@{domain}>"


def webhook_payload(msg: OutboxMessage) -> dict:
    """Text payload accepted by WeCom and DingTalk group robots. The id is the last line
    of the text (visible to people, the one place both robots keep) and a top-level
    field named by NOTIFY_WEBHOOK_ID_FIELD for receivers that read JSON (both robots
    ignore fields they do not know; set it empty to leave it out)."""
    content = f"{msg.body}\n{_('消息编号')}：{msg.message_id}"
    payload = {"msgtype": "text", "text": {"content": content}}
    if settings.NOTIFY_WEBHOOK_ID_FIELD:
        payload[settings.NOTIFY_WEBHOOK_ID_FIELD] = str(msg.message_id)
    return payload


def send_mail(subject: str, body: str, from_email: str, to: list[str], *, headers: dict) -> int:
    """One email with extra headers (Django's send_mail takes none)."""
    return EmailMessage(subject, body, from_email, to, headers=headers).send(fail_silently=False)


def _send_one(msg: OutboxMessage) -> None:
    if msg.channel == OutboxMessage.Channel.EMAIL:
        send_mail(
            msg.subject,
            msg.body,
            settings.DEFAULT_FROM_EMAIL,
            [msg.address],
            headers={"Message-ID": message_id_header(msg), "X-Message-Id": str(msg.message_id)},
        )
    else:
        resp = requests.post(
            msg.address,
            json=webhook_payload(msg),
            headers={"X-Message-Id": str(msg.message_id)},
            timeout=settings.NOTIFY_WEBHOOK_TIMEOUT,
        )
        resp.raise_for_status()
        data = resp.json() if resp.content else {}
        if data.get("errcode", 0) != 0:
            raise RuntimeError(f"robot refused: {data}")


def _mine(msg: OutboxMessage):
    """The row, only while this process still holds its claim."""
    return OutboxMessage.objects.filter(pk=msg.pk, claim_token=msg.claim_token, status=OutboxMessage.Status.SENDING)


def deliver_pending(batch: int | None = None) -> int:
    """Send what is due, claiming each row just before sending it; returns how many this
    process sent and marked (a row whose claim was taken over is not counted)."""
    batch = batch or settings.OUTBOX_BATCH_SIZE
    sent = 0
    for pk in due_ids(batch):
        msg = claim_one(pk)
        if msg is None:  # sent, or claimed by another worker, since the ids were read
            continue
        try:
            _send_one(msg)
        except Exception as exc:
            attempts = msg.attempts + 1
            failed = attempts >= settings.OUTBOX_MAX_ATTEMPTS
            _mine(msg).update(
                status=OutboxMessage.Status.FAILED if failed else OutboxMessage.Status.PENDING,
                attempts=attempts,
                last_error=str(exc)[:2000],
                available_at=timezone.now() + timedelta(minutes=2**attempts),
            )
            logger.warning("outbox %s failed (attempt %s): %s", msg.pk, attempts, exc)
            continue
        marked = _mine(msg).update(
            status=OutboxMessage.Status.SENT, sent_at=timezone.now(), attempts=msg.attempts + 1, last_error=""
        )
        if marked:
            sent += 1
        else:
            logger.warning(
                "outbox %s was sent after its claim lapsed; the receiver may see message id %s twice",
                msg.pk, msg.message_id,
            )
    return sent


def release_held(*, ids: Iterable[int] | None = None) -> int:
    """An administrator's decision after a restore: send the held messages."""
    qs = OutboxMessage.objects.filter(status=OutboxMessage.Status.HELD)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    count = qs.update(status=OutboxMessage.Status.PENDING, available_at=timezone.now(), claim_token="")
    _end_hold_if_done()
    if count:
        transaction.on_commit(kick_delivery)
    return count


def discard_held(*, ids: Iterable[int] | None = None) -> int:
    """An administrator's decision after a restore: never send the held messages."""
    qs = OutboxMessage.objects.filter(status=OutboxMessage.Status.HELD)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    count = qs.update(status=OutboxMessage.Status.DISCARDED)
    _end_hold_if_done()
    return count


def _end_hold_if_done() -> None:
    if not OutboxMessage.objects.filter(status=OutboxMessage.Status.HELD).exists():
        OpsState.objects.filter(key=OpsState.RESTORE_HOLD).delete()


def hold_after_restore(note: str = "") -> int:
    """After a restore: every message not yet sent waits for an administrator, and what
    the next reminder scans and digests produce waits too, until the hold ends."""
    now = timezone.now()
    count = OutboxMessage.objects.filter(
        status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.SENDING]
    ).update(status=OutboxMessage.Status.HELD, held_since=now, claim_token="")
    OpsState.objects.update_or_create(key=OpsState.RESTORE_HOLD, defaults={"at": now, "note": note[:200]})
    return count


def mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.visible_to(user).unread()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


DIGEST_RULE = "notifications.daily_digest"
DIGEST_MAX_DAYS = 7


def send_daily_digests() -> int:
    """One email per digest user with what arrived in their inbox since their last digest
    (at most DIGEST_MAX_DAYS back, so a machine that was off loses nothing).

    Once a day per person: the digest is claimed in the reminder dispatch log with a
    unique key (user, Beijing date) in the same transaction as its outbox row, so a
    retried task or a second beat process sends nothing twice."""
    from django.db import IntegrityError

    from congress.models import ReminderDispatch

    now = timezone.now()
    day = timezone.localdate(now)
    key = f"daily@{day:%Y%m%d}"
    user_ct = ContentType.objects.get_for_model(User)
    count = 0
    users = User.objects.filter(is_active=True, notify_daily_digest=True, notify_email=True).exclude(email="")
    for user in users:
        last = (
            ReminderDispatch.objects.filter(rule=DIGEST_RULE, recipient=user)
            .order_by("-sent_at")
            .values_list("sent_at", flat=True)
            .first()
        )
        since = max(last or now - timedelta(days=1), now - timedelta(days=DIGEST_MAX_DAYS))
        notes = list(
            Notification.objects.filter(recipient=user, created_at__gt=since, created_at__lte=now)
            .order_by("created_at")[:200]
        )
        if not notes:
            continue
        lines = [f"· {n.title}  {_absolute(n.url)}" for n in notes]
        try:
            with transaction.atomic():
                row = ReminderDispatch.objects.create(
                    rule=DIGEST_RULE, content_type=user_ct, object_id=user.pk, step=key, recipient=user,
                    due_date=day, planned_for=day, sent_on=day,
                )
                # The next digest starts exactly where this one's window ended (sent_at is auto_now_add).
                ReminderDispatch.objects.filter(pk=row.pk).update(sent_at=now)
                OutboxMessage.objects.create(
                    channel=OutboxMessage.Channel.EMAIL,
                    recipient=user,
                    address=user.email,
                    subject=_("每日提醒汇总（%(date)s，共%(count)s条）") % {"date": format_date(day), "count": len(notes)},
                    body="\n".join(lines),
                    **_initial_state(now),
                )
        except IntegrityError:  # today's digest is already out (a rerun, a second beat)
            continue
        count += 1
    return count
