"""Settings of the work-plan tracker.

One place reads the environment. With nothing set the app runs on SQLite with an
embedded (filesystem) Celery broker; with DATABASE_URL and REDIS_URL it runs on
PostgreSQL and Redis.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("APP_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "insecure-dev-key-change-me-" + "x" * 40
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_ratelimit",
    "congress",
    "plans",
    "deputies",
    "supervision",
    "dashboards",
    "legislation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "congress.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "congress.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "congress.context_processors.navigation",
                "congress.ops.ops_banner",
            ],
        },
    },
]

WSGI_APPLICATION = "congress.wsgi.application"

# --- Database -------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "staticfiles").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several processes (web, worker, beat) share the file: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    # Covering indexes (INCLUDE columns) serve PostgreSQL; SQLite builds them without the extra columns.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
# --- Database performance ---
if DATABASES["default"]["ENGINE"].endswith("postgresql") and not env_bool("DB_JIT", False):
    # PostgreSQL's JIT compiles the dashboard's aggregates at each call (200–270 ms each)
    # and never pays back on queries that read an index: off for the app's connections.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "congress.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Language and time ----------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- Email and webhooks ---------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@rdcwh.local")
# The file backend (django.core.mail.backends.filebased.EmailBackend) writes one file per message here.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH") or str(VAR_DIR / "mail")
EMAIL_SSL_CERTFILE = os.environ.get("EMAIL_SSL_CERTFILE") or None
EMAIL_SSL_KEYFILE = os.environ.get("EMAIL_SSL_KEYFILE") or None
EMAIL_SUBJECT_PREFIX = os.environ.get("EMAIL_SUBJECT_PREFIX", "[Django] ")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("EMAIL_USE_TLS (STARTTLS, port 587) and EMAIL_USE_SSL (port 465) exclude each other")
# Group-robot webhooks (WeCom / DingTalk). Per-office URLs can be set in the admin;
# this is the installation-wide default.
NOTIFY_WEBHOOK_URL = os.environ.get("NOTIFY_WEBHOOK_URL", "")
NOTIFY_WEBHOOK_KIND = os.environ.get("NOTIFY_WEBHOOK_KIND", "wecom")  # wecom | dingtalk
NOTIFY_WEBHOOK_TIMEOUT = float(os.environ.get("NOTIFY_WEBHOOK_TIMEOUT", "5"))
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# --- Celery ---------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_SOCKET_TIMEOUT = float(os.environ.get("REDIS_SOCKET_TIMEOUT", "2"))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_timeout": REDIS_SOCKET_TIMEOUT,
        "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
        "retry_on_timeout": False,
        "max_connections": 20,
        "visibility_timeout": 3600,
    }
else:
    # Embedded broker: messages are files in a folder shared by web, worker and beat.
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Schedules are in Beijing time (CELERY_TIMEZONE). The outbox sweep is the delivery
# guarantee; the on-commit kick only makes delivery quicker when the broker is up.
CELERY_BEAT_SCHEDULE = {
    "deliver-outbox": {"task": "congress.tasks.deliver_outbox", "schedule": 30.0},
    # Reminders go out in office hours (Beijing time); each scan is cheap and idempotent,
    # so a scan every 15 minutes picks up today's changes (a moved meeting, a new item).
    "scan-reminders": {"task": "congress.tasks.scan_reminders", "schedule": crontab(minute="*/15", hour="7-20")},
    "daily-digest": {"task": "congress.tasks.send_daily_digests", "schedule": crontab(hour=8, minute=30)},
    # Replies not rated within the evaluation window close as 未反馈 (domain §2).
    "deputies-expire-evaluations": {"task": "deputies.tasks.expire_evaluations", "schedule": crontab(hour=0, minute=30)},
    # The dashboard's stored year figures that a write made stale are computed again, so
    # the first read after a write does not have to (it would compute them itself).
    "dashboards-refresh-year-figures": {
        "task": "dashboards.tasks.refresh_year_figures", "schedule": 60.0, "options": {"expires": 55},
    },
}
OUTBOX_BATCH_SIZE = 100
OUTBOX_MAX_ATTEMPTS = 8
# How long one message's claim lasts: longer than the slowest send the transport timeouts
# allow (an SMTP send is several round trips, each up to EMAIL_TIMEOUT), and no longer, so
# a killed worker's message in flight goes out again soon (see congress/notifications.py).
OUTBOX_CLAIM_SECONDS = int(
    os.environ.get("OUTBOX_CLAIM_SECONDS") or 6 * max(EMAIL_TIMEOUT, NOTIFY_WEBHOOK_TIMEOUT) + 30
)

# --- Operations -----------------------------------------------------------
# Webhook JSON field carrying the message id (empty: only in the text and X-Message-Id header).
NOTIFY_WEBHOOK_ID_FIELD = os.environ.get("NOTIFY_WEBHOOK_ID_FIELD", "message_id")
# Heartbeats: the beat writes its own row (congress.beat.HeartbeatScheduler) and sends a
# heartbeat task every minute, which the worker that runs it records.
CELERY_BEAT_SCHEDULER = "congress.beat:HeartbeatScheduler"
CELERY_BEAT_SCHEDULE["heartbeat"] = {
    "task": "congress.tasks.heartbeat",
    "schedule": 60.0,
    "options": {"expires": 55},
}
# Administrators see a banner when the beat has not been seen for this long.
OPS_BEAT_STALE_MINUTES = int(os.environ.get("OPS_BEAT_STALE_MINUTES", "30"))
# /ops/metrics (Prometheus text format) answers a request carrying
# "Authorization: Bearer <OPS_METRICS_TOKEN>" or coming from one of OPS_METRICS_ALLOWED_IPS
# (comma-separated addresses as the app sees REMOTE_ADDR); with neither set it answers 404.
OPS_METRICS_TOKEN = os.environ.get("OPS_METRICS_TOKEN", "")
OPS_METRICS_ALLOWED_IPS = [a.strip() for a in os.environ.get("OPS_METRICS_ALLOWED_IPS", "").split(",") if a.strip()]
# Where `manage.py backup` writes when no path is given.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))

# --- Cache ----------------------------------------------------------------
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Counters of the public (no sign-in) pages' rate limits (django-ratelimit): they must be
# shared by every web process, so Redis where it is configured. The embedded mode (no
# REDIS_URL) keeps them in the process's memory: a limit then holds per web process.
if REDIS_URL:
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "ratelimit",
        "OPTIONS": {"socket_timeout": 5, "socket_connect_timeout": 5},
    }
else:
    CACHES["ratelimit"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}
RATELIMIT_USE_CACHE = "ratelimit"
# Reference data's choice lists for the filter forms (congress/choice_cache.py): shared by every
# web process where Redis is configured, dropped on every write to their table.
CACHES["shared"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "shared",
     "OPTIONS": {"socket_timeout": 5, "socket_connect_timeout": 5}}
    if REDIS_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"}
)
CHOICE_CACHE_SECONDS = int(os.environ.get("CHOICE_CACHE_SECONDS", "300"))
SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "django_ratelimit.W001"]
if not REDIS_URL:
    # The embedded mode runs one web process: its memory is the shared cache ratelimit asks for.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# --- REST API -------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: a request without valid credentials gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "congress.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "congress.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
from congress.api.schema import ProjectEnumNames  # noqa: E402

SPECTACULAR_SETTINGS = {
    "TITLE": "人大常委会工作计划管理系统 API",
    "DESCRIPTION": "REST API of the standing committee work-plan tracker.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Offline docs: no badge fetched from validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": True,
    # Every Choices class of the project's apps gets a stable enum name (Meeting.Kind ->
    # MeetingKindEnum) instead of a collision-resolved "Status506Enum"; see congress/api/schema.py.
    "ENUM_NAME_OVERRIDES": ProjectEnumNames(BASE_DIR),
}

# --- API surface: browsable forms for administrators only; schema and docs signed-in ---
REST_FRAMEWORK["DEFAULT_CONTENT_NEGOTIATION_CLASS"] = "congress.api.negotiation.BrowsableForAdministrators"
SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"] = ["rest_framework.permissions.IsAuthenticated"]
# FilterSets generated from `filterset_fields` get the scoped base too (congress/filtersets.py).
REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"] = [
    "congress.api.filtersets.FilterBackend" if b == "django_filters.rest_framework.DjangoFilterBackend" else b
    for b in REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"]
]

# --- Domain defaults ------------------------------------------------------
# Periods of domain §8 live in the database (congress.PeriodSetting) with these
# defaults from congress/periods.py; here only installation-level switches.
LEGISLATION_ENABLED = env_bool("LEGISLATION_ENABLED", True)  # only 设区的市 and above legislate
INSTALLATION_NAME = os.environ.get("INSTALLATION_NAME", "江州市人大常委会")

# --- Security -------------------------------------------------------------
# DJANGO_SECURE=1 behind an HTTPS proxy (with DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS
# set) passes `manage.py check --deploy`.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Container health checks call /healthz over plain HTTP from inside the host.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# A stale form (session expired, page left open) gets the friendly Chinese 403 page.
CSRF_FAILURE_VIEW = "congress.errors.csrf_failure"
if env_bool("DJANGO_SECURE", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

APP_TITLE = _("人大常委会工作计划管理系统")

# --- Content security and uploads -----------------------------------------
# Strict Content-Security-Policy on every response (django-csp 4). Pages load scripts
# and styles from static files only; the nonce is used by the offline API docs alone
# (it appears in the header only on responses whose template asked for it). Bootstrap's
# form and navbar icons are data: SVGs in its stylesheet, hence data: for images.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "font-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Largest accepted upload per kind, in MB (congress/uploads.py).
UPLOAD_MAX_MB = {"document": 20, "image": 10, "import": 10}
# Limits of the plan importer on a .docx (zip bombs and pathological documents).
IMPORT_DOCX_MAX_UNCOMPRESSED_MB = 50
IMPORT_DOCX_MAX_RATIO = 100
IMPORT_MAX_PARAGRAPHS = 5000
IMPORT_MAX_SECONDS = 10
# One line per refused request (403/404 without traceback), one traceback per 500: the
# "django" logger writes to the console itself instead of also propagating to the root
# (which printed every django.request record twice when DEBUG was on).
LOGGING.setdefault("filters", {})["client_errors_one_line"] = {"()": "congress.errors.ClientErrorWithoutTraceback"}
LOGGING["handlers"]["console"].setdefault("filters", []).append("client_errors_one_line")
# Sign-ins are in the audit log (congress.security); axes' own line per login is noise.
LOGGING["loggers"]["axes"] = {"level": "WARNING"}
LOGGING["loggers"]["django"] = {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO"), "propagate": False}
# --- Login, sessions and audit (等保) ---------------------------------------
# GB/T 22239 level 3: lockout, idle sign-out, expiring tokens, password rules, two-factor, audit.
INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp", "congress.security"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                  "django_otp.middleware.OTPMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
                  "congress.security.middleware.LoginRulesMiddleware")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # last, as axes asks
TEMPLATES[0]["OPTIONS"]["context_processors"].append("congress.security.context_processors.idle")
# AxesBackend is ModelBackend with the lockout check in front; authenticate() without a
# request (only code that runs outside HTTP) skips the lockout check.
AUTHENTICATION_BACKENDS = ["congress.security.backends.LockoutBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = __import__("datetime").timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30")))
# Either criterion locks: 5 failures on one account (from anywhere), or 5 from one address
# (on any accounts, so rotating usernames does not help). A success resets nothing.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "congress.security.lockout.lockout_response"
AXES_VERBOSE = False
# Behind a reverse proxy set TRUSTED_PROXY_COUNT so the real client address is counted.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0")) or None
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
# Idle sign-out (our middleware); the session itself ends when the browser closes, and
# the server drops it after SESSION_COOKIE_AGE without any save.
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", "1800"))
SESSION_IDLE_EXEMPT_PATHS = ["/api/v1/notifications/unread-count/"]
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 12 * 3600
SESSION_SAVE_EVERY_REQUEST = False
API_TOKEN_TTL_DAYS = int(os.environ.get("API_TOKEN_TTL_DAYS", "30"))
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "congress.security.authentication.ExpiringTokenAuthentication",
    "rest_framework.authentication.SessionAuthentication",
]
AUTH_PASSWORD_VALIDATORS += [
    {"NAME": "congress.security.validators.CharacterClassesValidator", "OPTIONS": {"min_length": 8, "min_classes": 3}},
    {"NAME": "congress.security.validators.NotUsernameValidator"},
    {"NAME": "congress.security.validators.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
]
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
# Demo accounts (made by seed_demo) skip the password-age rule only when this is on.
DEMO_MODE = env_bool("DEMO_MODE", False)
# Two-factor: administrators always; these roles too (comma list, e.g. "director,vice_director,staff").
OTP_REQUIRED_ROLES = {r for r in os.environ.get("OTP_REQUIRED_ROLES", "").split(",") if r}
OTP_TOTP_ISSUER = INSTALLATION_NAME
OTP_TOTP_THROTTLE_FACTOR = 1
AUDIT_RETENTION_DAYS = max(int(os.environ.get("AUDIT_RETENTION_DAYS", "180")), 180)
CELERY_BEAT_SCHEDULE["security-purge-audit"] = {
    "task": "congress.security.tasks.purge_audit_log", "schedule": crontab(hour=2, minute=15),
}
# --- Lists ---
# A deputy who leads or co-signs more items than this has their list walk the list's own
# index (a test of the lead deputy on each entry) instead of joining their items' keys.
DEPUTY_SCOPE_WALK_FROM = int(os.environ.get("DEPUTY_SCOPE_WALK_FROM", "5000"))
# --- Similarity and exports ---
# Similar items: bigrams held by more than SIMILAR_MAX_DF items of the term are too common
# to find anything; the item's rarest bigrams (at most SIMILAR_QUERY_GRAMS of them, reading at
# most SIMILAR_POSTINGS_BUDGET index rows) pick at most SIMILAR_CANDIDATES candidates, which
# are then ranked on their full text. These bound the cost whatever the size of the term.
SIMILAR_MAX_DF = int(os.environ.get("SIMILAR_MAX_DF", "5000"))
SIMILAR_QUERY_GRAMS = int(os.environ.get("SIMILAR_QUERY_GRAMS", "32"))
SIMILAR_POSTINGS_BUDGET = int(os.environ.get("SIMILAR_POSTINGS_BUDGET", "20000"))
SIMILAR_CANDIDATES = int(os.environ.get("SIMILAR_CANDIDATES", "200"))

# --- Legislation: plans and regulation projects (legislation/, domain §9) ---
# Readings before the vote: three is the rule (Legislation Law art. 32 for national laws;
# local 立法条例 follow it); two are common locally when views agree. 2 or 3.
LEGISLATION_READINGS = int(os.environ.get("LEGISLATION_READINGS", "3"))
# A 设区的市 submits each regulation to the provincial standing committee for approval
# (Legislation Law art. 81); a province-level installation sets this off.
LEGISLATION_NEEDS_APPROVAL = env_bool("LEGISLATION_NEEDS_APPROVAL", True)
# The office that runs the legislative process with the lead committee (its short name).
LEGISLATION_AFFAIRS_OFFICE = os.environ.get("LEGISLATION_AFFAIRS_OFFICE", "法工委")
# Deadlines (legislation/periods.py reads them; reminders in legislation/reminders.py):
# the provincial standing committee decides within 4 months of receiving it (art. 81);
LEGISLATION_APPROVAL_MONTHS = int(os.environ.get("LEGISLATION_APPROVAL_MONTHS", "4"))
# filing (备案) with the higher bodies within 30 days of publication (art. 109);
LEGISLATION_FILING_DAYS = int(os.environ.get("LEGISLATION_FILING_DAYS", "30"))
# the next reading within this many months of the last one (local 立法条例; our default);
LEGISLATION_READING_INTERVAL_MONTHS = int(os.environ.get("LEGISLATION_READING_INTERVAL_MONTHS", "4"))
# publication by the city's standing committee after approval (local practice; our default).
LEGISLATION_PUBLICATION_DAYS = int(os.environ.get("LEGISLATION_PUBLICATION_DAYS", "15"))
# --- Public comment on draft regulations (公开征求意见, legislation/*consultation*) ---
# Legislation Law art. 40: drafts are published for comment for at least 30 days; local
# practice follows, so the shortest period (and the default length) is a setting.
CONSULTATION_MIN_DAYS = int(os.environ.get("CONSULTATION_MIN_DAYS", "30"))
# Per sender address (django-ratelimit rates, all of them apply): comments per 10 minutes and per day.
CONSULTATION_RATE_LIMITS = [r for r in os.environ.get("CONSULTATION_RATE_LIMITS", "5/10m,30/d").split(",") if r]
CONSULTATION_MAX_TEXT = int(os.environ.get("CONSULTATION_MAX_TEXT", "3000"))  # characters of one comment
# --- 代表码: citizens leave an opinion for a deputy through the QR code (domain §9) ---
# Rate limits per client address (django-ratelimit syntax) of the public submit and
# tracking pages, the longest opinion accepted, and the address printed in the QR codes
# (e.g. https://rd.example.gov.cn; empty: the host of the request that draws the poster).
DEPUTY_CODE_SUBMIT_RATE = os.environ.get("DEPUTY_CODE_SUBMIT_RATE", "5/h")
DEPUTY_CODE_TRACK_RATE = os.environ.get("DEPUTY_CODE_TRACK_RATE", "30/h")
DEPUTY_CODE_MAX_CHARS = int(os.environ.get("DEPUTY_CODE_MAX_CHARS", "2000"))
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")
# --- Export jobs ---
# A list export of at most EXPORT_INLINE_MAX_ROWS rows downloads at once; a longer one is
# written by the worker (congress/export_jobs.py) into a file kept EXPORT_KEEP_DAYS days.
# A job still "running" after EXPORT_STALE_MINUTES lost its worker and is marked failed.
EXPORT_INLINE_MAX_ROWS = int(os.environ.get("EXPORT_INLINE_MAX_ROWS", "2000"))
EXPORT_KEEP_DAYS = int(os.environ.get("EXPORT_KEEP_DAYS", "7"))
EXPORT_STALE_MINUTES = int(os.environ.get("EXPORT_STALE_MINUTES", "60"))
CELERY_BEAT_SCHEDULE["export-jobs-sweep"] = {"task": "congress.tasks.sweep_export_jobs", "schedule": 300.0}
