"""Ficarchive settings. Production differs from development by environment variables alone
(see docs/settings.md, which a test keeps in step with this file)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .env import (
    SERVED_URL_FILE,
    data_home,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    secret_key,
    site_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "ficarchive"

FICARCHIVE_HOME = data_home()
SECRET_KEY = secret_key(FICARCHIVE_HOME)
DEBUG = env_bool("FICARCHIVE_DEBUG", False)
ALLOWED_HOSTS = env_list("FICARCHIVE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("FICARCHIVE_CSRF_TRUSTED_ORIGINS", [])
# The absolute address of the site, used in emails, feeds, OPDS and downloads.
SITE_URL = site_url(FICARCHIVE_HOME)
# Where `ficarchive serve` notes the address it serves on (read by site_url above).
SERVED_URL_PATH = FICARCHIVE_HOME / SERVED_URL_FILE
SITE_NAME = env_str("FICARCHIVE_SITE_NAME", "Ficarchive")
# Where the admin lives (an address of your own keeps scanners off it), ending in "/".
ADMIN_URL = env_str("FICARCHIVE_ADMIN_URL", "admin/").strip("/") + "/"
# The issuer name authenticator apps show beside the code.
OTP_TOTP_ISSUER = SITE_NAME

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Two-factor authentication for staff (issue 14): TOTP apps and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ficarchive.core",
    "ficarchive.accounts",
    "ficarchive.tags",
    "ficarchive.works",
    "ficarchive.feedback",
    "ficarchive.discovery",
    "ficarchive.reading",
    "ficarchive.collections",
    "ficarchive.transfer",
    "ficarchive.suggest",
    "ficarchive.notify",
    "ficarchive.api",
    "ficarchive.moderation",
    "ficarchive.site",
    # Site skins and work skins (issue 18).
    "ficarchive.skins",
    # After our apps: the catalogues of apps listed first win (Django's documented rule),
    # so "Log in", "History", "Filter", "Search" or "Email" read as our glossary has them
    # rather than as the admin's or auth's translations.
    "django.contrib.admin",
    "django.contrib.auth",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The guest's language from the language cookie, else Accept-Language (after sessions,
    # before CommonMiddleware, as Django's documentation places it).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in reader's language preference overrides the cookie and the browser.
    "ficarchive.accounts.middleware.UserLanguageMiddleware",
    # The reader's time zone (preference, or the guest's browser zone): every date shown.
    "ficarchive.core.display.TimeZoneMiddleware",
    # request.user.is_verified(): the admin (django-otp's OTPAdminSite) asks it.
    "django_otp.middleware.OTPMiddleware",
    # After authentication, so that limits can count per account as well as per address.
    "ficarchive.core.ratelimit.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Read-only accounts (suspended, banned, unconfirmed) and the terms-of-service prompt.
    "ficarchive.moderation.middleware.StandingMiddleware",
    "ficarchive.site.middleware.TosMiddleware",
    "ficarchive.site.middleware.RenamedUserMiddleware",  # /users/OLD/... after a rename
    "ficarchive.core.middleware.SecurityHeadersMiddleware",
    # Last, so its process_exception sees a view's errors first: too-large numbers → 400.
    "ficarchive.core.bad_input.BadNumberMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "ficarchive.core.context_processors.site",
                # The whole inbox count (comments, replies, subscription updates, kudos,
                # gifts); it replaces feedback's comments-only count of the same name.
                "ficarchive.notify.context_processors.inbox_unread",
                "ficarchive.moderation.context_processors.standing",
                "ficarchive.site.context_processors.site",
                "ficarchive.skins.context_processors.skins",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
SQLITE_PATH = FICARCHIVE_HOME / "ficarchive.sqlite3"
DATABASE_URL = env_str("DATABASE_URL", "") or f"sqlite:///{SQLITE_PATH}"


def _database(url: str, name: str) -> dj_database_url.DBConfig:
    """dj-database-url's settings for ``url``; ImproperlyConfigured (one line, the
    password left out) unless it is ``sqlite:///PATH`` or ``postgres://.../NAME``, the
    two CONTRACT.md names: another scheme or a URL without a database would otherwise end
    in a traceback at the first query."""
    scheme = url.partition("://")[0] if "://" in url else ""
    try:
        parsed = dj_database_url.parse(url, conn_max_age=env_int("FICARCHIVE_DB_CONN_MAX_AGE", 60))
    except ValueError:  # UnknownSchemeError, a malformed port ...
        parsed = dj_database_url.DBConfig()
    shapes = "sqlite:///PATH or postgres://USER:PASS@HOST:PORT/NAME"
    if parsed.get("ENGINE") not in {
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    }:
        given = f"a {scheme}:// URL" if scheme else "a malformed URL"
        raise ImproperlyConfigured(f"{name} must be {shapes}, not {given}")
    if not parsed.get("NAME"):
        raise ImproperlyConfigured(f"{name} names no database; it must be {shapes}")
    return parsed


DATABASES = {"default": _database(DATABASE_URL, "DATABASE_URL")}
# A PostgreSQL streaming replica for reads (docs/deploy.md): ficarchive.core.dbrouter sends
# reads there and writes to the primary, each browser reading its own writes.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
# After a form post, the browser reads from the primary this long (covers replica lag).
REPLICA_PIN_SECONDS = env_int("FICARCHIVE_REPLICA_PIN_SECONDS", 5)
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = _database(DATABASE_REPLICA_URL, "DATABASE_REPLICA_URL")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["ficarchive.core.dbrouter.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(0, "ficarchive.core.dbrouter.ReplicaMiddleware")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
        # BEGIN so two writers queue on the busy timeout instead of failing with "locked".
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=30000; PRAGMA cache_size=-64000; PRAGMA mmap_size=268435456;"
            "PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache, sessions, queue -----------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
CACHES: dict[str, dict[str, object]]
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, but a Redis that is down is a miss, not an error page.
            "BACKEND": "ficarchive.core.cache_backend.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ficarchive",
        }
    }
    # Cached in Redis for speed, written through to the database so a Redis restart
    # logs no one out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    _LOCAL_CACHE_MB = env_int("FICARCHIVE_LOCAL_CACHE_MB", 64)
    if _LOCAL_CACHE_MB < 0:
        raise ImproperlyConfigured("FICARCHIVE_LOCAL_CACHE_MB must be 0 or more")
    CACHES = {
        "default": {
            # Django's LocMemCache, bounded in bytes too: a cached guest work page holds
            # its chapter text, so 5,000 entries alone could mean 250 MB a worker.
            "BACKEND": "ficarchive.core.locmem.BoundedLocMemCache",
            "LOCATION": "ficarchive",
            # Django's default of 300 entries is less than a few listing pages' blurbs;
            # past the limit it drops a third of everything (discovery/cache.py).
            "OPTIONS": {
                "MAX_ENTRIES": 5000,
                "MAX_BYTES": _LOCAL_CACHE_MB * 1024 * 1024,
            },
        }
    }
    # Django's db sessions, the row read as plain SQL (ficarchive/core/sessions.py).
    SESSION_ENGINE = "ficarchive.core.sessions"
# Background jobs (download builds): "thread" runs them in the web process after commit;
# "worker" leaves them for `ficarchive worker` processes (any number, on any machine).
FICARCHIVE_TASK_MODE = env_choice("FICARCHIVE_TASK_MODE", ["thread", "worker"], "thread")
# The in-process bitmap index that answers filters (ficarchive/discovery/bitmaps.py); off,
# every filter is answered by SQL alone.
DISCOVERY_BITMAPS = env_bool("FICARCHIVE_BITMAPS", True)
# Guest listing pages, facet lists and blurbs cached under the database's cache generation
# (ficarchive/discovery/cache.py); 0 turns the caching off (benchmarks, debugging).
FICARCHIVE_CACHE_PAGES = env_bool("FICARCHIVE_CACHE_PAGES", True)
# Calibre conversions (AZW3, MOBI, PDF): the program and how long one may take, in seconds.
FICARCHIVE_EBOOK_CONVERT = env_str("FICARCHIVE_EBOOK_CONVERT", "ebook-convert")
FICARCHIVE_CONVERT_TIMEOUT = env_int("FICARCHIVE_CONVERT_TIMEOUT", 600)
# How many download builds may run at once across every process and machine.
FICARCHIVE_CONVERT_CONCURRENCY = env_int("FICARCHIVE_CONVERT_CONCURRENCY", 1)
# The writable memory one Calibre conversion may use, in MB (its CPU time is the timeout).
FICARCHIVE_CONVERT_MEMORY_MB = env_int("FICARCHIVE_CONVERT_MEMORY_MB", 2048)

# --- Auth -----------------------------------------------------------------------------
# Django's model backend plus lock-out after repeated failed log-ins (ficarchive/core/ratelimit.py).
AUTHENTICATION_BACKENDS = ["ficarchive.core.auth_backends.LockoutModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# --- Email ----------------------------------------------------------------------------
# By default mail is written to files under FICARCHIVE_HOME/mail (read them to reset a
# password on a box with no mail server); FICARCHIVE_EMAIL_HOST switches to SMTP.
EMAIL_HOST = env_str("FICARCHIVE_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("FICARCHIVE_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("FICARCHIVE_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = env_str("FICARCHIVE_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("FICARCHIVE_EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = env_str(
        "FICARCHIVE_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
    )
    EMAIL_FILE_PATH = str(FICARCHIVE_HOME / "mail")
DEFAULT_FROM_EMAIL = env_str("FICARCHIVE_EMAIL_FROM", "ficarchive@localhost")

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = env_str("FICARCHIVE_TIME_ZONE", "UTC")
USE_I18N = True
# The interface languages (issue 18): each app keeps its catalogues in its own locale/
# folder (Django finds them by INSTALLED_APPS); Arabic is laid out right to left.
LANGUAGES = [("en", "English"), ("fr", "Français"), ("ar", "العربية")]
LANGUAGE_COOKIE_NAME = "ficarchive_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_TZ = True

# --- Files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = FICARCHIVE_HOME / "static"
MEDIA_ROOT = FICARCHIVE_HOME / "media"
MEDIA_URL = "/media/"
DOWNLOADS_ROOT = FICARCHIVE_HOME / "downloads"
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploads: a story file may be large, but nothing past this is read into memory.
FICARCHIVE_MAX_UPLOAD_BYTES = env_int("FICARCHIVE_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A chapter's text, in characters of HTML after sanitizing.
FICARCHIVE_MAX_CHAPTER_CHARS = env_int("FICARCHIVE_MAX_CHAPTER_CHARS", 510_000)
# The most text one imported file may unpack to, checked before parsing (works/limits.py).
FICARCHIVE_MAX_IMPORT_TEXT_BYTES = env_int("FICARCHIVE_MAX_IMPORT_TEXT_BYTES", 16 * 1024 * 1024)

# --- Security -------------------------------------------------------------------------
# FICARCHIVE_HTTPS=1 when served behind TLS: secure cookies, HSTS, redirect to https.
HTTPS = env_bool("FICARCHIVE_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

# --- Abuse: rate limits and lock-out (ficarchive/core/ratelimit.py) -----------------------
# Counters live in one store all workers share (ficarchive/core/ratestore.py): "database"
# (the default without REDIS_URL) or "cache" (Redis, the default with REDIS_URL).
FICARCHIVE_RATELIMIT_STORE = env_choice(
    "FICARCHIVE_RATELIMIT_STORE", ["database", "cache"], "cache" if REDIS_URL else "database"
)
FICARCHIVE_RATELIMIT_ENABLED = env_bool("FICARCHIVE_RATELIMIT_ENABLED", True)
# "N/unit" per account (signed in) or per address (guests); unit s, m, h, d or e.g. 10m.
FICARCHIVE_RATE_LIMITS = {
    "login": "10/m",  # log-in form posts per address
    "login_ip": "30/15m",  # failed log-ins per address, any account names
    "signup": "5/h",
    "password_reset": "5/h",
    "comment": "10/m",
    "guest_comment": "5/10m",
    "kudos": "30/m",
    "bookmark": "30/m",
    "report": "5/h",  # abuse reports and support requests
    "import": "20/h",  # works imported from files, per account and per address
    "download_build": "60/h",  # new download builds (not yet built or queued) per account
    "download_build_guest": "20/h",  # the same for guests, per address
    "search": "60/m",  # OPDS searches per account and per address
    "api": "300/m",  # API requests per token or account
    "api_guest": "60/m",  # API requests per address without a token
    # FICARCHIVE_RATE_LIMITS="comment=20/m,kudos=60/m" overrides single entries.
    **dict(item.split("=", 1) for item in env_list("FICARCHIVE_RATE_LIMITS", []) if "=" in item),
}
# Views limited by URL name without decorating them (POST only): "namespace:name" → scope.
FICARCHIVE_RATE_LIMITED_VIEWS = {
    "accounts:login": "login",
    "site:signup": "signup",
    "site:invite_requests": "signup",
    "moderation:report_new": "report",  # abuse reports, per account and per address
    "accounts:password_reset": "password_reset",
    "feedback:comment_create": "comment",
    "feedback:kudos": "kudos",
    "feedback:bookmark_new": "bookmark",
    "transfer:import": "import",
    # The API's doors to the same actions share the same counters (ratelimit.action_refused).
    "api:comments": "comment",
    "api:kudos": "kudos",
    "api:bookmarks": "bookmark",
}
FICARCHIVE_LOCKOUT_FAILURES = env_int("FICARCHIVE_LOCKOUT_FAILURES", 5)
FICARCHIVE_LOCKOUT_MINUTES = env_int("FICARCHIVE_LOCKOUT_MINUTES", 15)
# Proxies whose X-Forwarded-For is believed when finding a client's address (nginx).
FICARCHIVE_TRUSTED_PROXIES = env_list("FICARCHIVE_TRUSTED_PROXIES", ["127.0.0.1/32", "::1/128"])
for _proxy in FICARCHIVE_TRUSTED_PROXIES:
    # Checked now: a typo would otherwise fail every rate-limited request (log-in, comments).
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            "FICARCHIVE_TRUSTED_PROXIES must be comma-separated addresses or networks "
            f"(10.0.0.0/8, ::1), not {_proxy!r}"
        ) from None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice(
            "FICARCHIVE_LOG_LEVEL", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], "WARNING"
        ),
    },
}
FICARCHIVE_MODERATE_GUEST_COMMENTS = env_bool("FICARCHIVE_MODERATE_GUEST_COMMENTS", True)
