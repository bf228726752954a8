"""A request never waits on the broker: with Redis down or hung, saving still succeeds
quickly, and the notification goes out once delivery runs again, exactly once."""

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import pytest
from django.core import mail
from django.db import transaction

from congress.celery import app as celery_app
from congress.models import OutboxMessage
from congress.notifications import deliver_pending
from congress.tasks import deliver_outbox
from tests import factories as f

BASE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _reset_pools():
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def celery_broker(url, timeout=4):
    """Point the Celery app at `url` with socket timeouts, as settings do for REDIS_URL.
    The timeout is longer than the request's budget, so a request that waited on the
    broker would fail the timing assertion."""
    conf = celery_app.conf
    saved = {
        key: conf.get(key)
        for key in ("broker_url", "broker_transport_options", "broker_connection_timeout", "task_always_eager")
    }
    _reset_pools()
    conf.update(
        broker_url=url,
        broker_transport_options={
            "socket_timeout": timeout, "socket_connect_timeout": timeout, "retry_on_timeout": False,
        },
        broker_connection_timeout=timeout,
        task_always_eager=False,
    )
    try:
        yield
    finally:
        _reset_pools()
        conf.update(saved)


@contextmanager
def hung_server():
    """A TCP port that accepts connections and never answers (a hung Redis)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    try:
        yield srv.getsockname()[1]
    finally:
        srv.close()


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _join_kicks(timeout=15.0) -> float:
    started = time.monotonic()
    for t in threading.enumerate():
        if t.name == "outbox-kick":
            t.join(timeout)
            assert not t.is_alive(), "the background kick must give up on its own (socket timeouts)"
    return time.monotonic() - started


@pytest.fixture
def meeting_with_staff(office, staff_user, term):
    return f.MeetingFactory(term=term, number=31, lead_office=office, location="第一会议室")


@pytest.mark.urls("tests.congress.urls_test")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("broker", ["stopped", "hung"])
def test_saving_with_the_broker_down_is_quick_and_delivers_once_later(
    broker, client, settings, caplog, meeting_with_staff, staff_user, director
):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # the real path: an on-commit kick to the broker
    client.force_login(director)
    with hung_server() as hung_port:
        port = hung_port if broker == "hung" else _closed_port()
        with celery_broker(f"redis://127.0.0.1:{port}/0"), caplog.at_level(logging.WARNING, "congress.notifications"):
            # When a record that notifies is saved
            started = time.monotonic()
            resp = client.post(f"/test/move-meeting/{meeting_with_staff.pk}/", {"location": "市民中心"})
            elapsed = time.monotonic() - started
            # Then the request succeeds quickly
            assert resp.status_code == 200
            assert elapsed < 2.0, f"request waited {elapsed:.1f}s on the broker"
            # And the background kick gives up by itself (socket timeouts) and says so
            print(f"kick gave up after {_join_kicks():.1f}s more")
            assert "outbox kick failed" in caplog.text
    meeting_with_staff.refresh_from_db()
    assert meeting_with_staff.location == "市民中心"
    # The message waits in the outbox
    row = OutboxMessage.objects.get()
    assert row.status == OutboxMessage.Status.PENDING
    assert row.recipient == staff_user
    assert mail.outbox == []
    # When the broker is back and the sweep runs, it is sent exactly once
    assert deliver_outbox.apply().get() == 1
    assert deliver_pending() == 0
    assert deliver_outbox.apply().get() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.endswith("改在市民中心召开")
    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_notify_outside_a_request_with_the_broker_down(settings, staff_user):
    # Services called from tasks or commands behave the same way.
    from congress.notifications import notify

    settings.CELERY_TASK_ALWAYS_EAGER = False
    with celery_broker(f"redis://127.0.0.1:{_closed_port()}/0"):
        started = time.monotonic()
        with transaction.atomic():
            notify(recipients=[staff_user], title="后台任务通知")
        assert time.monotonic() - started < 2.0
        _join_kicks()
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.PENDING
    assert deliver_pending() == 1 and deliver_pending() == 0


def _settings_in_subprocess(env_extra: dict, code: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(env_extra)
    env["DJANGO_SETTINGS_MODULE"] = "congress.settings"
    out = subprocess.run(
        [sys.executable, "-c", "import django, json; django.setup()\n" + code],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_redis_connections_carry_socket_timeouts(tmp_path):
    code = (
        "from django.conf import settings\n"
        "from congress.celery import app\n"
        "conn = app.connection_for_write()\n"
        "print(json.dumps({'settings': settings.CELERY_BROKER_TRANSPORT_OPTIONS,"
        " 'app': dict(app.conf.broker_transport_options), 'conn': dict(conn.transport_options),"
        " 'transport': conn.transport_cls, 'timeout': app.conf.broker_connection_timeout}))"
    )
    data = _settings_in_subprocess(
        {"REDIS_URL": "redis://redis.internal:6379/0", "REDIS_SOCKET_TIMEOUT": "3", "APP_VAR_DIR": str(tmp_path)}, code
    )
    assert data["transport"] == "redis"
    for key in ("settings", "app", "conn"):
        opts = data[key]
        assert opts["socket_timeout"] == 3.0
        assert opts["socket_connect_timeout"] == 3.0
        assert opts["retry_on_timeout"] is False
    assert data["timeout"] == 3.0


def test_without_redis_the_broker_is_embedded(tmp_path):
    code = (
        "from congress.celery import app\n"
        "print(json.dumps({'url': app.conf.broker_url, 'opts': dict(app.conf.broker_transport_options)}))"
    )
    data = _settings_in_subprocess({"APP_VAR_DIR": str(tmp_path)}, code)
    assert data["url"].startswith("filesystem://")
    assert data["opts"]["data_folder_in"].startswith(str(tmp_path))
    assert (tmp_path / "broker" / "queue").is_dir()

