"""Settings: every knob comes from the environment, with a safe default.

Nothing here needs configuring to run on a laptop: SQLite under DATA_DIR and a
Celery broker on the filesystem. DATABASE_URL and CELERY_BROKER_URL switch to
PostgreSQL and Redis. `.env.example` lists every variable.
"""

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from kombu import Exchange, Queue

from workbench.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_networks,
    env_rate,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    """Use DJANGO_SECRET_KEY, or a random key kept in DATA_DIR so sessions survive restarts."""
    configured = env_str("DJANGO_SECRET_KEY", "")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # Made aside, then linked into place: of processes starting at once (replicas
        # sharing DATA_DIR), the first link wins and every process reads that one key.
        draft = DATA_DIR / f".secret_key.{os.getpid()}"
        draft.write_text(secrets.token_urlsafe(50))
        draft.chmod(0o600)
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "annotations",
]

MIDDLEWARE = [
    # The request id and the latency of everything (workbench/middleware.py); then
    # /healthz, /readyz and /metrics, before the host check and the HTTPS redirect
    # (workbench/health.py).
    "workbench.middleware.RequestObservability",
    # Gives a big upload's freed memory back to the system once answered (workbench/memory.py).
    "workbench.memory.ReleaseMemoryAfterBigRequests",
    "workbench.health.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the browser's (Accept-Language, or the switcher's cookie) first, then
    # the user's saved choice over it once the user is known (annotations/language.py).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "annotations.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "annotations.middleware.RefuseNulInQuery",
]

ROOT_URLCONF = "workbench.urls"
WSGI_APPLICATION = "workbench.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'workbench.sqlite3'}")
    try:
        parsed = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
    config: dict[str, Any] = dict(parsed)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # The web server and the export worker share one file: WAL lets readers
        # run beside the writer, IMMEDIATE transactions take the write lock up
        # front (no deadlocking lock upgrades) and the timeout waits for it.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


DATABASES = {"default": _database()}


def _cache(url: str) -> dict[str, Any]:
    """Unset: a table in the database (`createcachetable` runs after every migrate), shared
    by every worker process with no other service; `redis://…`: Redis."""
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "workbench_cache",
            # Culling starts past this many keys; each login attempt's address and username
            # is a key, and culled keys would forget attempts.
            "OPTIONS": {"MAX_ENTRIES": 200_000},
        }
    if url.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(f"CACHE_URL={url!r}: use redis://… or leave it unset")


