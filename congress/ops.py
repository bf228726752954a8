"""Operational health: heartbeats of the beat and the worker, the outbox's backlog, the
broker, the last reminder scan. Read by the administrators' status page, the Prometheus
endpoint and the banner administrators see when the beat has stopped."""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import OpsState, OutboxMessage, ReminderEngineState

BANNER_CACHE_KEY = "ops:banner"
BANNER_CACHE_SECONDS = 60
BROKER_CACHE_KEY = "ops:broker"
BROKER_CACHE_SECONDS = 15


def record_heartbeat(key: str, note: str = "") -> None:
    """One row per component; an UPDATE in the common case."""
    now = timezone.now()
    if not OpsState.objects.filter(key=key).update(at=now, note=note[:200]):
        OpsState.objects.update_or_create(key=key, defaults={"at": now, "note": note[:200]})


def broker_ping(*, use_cache: bool = True) -> tuple[bool, float | None, str]:
    """(answers, seconds taken, error). Bounded by the broker's short socket timeout."""
    if use_cache:
        cached = cache.get(BROKER_CACHE_KEY)
        if cached is not None:
            return cached
    from congress.celery import app

    started = time.monotonic()
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=settings.REDIS_SOCKET_TIMEOUT)
            client = getattr(conn.default_channel, "client", None)
            if client is not None and hasattr(client, "ping"):
                client.ping()
        result = (True, time.monotonic() - started, "")
    except Exception as exc:
        result = (False, None, str(exc)[:200])
    cache.set(BROKER_CACHE_KEY, result, BROKER_CACHE_SECONDS)
    return result


@dataclass
class Status:
    now: object
    beat_at: object | None
    worker_at: object | None
    worker_note: str
    outbox_counts: dict
    oldest_pending_at: object | None
    last_scan_at: object | None
    broker_ok: bool
    broker_seconds: float | None
    broker_error: str
    hold_since: object | None
    hold_note: str

    def age(self, at) -> float | None:
        return (self.now - at).total_seconds() if at else None

    @property
    def beat_age(self):
        return self.age(self.beat_at)

    @property
    def worker_age(self):
        return self.age(self.worker_at)

    @property
    def oldest_pending_age(self):
        return self.age(self.oldest_pending_at)

    @property
    def last_scan_age(self):
        return self.age(self.last_scan_at)

    @property
    def beat_stale(self) -> bool:
        return beat_is_stale(self.beat_at, self.now)

    @property
    def worker_stale(self) -> bool:
        # The worker runs the heartbeat task every minute; a few missed runs is trouble.
        return self.worker_at is None or self.worker_age > 5 * 60

    @property
    def outbox_rows(self) -> list[tuple[str, str, int]]:
        return [(value, label, self.outbox_counts.get(value, 0)) for value, label in OutboxMessage.Status.choices]


def beat_is_stale(beat_at, now) -> bool:
    return beat_at is None or (now - beat_at).total_seconds() > settings.OPS_BEAT_STALE_MINUTES * 60


def collect(*, broker_cache: bool = True) -> Status:
    now = timezone.now()
    states = {s.key: s for s in OpsState.objects.all()}
    counts = dict(OutboxMessage.objects.order_by().values_list("status").annotate(n=Count("id")))
    # A retry scheduled for later is not a backlog yet: only what is due counts.
    oldest = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, available_at__lte=now).aggregate(
        m=Min("available_at")
    )["m"]
    engine = ReminderEngineState.objects.filter(key="default").first()
    ok, seconds, error = broker_ping(use_cache=broker_cache)
    hold = states.get(OpsState.RESTORE_HOLD)
    worker = states.get(OpsState.WORKER)
    beat = states.get(OpsState.BEAT)
    return Status(
        now=now,
        beat_at=beat.at if beat else None,
        worker_at=worker.at if worker else None,
        worker_note=worker.note if worker else "",
        outbox_counts=counts,
        oldest_pending_at=oldest,
        last_scan_at=engine.last_success_at if engine else None,
        broker_ok=ok,
        broker_seconds=seconds,
        broker_error=error,
        hold_since=hold.at if hold else None,
        hold_note=hold.note if hold else "",
    )


def _num(value) -> str:
    if value is None:
        return "+Inf"
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def prometheus_text(status: Status) -> str:
    """The Prometheus text exposition format (version 0.0.4), written by hand: a handful
    of gauges need no client library."""
    lines = []

    def gauge(name, help_text, samples):
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} gauge")
        for labels, value in samples:
            label_text = "{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}" if labels else ""
            lines.append(f"{name}{label_text} {_num(value)}")

    gauge("congress_heartbeat_age_seconds", "Seconds since the component was last seen (+Inf: never).",
          [({"component": "beat"}, status.beat_age), ({"component": "worker"}, status.worker_age)])
    gauge("congress_outbox_messages", "Outbox messages by status.",
          [({"status": value}, count) for value, _label, count in status.outbox_rows])
    gauge("congress_outbox_oldest_pending_age_seconds", "Age of the oldest due pending message (0: none).",
          [({}, status.oldest_pending_age or 0.0)])
    gauge("congress_broker_up", "1 when the Celery broker answered the last ping.", [({}, int(status.broker_ok))])
    gauge("congress_reminder_last_scan_age_seconds", "Seconds since the last successful reminder scan (+Inf: never).",
          [({}, status.last_scan_age)])
    gauge("congress_restore_hold", "1 while messages are held after a restore, waiting for an administrator.",
          [({}, int(status.hold_since is not None))])
    return "\n".join(lines) + "\n"


def banner_state() -> dict:
    """What the administrators' banner needs, one cached query a minute."""
    state = cache.get(BANNER_CACHE_KEY)
    if state is None:
        rows = dict(OpsState.objects.filter(key__in=[OpsState.BEAT, OpsState.RESTORE_HOLD]).values_list("key", "at"))
        state = {"beat_at": rows.get(OpsState.BEAT), "hold": OpsState.RESTORE_HOLD in rows}
        cache.set(BANNER_CACHE_KEY, state, BANNER_CACHE_SECONDS)
    return state


def ops_banner(request):
    """Context processor: warnings for administrators on every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_app_admin:
        return {}
    state = banner_state()
    warnings = []
    if beat_is_stale(state["beat_at"], timezone.now()):
        warnings.append(
            _("定时任务服务（beat）已超过 %(minutes)s 分钟未运行：期限提醒和消息发送可能已停止。")
            % {"minutes": settings.OPS_BEAT_STALE_MINUTES}
        )
    if state["hold"]:
        warnings.append(_("系统从备份恢复后，待发送的消息已暂停，请在系统状态页决定发送或丢弃。"))
    return {"ops_warnings": warnings} if warnings else {}
