"""Settings for «Журнал». Everything deployment-specific comes from the environment."""

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from .databases import POOLERS, databases
from .env import (
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_list,
    env_proxy_ssl_header,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# A development key is only acceptable when DEBUG is on; production must set its own.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "axes",
    "accounts",
    "schedule",
    "grading",
    "journal",
    "reports",
    "archive",
    "ops",
]

MIDDLEWARE = [
    # /healthz and /readyz are answered first: no HTTPS redirect, host check or session.
    "ops.middleware.HealthCheckMiddleware",
    "lib.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The Content-Security-Policy below, on every page (static files are answered above).
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store on whatever a signed-in person is shown (lib/middleware.py).
    "lib.middleware.PrivatePagesMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Records of access to personal data, written after the response (accounts/access_log.py).
    "accounts.access_log.AccessLogMiddleware",
    "accounts.middleware.SchoolMiddleware",
    "lib.middleware.BadInputMiddleware",
    # axes must come last: it turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# A streaming replica for the reads that tolerate a second of lag, PgBouncer in transaction
# mode in front of either (config/databases.py, lib/replica.py, README «Масштабирование»).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
DATABASES = databases(
    DATABASE_URL, DATABASE_REPLICA_URL, env_choice("DATABASE_POOLER", POOLERS, "")
)
if DATABASE_REPLICA_URL:
    DATABASE_ROUTERS = ["lib.replica.ReplicaRouter"]
    # Before the sessions: it sees their writes, and its process_view comes before the
    # school's, whose reads of a replica-ok view go to the replica too.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "lib.replica.ReplicaMiddleware",
    )
