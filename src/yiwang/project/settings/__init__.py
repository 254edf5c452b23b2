"""Settings, read from the environment.

Every variable read here is documented in `.env.example`; `tests/test_settings.py` keeps the two
in step. Defaults give the embedded single-machine set-up of `make demo`.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from yiwang.project.settings.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parents[4]
SRC_DIR = Path(__file__).resolve().parents[2]

DEBUG = env_bool("YIWANG_DEBUG", default=False)
SECRET_KEY = env_str("YIWANG_SECRET_KEY", default="insecure-dev-only-change-me")
ALLOWED_HOSTS = env_list("YIWANG_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("YIWANG_CSRF_TRUSTED_ORIGINS", default=[])
DATA_DIR = Path(env_str("YIWANG_DATA_DIR", default=str(BASE_DIR / "var")))

# Personal data keys (see docs/operations.md, "Key rotation"). Base64 of 32 random bytes each.
# YIWANG_DATA_KEYS lists `key_id:base64key` pairs; the first is used to encrypt, every one decrypts.
DATA_KEYS = env_str("YIWANG_DATA_KEYS", default="dev1:eWl3YW5nLWRldi1vbmx5LWRhdGEta2V5LTAwMDAwMSE=")
BLIND_INDEX_KEY = env_str(
    "YIWANG_BLIND_INDEX_KEY", default="eWl3YW5nLWRldi1vbmx5LWJsaW5kLWluZGV4LWtleSE="
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    # identity before allauth: its templates restyle allauth's pages in the platform's look.
    "yiwang.identity",
    "yiwang.licences",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "ninja",
    "yiwang.platform",
    "yiwang.calendars",
    "yiwang.org",
    "yiwang.catalog",
    "yiwang.hotline",
    "yiwang.analytics",
    "yiwang.portal",
    "yiwang.workbench",
    "yiwang.project",
]

MIDDLEWARE = [
    "yiwang.project.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "yiwang.project.middleware.StaffSecondFactorMiddleware",
    "yiwang.project.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "yiwang.project.urls"
WSGI_APPLICATION = "yiwang.project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "project" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yiwang.project.context_processors.site",
            ],
        },
    }
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'yiwang.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", default=_default_sqlite), conn_max_age=env_int("DB_CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
# The hottest read (public licence verification) runs as a prepared statement on PostgreSQL. Turn
# this off behind a connection pooler in transaction mode that cannot keep prepared statements
# (PgBouncer before 1.21, or without max_prepared_statements).
DB_PREPARED_STATEMENTS = env_bool("DB_PREPARED_STATEMENTS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "identity.User"

REDIS_URL = env_str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {
    "default": {
        "BACKEND": env_str("YIWANG_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "yiwang.identity.passwords.LettersAndDigitsValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# django-allauth: phone (SMS code) or email; see docs/adr/0005-identity-allauth.md.
ACCOUNT_ADAPTER = "yiwang.identity.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"phone", "email"}
ACCOUNT_SIGNUP_FIELDS = ["phone", "email", "password1*"]  # phone or email: see SignupForm
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/5m/key,20/5m/ip",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "10/m/ip,5/m/key",
    "change_phone": "1/m/user",
    "request_login_code": "10/m/ip,3/m/key",
    "verify_phone": "1/m/key,5/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "一网 Yiwang"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "portal:home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("YIWANG_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind a TLS-terminating proxy (nginx, a cloud load balancer) that sets X-Forwarded-Proto.
if env_bool("YIWANG_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "yiwang.project.errors_views.csrf_failure"

# Gateways: `sandbox` implementations ship with Yiwang; real ones are plugged in by dotted path.
SMS_GATEWAY = env_str(
    "YIWANG_SMS_GATEWAY", default="yiwang.platform.gateways.sms.SandboxSmsGateway"
)
EMAIL_GATEWAY = env_str(
    "YIWANG_EMAIL_GATEWAY", default="yiwang.platform.gateways.mail.SandboxEmailGateway"
)
REALNAME_GATEWAY = env_str(
    "YIWANG_REALNAME_GATEWAY",
    default="yiwang.platform.gateways.realname.SandboxRealNameGateway",
)
# Sandbox behaviour: how often (0..1) a sandbox send fails, and its delay in milliseconds.
SANDBOX_FAILURE_RATE = float(env_str("YIWANG_SANDBOX_FAILURE_RATE", default="0"))
SANDBOX_DELAY_MS = env_int("YIWANG_SANDBOX_DELAY_MS", 0)

# The demo city seed (`yiwang demo`).
# 12345: the hotline centre's region (ticket numbers, tickets without a place) and the channels on
# which a reporter may stay anonymous.
HOTLINE_REGION_CODE = env_str("YIWANG_HOTLINE_REGION_CODE", default="359900")
HOTLINE_ANONYMOUS_CHANNELS = env_list(
    "YIWANG_HOTLINE_ANONYMOUS_CHANNELS", default=["app", "web", "open311"]
)
HOTLINE_OPEN311_POSTS_PER_MINUTE = env_int("YIWANG_HOTLINE_OPEN311_POSTS_PER_MINUTE", 60)
# 12345: the working hours of a working day, for limits counted in working hours (sign-for),
# as comma-separated HH:MM-HH:MM periods.
HOTLINE_WORKING_HOURS = env_str("YIWANG_HOTLINE_WORKING_HOURS", default="08:30-12:00,14:00-17:30")
# 12345 repeat complaints (重复投诉): same reporter, or same category within this radius, within
# this many days of the earlier ticket's closure.
HOTLINE_REPEAT_RADIUS_M = env_int("YIWANG_HOTLINE_REPEAT_RADIUS_M", 200)
HOTLINE_REPEAT_WINDOW_DAYS = env_int("YIWANG_HOTLINE_REPEAT_WINDOW_DAYS", 30)
# 12345 live hotspot alert: this many tickets in one area and top-level category within this many
# minutes alert the hotline centre (banner) and the duty phone (SMS; empty: banner only).
HOTLINE_HOTSPOT_ALERT_COUNT = env_int("YIWANG_HOTLINE_HOTSPOT_ALERT_COUNT", 5)
HOTLINE_HOTSPOT_ALERT_MINUTES = env_int("YIWANG_HOTLINE_HOTSPOT_ALERT_MINUTES", 30)
HOTLINE_DUTY_PHONE = env_str("YIWANG_HOTLINE_DUTY_PHONE", default="")
DEMO_SEED = env_int("YIWANG_DEMO_SEED", 20261122)
# Days of 12345 tickets the demo generates (ending 2026-11-21, ~740 a day): a year, the issue's
# volume (~269,000 tickets, ~2 minutes of `yiwang demo`); fewer for a quicker start, 0 for none.
DEMO_TICKET_DAYS = env_int("YIWANG_DEMO_TICKET_DAYS", 365)

LOG_LEVEL = env_str("YIWANG_LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "yiwang.platform.logging.RequestIdFilter"},
        "personal_data": {"()": "yiwang.platform.logging.PersonalDataFilter"},
    },
    "formatters": {"json": {"()": "yiwang.platform.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id", "personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 20
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "false")
WHITENOISE_USE_FINDERS = True
MFA_ADAPTER = "yiwang.identity.adapters.MFAAdapter"
ACCOUNT_FORMS = {
    "login": "yiwang.identity.forms.LoginForm",
    "signup": "yiwang.identity.forms.SignupForm",
}
# One-time codes as Chinese users know them: 6 digits, no dashes.
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
# Signing up needs a phone number *or* an email address (SignupForm checks one is given), which
# allauth's static check cannot express.
SILENCED_SYSTEM_CHECKS = ["account.W001"]
