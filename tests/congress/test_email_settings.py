"""Every email setting README lists works from the environment."""

import importlib

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.test import override_settings

EMAIL_NAMES = [
    "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS",
    "EMAIL_USE_SSL", "EMAIL_TIMEOUT", "EMAIL_FILE_PATH", "EMAIL_SSL_CERTFILE", "EMAIL_SSL_KEYFILE",
    "DEFAULT_FROM_EMAIL", "SERVER_EMAIL",
]


@pytest.fixture
def settings_from_env(monkeypatch):
    """Re-read congress/settings.py with the given environment; returns its email settings."""
    import congress.settings as module

    def load(**env):
        for name in EMAIL_NAMES:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        reloaded = importlib.reload(module)
        return {name: getattr(reloaded, name) for name in EMAIL_NAMES}

    yield load
    monkeypatch.undo()
    importlib.reload(module)


def test_file_backend_writes_the_message_to_the_configured_folder(settings_from_env, tmp_path):
    folder = tmp_path / "mail"
    conf = settings_from_env(EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
                             EMAIL_FILE_PATH=str(folder))
    with override_settings(**conf):
        sent = mail.send_mail("测试", "正文", None, ["a@example.cn"], connection=mail.get_connection())
    assert sent == 1
    files = list(folder.iterdir())
    assert len(files) == 1
    assert "a@example.cn" in files[0].read_text()


def test_smtp_settings_are_parsed(settings_from_env):
    conf = settings_from_env(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="smtp.example.cn",
        EMAIL_PORT="465", EMAIL_HOST_USER="rd", EMAIL_HOST_PASSWORD="s3cret", EMAIL_USE_SSL="1",
        EMAIL_TIMEOUT="7", EMAIL_SSL_CERTFILE="/etc/ssl/c.pem", EMAIL_SSL_KEYFILE="/etc/ssl/k.pem",
        DEFAULT_FROM_EMAIL="rd@example.cn",
    )
    assert conf["EMAIL_PORT"] == 465 and conf["EMAIL_TIMEOUT"] == 7
    assert conf["EMAIL_USE_SSL"] is True and conf["EMAIL_USE_TLS"] is False
    assert conf["SERVER_EMAIL"] == "rd@example.cn"
    with override_settings(**conf):
        backend = mail.get_connection()
    assert isinstance(backend, SmtpBackend)
    assert (backend.host, backend.port, backend.username, backend.password) == ("smtp.example.cn", 465, "rd", "s3cret")
    assert (backend.use_ssl, backend.use_tls, backend.timeout) == (True, False, 7)
    assert (backend.ssl_certfile, backend.ssl_keyfile) == ("/etc/ssl/c.pem", "/etc/ssl/k.pem")


def test_starttls_and_defaults(settings_from_env):
    conf = settings_from_env(EMAIL_USE_TLS="yes", EMAIL_PORT="587")
    assert conf["EMAIL_USE_TLS"] is True and conf["EMAIL_USE_SSL"] is False and conf["EMAIL_PORT"] == 587
    assert conf["EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert conf["EMAIL_FILE_PATH"]  # never None: the file backend cannot fail on a missing path
    assert conf["EMAIL_SSL_CERTFILE"] is None


def test_tls_and_ssl_together_are_refused_at_start(settings_from_env):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_USE_TLS"):
        settings_from_env(EMAIL_USE_TLS="1", EMAIL_USE_SSL="1")