# After a request of theirs changed data, a user's pages read the primary this long.
READ_YOUR_WRITES_SECONDS = env_int("READ_YOUR_WRITES_SECONDS", 5)
# A replica that cannot be reached is asked again after this long; the primary serves meanwhile.
REPLICA_RETRY_SECONDS = env_int("REPLICA_RETRY_SECONDS", 10)
# The site's bookkeeping, written on pages that only read: no read-your-writes for these.
DATABASE_REPLICA_UNTRACKED = [
    "sessions.Session",
    "accounts.PersonalDataAccess",
    "accounts.LoginEvent",
    "journal.DiaryVisit",
    "axes.AccessLog",
    "axes.AccessAttempt",
    "axes.AccessFailureLog",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "account:home"
LOGOUT_REDIRECT_URL = "login"

# guardian: no anonymous user row; permissions live in direct-foreign-key tables.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis down reads as a cache miss, not an error (lib/fallback_cache.py): pages
            # read the database, and nobody is signed out.
            "BACKEND": "lib.fallback_cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "zhurnal"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions: stateless web processes, sessions readable from any of them.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 12 * 60 * 60  # hard limit: 12 hours after sign-in
SESSION_IDLE_TIMEOUT = 30 * 60  # ended after 30 idle minutes (SessionLifetimeMiddleware)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts, styles, pictures, fonts and requests of the site only: no inline script, no inline
# event handler, no style attribute (static/js/app.js carries the few behaviours pages need),
# no framing, no forms posted elsewhere. tests/journal/test_browser_journal.py fails on any
# violation in a real browser.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# The client's address (sign-in lockout, code attempts, login history): REMOTE_ADDR, or,
# behind this many reverse proxies, the address the outermost proxy put in X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Whether a request came over HTTPS, as the proxy says in this header (X-Forwarded-Proto by
# default): trusted only behind a declared proxy, for anyone else could send it.
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header(
    "PROXY_SSL_HEADER", "X-Forwarded-Proto", behind_proxy=TRUSTED_PROXY_COUNT > 0
)

# django-axes: after repeated failures a login is locked, for a cool-off period, for every
# client but the devices that signed in with it before (accounts/security.py: OWASP's device
# cookies). A success resets the count when it comes from an untrusted client (the
# user_logged_in receiver), never from a trusted one.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_WHITELIST_CALLABLE = "accounts.security.signs_in_from_trusted_device"
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.security.locked_out"
AXES_HTTP_RESPONSE_CODE = 429

# Access codes: failed tries at the code page per window, counted per browser session, per
# address and code (its first group), and per address (accounts/services.py says why).
CODE_FAILURES_PER_SESSION = env_int("CODE_FAILURES_PER_SESSION", 5)
CODE_FAILURES_PER_CODE = env_int("CODE_FAILURES_PER_CODE", 5)
CODE_FAILURES_PER_IP = env_int("CODE_FAILURES_PER_IP", 100)
CODE_ATTEMPTS_WINDOW = env_int("CODE_ATTEMPTS_WINDOW_SECONDS", 15 * 60)

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Русский")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads: no file is kept past FILE_UPLOAD_MAX_BYTES + 1 bytes (the largest any form takes:
# a homework file), nor more files than a homework takes in one request (lib/uploads.py).
FILE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "lib.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_NUMBER_FILES = 20
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "backups")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Backups (ops/backups): a local folder, and a second place when configured below.
    "backups": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": BACKUP_DIR, "base_url": None},
    },
    "staticfiles": {
        # Hashed, compressed files need `collectstatic`; tests and DEBUG serve them as they are.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# The year's archive (archive/): PDF/A documents kept for years. A folder under MEDIA_ROOT by
# default (never served by URL: the archive's pages hand files out after a permission check);
# in production an S3-compatible bucket (ARCHIVE_S3_BUCKET, pip install '.[s3]', see README).
if env_str("ARCHIVE_S3_BUCKET", ""):
    STORAGES["archive"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("ARCHIVE_S3_BUCKET"),
            "endpoint_url": env_str("ARCHIVE_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("ARCHIVE_S3_REGION", "") or None,
            "access_key": env_str("ARCHIVE_S3_ACCESS_KEY", "") or None,
            "secret_key": env_str("ARCHIVE_S3_SECRET_KEY", "") or None,
            "location": env_str("ARCHIVE_S3_PREFIX", "zhurnal-archive"),
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
else:
    STORAGES["archive"] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

# The school's certificate signing every archived PDF (PAdES baseline B, archive.services.
# signing): a PKCS#12 file and its password. Unset: the documents are filed unsigned.
ARCHIVE_SIGNING_PKCS12 = env_str("ARCHIVE_SIGNING_PKCS12", "")
ARCHIVE_SIGNING_PASSWORD = env_str("ARCHIVE_SIGNING_PASSWORD", "")

# The second place for backups: an S3-compatible bucket (pip install '.[s3]'), or a folder on
# another disk. Each backup is written to every storage named in BACKUP_STORAGES.
BACKUP_STORAGES = ["backups"]
if env_str("BACKUP_S3_BUCKET", ""):
    STORAGES["backups_offsite"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("BACKUP_S3_BUCKET"),
            "endpoint_url": env_str("BACKUP_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("BACKUP_S3_REGION", "") or None,
            "access_key": env_str("BACKUP_S3_ACCESS_KEY", "") or None,
            "secret_key": env_str("BACKUP_S3_SECRET_KEY", "") or None,
            "location": env_str("BACKUP_S3_PREFIX", "zhurnal-backups"),
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
    BACKUP_STORAGES.append("backups_offsite")
elif env_str("BACKUP_OFFSITE_DIR", ""):
    STORAGES["backups_offsite"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env_str("BACKUP_OFFSITE_DIR"), "base_url": None},
    }
    BACKUP_STORAGES.append("backups_offsite")
# Rotation: the newest backup of each of the last N days, ISO weeks and months is kept.
BACKUP_KEEP_DAILY = env_int("BACKUP_KEEP_DAILY", 7)
BACKUP_KEEP_WEEKLY = env_int("BACKUP_KEEP_WEEKLY", 4)
BACKUP_KEEP_MONTHLY = env_int("BACKUP_KEEP_MONTHLY", 12)
# Where the dump is written before it is copied into the storages (the size of the database).
BACKUP_TMP_DIR = env_str("BACKUP_TMP_DIR", "") or None

# Development prints mail to the console; production sends it (a password-reset link
# printed to a server log would let anyone who reads the log take over the account).
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "journal@localhost")

# Celery: with no broker configured, tasks run in-process (the demo); otherwise on Redis.
CELERY_BROKER_URL = REDIS_URL or "memory://"
# No result backend: nothing reads a task's result (tasks record their outcome in their rows),
# and a result store in Redis subscribes per task in the web process, and never recovers
# from a Redis outage without a restart («Retry limit exceeded … must be restarted»).
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# A broker that does not answer must not hold a request for long: the task goes to the
# outbox (ops/outbox.py) after one quick retry.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0.1}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Beat records each tick for /readyz (ops/heartbeat.py) and wakes at least once a minute.
CELERY_BEAT_SCHEDULER = "ops.heartbeat:Scheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 60
CELERY_BEAT_SCHEDULE: dict = {
    # Weekly parent digests (each school's own day and hour), their re-dispatch, and notices
    # of final marks written in bulk: reports.tasks.tick, at the top of every hour.
    "reports-tick": {
        "task": "reports.tick",
        "schedule": crontab(minute=0),
        "options": {"expires": 50 * 60},
    },
    # The daily check of journal keeping, at each school's own hour (reports.control_tick
    # queues reports.check_school for the schools whose hour has come).
    "reports-control-tick": {
        "task": "reports.control_tick",
        "schedule": crontab(minute=5),
        "options": {"expires": 50 * 60},
    },
    # The nightly backup (ops.tasks.nightly_backup): once a night, again after a lost run.
    "ops-nightly-backup": {
        "task": "ops.nightly_backup",
        "schedule": crontab(hour=env_int("BACKUP_HOUR", 2), minute=env_int("BACKUP_MINUTE", 30)),
        "options": {"expires": 6 * 60 * 60},
    },
    # Records of who read personal data, past each school's retention (accounts.tasks).
    "accounts-forget-old-access-records": {
        "task": "accounts.forget_old_access_records",
        "schedule": crontab(hour=4, minute=15),
        "options": {"expires": 6 * 60 * 60},
    },
}
# The site's address for links in e-mails («https://journal.example.ru»); empty: relative.
SITE_URL = env_str("SITE_URL", "")
# A mail server that hangs must not hold a digest's row lock for long (reports.services.digest).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)

# Logs: JSON lines on stderr in production (lib/json_log.py), one line per request with its
# id, user, school, path, status and duration (lib/request_log.py), and a warning for each
# request slower than SLOW_REQUEST_MS.
LOG_FORMAT = env_choice("LOG_FORMAT", ("json", "text"), "text" if DEBUG else "json")
SLOW_REQUEST_MS = env_int("SLOW_REQUEST_MS", 1000)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "lib.request_log.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "lib.json_log.formatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "zhurnal.request": {"level": "INFO" if env_bool("LOG_REQUESTS", True) else "WARNING"}
    },
}

# Errors to Sentry (or a compatible server) when a DSN is given: pip install '.[sentry]'.
SENTRY_DSN = env_str("SENTRY_DSN", "")
if SENTRY_DSN:
    from lib.error_reporting import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", ""),
        traces_sample_rate=env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0),
    )

# /readyz: a worker's heartbeat and beat's tick younger than these, and this much free disk.
READYZ_WORKER_MAX_AGE = env_int("READYZ_WORKER_MAX_AGE", 60)
READYZ_BEAT_MAX_AGE = env_int("READYZ_BEAT_MAX_AGE", 180)
READYZ_MIN_FREE_MB = env_int("READYZ_MIN_FREE_MB", 1024)

# Object permissions are checked through django-rules predicates that consult guardian
# (accounts/rules.py), so guardian's own backend is deliberately not installed.
# axes.W006 asks for ip_address among the lockout parameters, against a lock that rotating
# user agents or cookies escape. Ours locks the login itself for every untrusted client (a
# device cookie is signed, so none can be made up); adding the address would lock a whole
# school's network after five wrong passwords of anyone on it.
SILENCED_SYSTEM_CHECKS = ["guardian.W001", "axes.W006"]
