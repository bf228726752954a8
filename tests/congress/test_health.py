"""Health and monitoring: heartbeats, the administrators' status page, the Prometheus
endpoint, and the banner when the beat has stopped."""

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from congress import ops
from congress.models import OpsState, OutboxMessage
from congress.notifications import notify
from congress.tasks import heartbeat

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)


def test_worker_and_beat_write_their_heartbeats(settings, tmp_path):
    from celery.beat import PersistentScheduler

    from congress.beat import HeartbeatScheduler
    from congress.celery import app

    assert settings.CELERY_BEAT_SCHEDULER == "congress.beat:HeartbeatScheduler"
    entry = settings.CELERY_BEAT_SCHEDULE["heartbeat"]
    assert entry["schedule"] <= 60 and entry["options"]["expires"] < 60
    with time_machine.travel(NOW, tick=False):
        heartbeat.delay()
        scheduler = HeartbeatScheduler(app=app, schedule_filename=str(tmp_path / "schedule"), lazy=True)
        with mock.patch.object(PersistentScheduler, "tick", return_value=300.0):
            # The beat never sleeps past its next heartbeat
            assert scheduler.tick() <= 30
    seen = dict(OpsState.objects.values_list("key", "at"))
    assert seen == {"worker": NOW, "beat": NOW}


def test_status_page_shows_heartbeats_backlog_broker_and_scan(client_as, admin_user, staff_user):
    with time_machine.travel(NOW - dt.timedelta(hours=1), tick=False):
        notify(recipients=[staff_user], title="积压")
    OpsState.objects.create(key="beat", at=NOW - dt.timedelta(minutes=45))
    OpsState.objects.create(key="worker", at=NOW - dt.timedelta(seconds=20), note="celery@w1")
    with time_machine.travel(NOW, tick=False):
        page = client_as(admin_user).get(reverse("ops:status"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "系统状态" in text and "celery@w1" in text
    assert "2026-12-01 09:00:00" in text  # the oldest pending message, Beijing time
    assert "无响应" not in text  # the embedded broker answers
    # The beat, 45 minutes silent, is flagged; the banner tells the administrator
    assert text.count("异常") == 1
    assert "定时任务服务（beat）已超过 30 分钟未运行" in text


def test_status_page_is_for_administrators_only(client_as, staff_user):
    assert client_as(staff_user).get(reverse("ops:status")).status_code == 403


def test_metrics_in_prometheus_text_format_behind_a_token(client, settings, staff_user):
    # Not configured: no endpoint at all
    assert client.get("/ops/metrics").status_code == 404
    settings.OPS_METRICS_TOKEN = "s3cret-token"
    assert client.get("/ops/metrics").status_code == 403
    assert client.get("/ops/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    with time_machine.travel(NOW - dt.timedelta(minutes=10), tick=False):
        notify(recipients=[staff_user], title="积压")
    OpsState.objects.create(key="worker", at=NOW - dt.timedelta(seconds=30))
    with time_machine.travel(NOW, tick=False):
        resp = client.get("/ops/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("text/plain; version=0.0.4")
    lines = resp.content.decode().splitlines()
    assert "# TYPE congress_outbox_messages gauge" in lines
    assert 'congress_outbox_messages{status="pending"} 1' in lines
    assert "congress_outbox_oldest_pending_age_seconds 600.000" in lines
    assert 'congress_heartbeat_age_seconds{component="worker"} 30.000' in lines
    assert 'congress_heartbeat_age_seconds{component="beat"} +Inf' in lines
    assert "congress_broker_up 1" in lines
    assert "congress_restore_hold 0" in lines


def test_metrics_from_an_allowed_address(client, settings):
    settings.OPS_METRICS_ALLOWED_IPS = ["10.0.0.5"]
    assert client.get("/ops/metrics", REMOTE_ADDR="10.0.0.9").status_code == 403
    assert client.get("/ops/metrics", REMOTE_ADDR="10.0.0.5").status_code == 200


def test_a_broker_that_does_not_answer_is_reported(client, settings):
    settings.OPS_METRICS_ALLOWED_IPS = ["127.0.0.1"]
    with mock.patch("congress.celery.app.connection_for_write", side_effect=OSError("Connection refused")):
        status = ops.collect(broker_cache=False)
        assert status.broker_ok is False and "refused" in status.broker_error
        assert "congress_broker_up 0" in client.get("/ops/metrics").content.decode()


def test_banner_for_administrators_only_when_the_beat_is_silent(client_as, admin_user, staff_user):
    OpsState.objects.create(key="beat", at=timezone.now() - dt.timedelta(minutes=10))
    home = reverse("home")
    assert "未运行" not in client_as(admin_user).get(home).content.decode()
    OpsState.objects.filter(key="beat").update(at=timezone.now() - dt.timedelta(minutes=31))
    ops.cache.delete(ops.BANNER_CACHE_KEY)
    assert "定时任务服务（beat）已超过 30 分钟未运行" in client_as(admin_user).get(home).content.decode()
    assert "未运行" not in client_as(staff_user).get(home).content.decode()


def test_the_banner_costs_one_query_a_minute():
    with CaptureQueriesContext(connection) as first:
        ops.banner_state()
    with CaptureQueriesContext(connection) as second:
        ops.banner_state()
    assert (len(first), len(second)) == (1, 0)


def test_held_messages_are_counted(staff_user):
    notify(recipients=[staff_user], title="暂停")
    OutboxMessage.objects.update(status=OutboxMessage.Status.HELD)
    assert ops.collect().outbox_counts == {"held": 1}