# The cache holds the login attempt counts (annotations/throttling.py), so it must be shared
# by every gunicorn worker: never a per-process memory cache.
CACHES = {"default": _cache(env_str("CACHE_URL", ""))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Loads the user with their preferences in the same query (the saved language is read on
# every request, annotations/language.py).
AUTHENTICATION_BACKENDS = ["annotations.language.PreferencesBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

# The interface speaks English and Bahasa Indonesia; anything else gets English.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("id", "Bahasa Indonesia")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
_FRONTEND_DIST = BASE_DIR / "frontend" / "dist"
STATICFILES_DIRS = [_FRONTEND_DIST] if _FRONTEND_DIST.is_dir() else []
# Serve straight from the finders too, so `make run` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"


# Files (export zips, the uploaded import files): the filesystem under DATA_DIR/media, or an
# S3-compatible bucket that every web and worker machine shares (DECISIONS.md 54). Objects are
# written with no ACL (private, as the bucket's owner holds them) and only ever read by the
# app after its permission check: nothing links to the bucket.
FILE_STORAGE = env_choice("FILE_STORAGE", "filesystem", ("filesystem", "s3"))
# Multipart part size for files written to S3: the most of a file a process holds in memory
# (S3's smallest part is 5 MiB; 10,000 parts of 8 MiB allow 80 GB).
S3_PART_BYTES = env_int("S3_PART_BYTES", 8 * 1024 * 1024, minimum=5 * 1024 * 1024)


def _s3_options() -> dict[str, Any]:
    bucket = env_str("S3_BUCKET", "")
    if not bucket:
        raise ImproperlyConfigured("FILE_STORAGE=s3 needs S3_BUCKET")
    access_key, secret_key = env_str("S3_ACCESS_KEY_ID", ""), env_str("S3_SECRET_ACCESS_KEY", "")
    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured(
            "set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither (then boto3's own "
            "chain: AWS_* variables, a profile, the machine's role)"
        )
    return {
        "bucket_name": bucket,
        "endpoint_url": env_url("S3_ENDPOINT_URL", "") or None,
        "region_name": env_str("S3_REGION", "us-east-1"),
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "addressing_style": env_choice("S3_ADDRESSING_STYLE", "auto", ("auto", "path", "virtual")),
        "location": env_str("S3_PREFIX", "").strip("/"),
        # No ACL header: objects stay private whatever the caller; never public-read.
        "default_acl": None,
        # Two uploads of one name keep both (exports write per-attempt names anyway).
        "file_overwrite": False,
        # Nothing hands out the bucket's URLs; if something ever asks, they expire in a minute.
        "querystring_auth": True,
        "querystring_expire": 60,
    }


STORAGES = {
    "default": (
        {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options()}
        if FILE_STORAGE == "s3"
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

# Uploads and request bodies over this size get 413 before anything is parsed; an archive
# may inflate to no more than this either.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 50 * 1024 * 1024, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Counts the bytes of a file as they arrive (a chunked upload declares no length).
FILE_UPLOAD_HANDLERS = [
    "annotations.parsers.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# The longest document text, in code points (a long feature article is ~50,000).
DOCUMENT_MAX_CHARS = env_int("DOCUMENT_MAX_CHARS", 1_000_000, minimum=1)
# Members an uploaded archive (a brat zip) may hold.
ARCHIVE_MAX_MEMBERS = env_int("ARCHIVE_MAX_MEMBERS", 20_000, minimum=1)
# Quotas: documents in one project, projects one account may create (superusers: no limit).
PROJECT_MAX_DOCUMENTS = env_int("PROJECT_MAX_DOCUMENTS", 100_000, minimum=1)
USER_MAX_PROJECTS = env_int("USER_MAX_PROJECTS", 50, minimum=1)
# Accounts one project admin may create from the app (superusers: no limit), and how long an
# invitation link to set a password stays valid.
USER_MAX_ACCOUNTS = env_int("USER_MAX_ACCOUNTS", 500, minimum=1)
INVITATION_MAX_AGE_HOURS = env_int("INVITATION_MAX_AGE_HOURS", 72, minimum=1)

# Login attempts allowed per username and per client address (the login form, the admin's
# and POST /api/auth/token/ count together); past either the answer is 429 with Retry-After.
LOGIN_RATE_PER_USER = env_rate("LOGIN_RATE_PER_USER", "10/minute")
LOGIN_RATE_PER_ADDRESS = env_rate("LOGIN_RATE_PER_ADDRESS", "30/minute")
# Reverse proxies in front of the server: the client address is the one the nearest trusted
# proxy saw in X-Forwarded-For. 0 (the default): the connection's address, X-Forwarded-For is
# ignored (anyone can write it).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
if TRUSTED_PROXIES:
    # The proxy terminates TLS and says so; without a trusted proxy the header is ignored.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Production behind HTTPS (`manage.py check --deploy` is clean with these set): redirect
# plain HTTP, send cookies over HTTPS only, and ask browsers to use HTTPS for this long.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

# Single sign-on with an OpenID Connect provider (annotations/sso.py, DECISIONS.md 58).
# On when OIDC_ISSUER is set: its discovery document names the endpoints, each of which
# may also be given (a provider without discovery, or one endpoint behind another host).
OIDC_ISSUER = env_str("OIDC_ISSUER", "").rstrip("/")
OIDC_ENDPOINTS = {
    "authorization_endpoint": env_str("OIDC_AUTHORIZATION_ENDPOINT", ""),
    "token_endpoint": env_str("OIDC_TOKEN_ENDPOINT", ""),
    "userinfo_endpoint": env_str("OIDC_USERINFO_ENDPOINT", ""),
    "jwks_uri": env_str("OIDC_JWKS_URI", ""),
    "end_session_endpoint": env_str("OIDC_END_SESSION_ENDPOINT", ""),
}
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "")
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = env_choice(
    "OIDC_SIGN_ALGO", "RS256", ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"]
)
# The login page's button: "Sign in with <name>".
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "single sign-on")
# The claim a new account's username comes from.
OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", "preferred_username")
# Project roles from a groups claim: its name (empty: roles are given in the app only) and
# the prefix of the groups that give roles, `<prefix>:<project id>:<role>`.
OIDC_GROUPS_CLAIM = env_str("OIDC_GROUPS_CLAIM", "")
OIDC_GROUPS_PREFIX = env_str("OIDC_GROUPS_PREFIX", "workbench")
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10, minimum=1)
# Off: only the provider signs in (the login page shows its button alone; the password
# form, POST /api/auth/token/, password changes and invitation links refuse).
PASSWORD_LOGIN = env_bool("PASSWORD_LOGIN", True)
if OIDC_ISSUER:
    if not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
        raise ImproperlyConfigured("OIDC_ISSUER is set: set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET")
    if "openid" not in OIDC_RP_SCOPES.split():
        raise ImproperlyConfigured(f"OIDC_SCOPES={OIDC_RP_SCOPES!r} must include openid")
    AUTHENTICATION_BACKENDS.append("annotations.sso.SsoBackend")
elif not PASSWORD_LOGIN:
    raise ImproperlyConfigured("PASSWORD_LOGIN=false needs single sign-on: set OIDC_ISSUER")
# The library's fixed choices: the code flow with PKCE and a nonce; the ID token kept in
# the session for the provider's logout; sign-in failures back to the login page.
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True
OIDC_AUTHENTICATION_CALLBACK_URL = "sso-callback"

# Every response: scripts, styles, fonts, images and requests from this origin only (no
# inline script or style; images also as data: URLs, which Swagger UI's icons are); no
# plugins, no <base>, forms post here, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# API tokens one user keeps; making one more drops the least recently used.
USER_MAX_TOKENS = env_int("USER_MAX_TOKENS", 20, minimum=1)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "annotations.language.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "annotations.parsers.StrictJSONParser",
        "annotations.parsers.StrictFormParser",
        "annotations.parsers.StrictMultiPartParser",
    ],
    # JSON only: the API's browsable docs are /api/docs/ (DECISIONS.md 18).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "annotations.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "annotations.views.errors.AutoSchema",
    "EXCEPTION_HANDLER": "annotations.views.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "NUM_PROXIES": TRUSTED_PROXIES,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "News annotation workbench API",
    "DESCRIPTION": (
        "Spans, quote→speaker relations and sentiment over news articles. "
        "All offsets are Unicode code points into the stored text, end exclusive."
    ),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the pinned drf-spectacular-sidecar package, served as our own static
    # files: /api/docs/ loads nothing from elsewhere and works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AnnotationStatusEnum": "annotations.models.AnnotationStatus",
        "ExportStatusEnum": "annotations.models.ExportStatus",
        "SuggestionStatusEnum": "annotations.models.SuggestionStatus",
        "TrashKindEnum": "annotations.models.TrashKind",
        "DocumentStatusEnum": ["new", "in_progress", "annotated", "reviewed"],
    },
}

