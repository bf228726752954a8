"""Deployment: the health endpoint, docker-compose.yml and the Dockerfile fit the code,
and production settings pass `check --deploy`."""

import importlib
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

BASE = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((BASE / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in resp["Cache-Control"] or "max-age=0" in resp["Cache-Control"]


@pytest.mark.django_db
def test_healthz_says_503_when_the_database_is_down(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, *args, **kwargs):
        from django.db import OperationalError

        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    resp = client.get("/healthz")
    assert resp.status_code == 503
    assert resp.json()["database"] == "unavailable"


def test_compose_has_the_five_services_with_health_checks():
    assert set(SERVICES) == {"postgres", "redis", "web", "worker", "beat"}
    assert SERVICES["postgres"]["image"].startswith("postgres:16")
    assert SERVICES["redis"]["image"].startswith("redis:7")
    assert "pg_isready" in " ".join(SERVICES["postgres"]["healthcheck"]["test"])
    assert SERVICES["redis"]["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]
    assert "/healthz" in " ".join(SERVICES["web"]["healthcheck"]["test"])
    for name in ("web", "worker", "beat"):
        deps = SERVICES[name]["depends_on"]
        assert deps["postgres"]["condition"] == "service_healthy", name
        assert deps["redis"]["condition"] == "service_healthy", name


def test_compose_uses_named_volumes():
    declared = set(COMPOSE["volumes"])
    assert {"pgdata", "media", "beat"} <= declared
    used = set()
    for name, svc in SERVICES.items():
        for vol in svc.get("volumes", []):
            source = vol.split(":")[0]
            assert not source.startswith((".", "/")), f"{name} uses a bind mount: {vol}"
            used.add(source)
    assert used <= declared
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["postgres"]["volumes"]
    assert any(v.startswith("media:") for v in SERVICES["web"]["volumes"])
    beat_cmd = " ".join(SERVICES["beat"]["command"])
    beat_mount = next(v.split(":")[1] for v in SERVICES["beat"]["volumes"] if v.startswith("beat:"))
    assert f"--schedule {beat_mount}/" in beat_cmd, "the beat schedule file lives on its volume"


def test_app_services_get_database_and_redis_urls():
    for name in ("web", "worker", "beat"):
        env = SERVICES[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"], name
        assert env["REDIS_URL"] == "redis://redis:6379/0", name
        assert env["MEDIA_ROOT"] == "/app/var/media"


def _command(svc) -> str:
    cmd = svc["command"]
    return " ".join(cmd) if isinstance(cmd, list) else cmd


def test_commands_match_real_modules_and_management_commands():
    web = _command(SERVICES["web"])
    for step in ("manage.py migrate", "manage.py vendor_assets", "manage.py collectstatic", "gunicorn congress.wsgi"):
        assert step in web, step
    # gunicorn's module:attribute exists
    for target in re.findall(r"gunicorn ([\w.]+):(\w+)", web):
        assert hasattr(importlib.import_module(target[0]), target[1])
    # every manage.py command used exists
    dockerfile = (BASE / "Dockerfile").read_text()
    used = set(re.findall(r"manage\.py (\w+)", web + dockerfile))
    assert used <= set(get_commands()), used - set(get_commands())
    # celery -A congress finds the app
    assert shlex.split(_command(SERVICES["worker"]))[:4] == ["celery", "-A", "congress", "worker"]
    assert shlex.split(_command(SERVICES["beat"]))[:4] == ["celery", "-A", "congress", "beat"]
    from celery import Celery

    assert isinstance(importlib.import_module("congress.celery").app, Celery)


def test_dockerfile_builds_from_files_that_exist():
    text = (BASE / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.1[1-9]", text, re.M)
    for line in re.findall(r"^COPY (.+)$", text, re.M):
        for src in line.split()[:-1]:
            if src != ".":
                assert (BASE / src).exists(), src
    cmd = re.search(r"^CMD (\[.*\])$", text, re.M).group(1)
    assert "congress.wsgi:application" in cmd
    ignore = (BASE / ".dockerignore").read_text().split()
    assert ".venv" in ignore and "var" in ignore and ".git" in ignore


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        DJANGO_SECURE="1",
        DJANGO_SECRET_KEY="k8#Qz!v2Lr@x9Wd$Tn4Ym&Pb7Hc*Jf6Gs^Ea3Ku%Rw5Ni8Xo1Vt",
        DJANGO_ALLOWED_HOSTS="rdcwh.example.cn",
        APP_VAR_DIR=str(tmp_path),
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING", "--tag", "security"],
        cwd=BASE, env=env, capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