# Celery: with no broker configured, a filesystem queue under DATA_DIR, so the
# export worker runs as a separate process exactly as in production.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
_BROKER_DIR = DATA_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (_BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_BROKER_DIR / "queue"),
        "data_folder_out": str(_BROKER_DIR / "queue"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        "store_processed": False,
        # Broadcast (worker control) messages; kombu's default is ./control.
        "control_folder": str(_BROKER_DIR / "control"),
        # How often an idle worker lists the queue folder. kombu's default (1 s) started an
        # export 0.4-1.0 s after its request; 50 ms is a directory listing 20 times a second.
        "polling_interval": env_int("CELERY_POLLING_INTERVAL_MS", 50, minimum=1) / 1000,
    }
elif CELERY_BROKER_URL.startswith("redis"):
    # An unacknowledged export message returns to the queue after this long;
    # the job row's heartbeat decides whether the redelivery takes over.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=60),
        # A worker that consumes both queues takes from `exports` first (CELERY_TASK_QUEUES'
        # order), not in turns.
        "queue_order_strategy": "priority",
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Two queues (DECISIONS 69): `exports` (export runs, diffs, the sweeps and purges: short work
# someone waits for) and `suggestions` (computing suggestions: long, and nobody waits on one
# document's). `scripts/serve` and the compose file start a worker for each, so an export never
# waits behind suggestions; a worker started without `-Q` consumes both, `exports` first.
_QUEUES = ("exports", "suggestions")
CELERY_TASK_DEFAULT_QUEUE = "exports"
CELERY_TASK_QUEUES = [Queue(name, Exchange(name), routing_key=name) for name in _QUEUES]
CELERY_TASK_ROUTES = {"annotations.suggestions_compute": {"queue": "suggestions"}}

EXPORT_BATCH_SIZE = env_int("EXPORT_BATCH_SIZE", 500, minimum=1)
# A running export whose heartbeat is older than this is taken to be dead.
EXPORT_STALE_SECONDS = env_int("EXPORT_STALE_SECONDS", 120, minimum=1)
# Deliveries an export may take before it is marked failed.
EXPORT_MAX_ATTEMPTS = env_int("EXPORT_MAX_ATTEMPTS", 3, minimum=1)
# Celery beat has a worker look for lost or dead export jobs this often (annotations/tasks.py).
EXPORT_SWEEP_SECONDS = env_int("EXPORT_SWEEP_SECONDS", 10, minimum=1)
# A confirmed delete stays restorable from the trash this long (DECISIONS 44); Celery beat
# purges what is older every TRASH_PURGE_SECONDS.
TRASH_RETENTION_DAYS = env_int("TRASH_RETENTION_DAYS", 30, minimum=0)
TRASH_PURGE_SECONDS = env_int("TRASH_PURGE_SECONDS", 3600, minimum=60)
# The dataset card's agreement figures are computed over at most this many documents.
EXPORT_AGREEMENT_MAX_DOCUMENTS = env_int("EXPORT_AGREEMENT_MAX_DOCUMENTS", 2000, minimum=0)
# A diff between two exports of at most this many documents in all is computed in the
# request; a larger one by a worker (the API answers 202 until it is stored).
EXPORT_DIFF_INLINE_DOCUMENTS = env_int("EXPORT_DIFF_INLINE_DOCUMENTS", 20000, minimum=0)


# Periodic work, sent by Celery beat: one `celery beat` process per cluster (the compose file's
# `beat` service, `make run`), never one per worker (DECISIONS.md 59). Each entry is a task
# name and its interval; a message not taken within its interval expires (the next one comes).
# New periodic work (a trash purge, say) adds an entry here and a task in annotations/tasks.py.
def _every(task: str, seconds: int) -> dict[str, Any]:
    return {"task": task, "schedule": float(seconds), "options": {"expires": float(seconds)}}


CELERY_BEAT_SCHEDULE = {
    "export-sweep": _every("annotations.export_sweep", EXPORT_SWEEP_SECONDS),
    "trash-purge": _every("annotations.trash_purge", TRASH_PURGE_SECONDS),
}
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

# Model backends for suggestions (DECISIONS.md 34): only public addresses
# are called, and those inside these networks (comma-separated CIDRs, e.g. 10.20.0.5/32 for
# a model server on the newsroom network). Loopback, private and link-local addresses are
# refused unless listed here.
SUGGESTION_BACKEND_ALLOWED_NETWORKS = env_networks("SUGGESTION_BACKEND_ALLOWED_NETWORKS", [])
# Seconds one call to a backend may take, and the largest answer read, in bytes.
SUGGESTION_BACKEND_TIMEOUT_SECONDS = env_int("SUGGESTION_BACKEND_TIMEOUT_SECONDS", 10, minimum=1)
SUGGESTION_BACKEND_MAX_BYTES = env_int("SUGGESTION_BACKEND_MAX_BYTES", 5_000_000, minimum=1000)

# Health and metrics (workbench/health.py, workbench/metrics.py). /metrics answers only
# these addresses (comma-separated networks; the client address as TRUSTED_PROXIES reads it).
METRICS_ALLOWED_IPS = env_networks("METRICS_ALLOWED_IPS", ["127.0.0.1/32", "::1/128"])
# Seconds /readyz waits for the broker (and the storage) before calling it unreachable.
READYZ_TIMEOUT_SECONDS = env_int("READYZ_TIMEOUT_SECONDS", 2, minimum=1)

# `text` (default) or `json`: one JSON object per line, each with the request id
# (workbench/logs.py), plus one line per request (method, route, status, duration).
LOG_FORMAT = env_choice("LOG_FORMAT", "text", ("text", "json"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "workbench.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
# The export worker logs through the same handler (Celery would install its own format).
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"
