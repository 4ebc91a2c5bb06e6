"""Kreds settings, read from the environment (see README.md, "Configuration").

Production is the default: DEBUG is off and SECRET_KEY must be set. `make run`
sets KREDS_DEBUG=1 for a local development server with an SQLite database.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(os.environ.get("KREDS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("KREDS_DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (at least 50 random characters) in production.")
    SECRET_KEY = "development-only-key-never-use-in-production-" + "x" * 20  # noqa: S105

# Field encryption of special-category data (kreds.core.crypto): base64 keys of 32 bytes,
# comma-separated, newest first, kept apart from SECRET_KEY. See docs/security.md.
KREDS_FIELD_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
if not KREDS_FIELD_KEYS and DEBUG:
    KREDS_FIELD_KEYS = ["a3JlZHMtZGV2ZWxvcG1lbnQtZmllbGQta2V5LTAwMDE="]  # development only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "kreds.core",
    "kreds.organizations",
    "kreds.people",
    "kreds.groups",
    "kreds.meetings",
    "kreds.audit",
    "kreds.privacy",
    "kreds.intake",
    "kreds.placement",
    "kreds.public",
    "kreds.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_scopes",
    "i18nfield",
    "template_partials",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "kreds.core.auth.SessionTimeoutMiddleware",
    "kreds.core.auth.UserSessionActivityMiddleware",
    "kreds.core.auth.ClearSiteDataOnLogoutMiddleware",
    "kreds.organizations.middleware.OrganizationMiddleware",
    "kreds.core.middleware.AccessPolicyMiddleware",
    "kreds.core.auth.StaffMfaMiddleware",
    "kreds.core.middleware.NoStoreForAuthenticatedMiddleware",
]

ROOT_URLCONF = "kreds.config.urls"
WSGI_APPLICATION = "kreds.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kreds.core.context_processors.site",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kreds.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.Person"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "kreds.core.hashers.KredsArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "kreds.people.validators.ContextWordsValidator", "OPTIONS": {"min_length": 12}},
]

# Accounts (django-allauth): log in by email, verified before first login.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SIGNUP_FORM_CLASS = "kreds.people.forms.SignupForm"
ACCOUNT_FORMS = {
    "signup": "kreds.people.signup.TimingSafeSignupForm",  # same time if the address is taken
    "reset_password": "kreds.people.password_reset.RecordedResetPasswordForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Kreds: "
ACCOUNT_ADAPTER = "kreds.people.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "people:my_page"
ACCOUNT_LOGOUT_REDIRECT_URL = "public:organizations"
# Rate limits (allauth's, kept in the shared cache): allauth's defaults for login, signup and
# reset, plus our own actions (kreds.core.ratelimit). Limits cool off; nobody is locked out.
ACCOUNT_RATE_LIMITS = {
    "intake": "20/h/ip,5/h/user",
    "grant_role": "30/h/user",
}
# Re-authentication (password or a second factor, at most 5 minutes old) before changing
# email, password or two-step login, and before granting or removing roles.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Two-step login (allauth.mfa): required for coordinators and admins before they see a staff
# page (kreds.core.auth.StaffMfaMiddleware), optional for everyone else. TOTP secrets and
# recovery-code seeds are encrypted with the field keys (kreds.people.mfa.MFAAdapter).
MFA_ADAPTER = "kreds.people.mfa.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Kreds"
MFA_TOTP_TOLERANCE = 1  # one 30-second step either side, for clocks that drift a little
# Passkeys over plain HTTP in development: open http://localhost:8000, as browsers refuse
# passkeys on a bare IP address such as 127.0.0.1.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# A person's sessions, listed on /accounts/sessions/ where they can end the others. Activity
# is tracked at most every few minutes (kreds.core.auth.UserSessionActivityMiddleware).
USERSESSIONS_TRACK_ACTIVITY = True

# Languages: Danish, Norwegian Bokmål and English. Organizations choose which they offer.
LANGUAGE_CODE = "en"
LANGUAGES = [("da", _("Danish")), ("nb", _("Norwegian Bokmål")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Copenhagen"
LANGUAGE_COOKIE_NAME = "kreds_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Email: real mail through SMTP in production; the console in development.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kreds <kreds@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background jobs (django-tasks): stored in the database, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

# Security: HTTPS only in production, strict CSP with no external hosts.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 60 * 60
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-kreds_language"  # Secure, Path=/, no Domain, like the others
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Logging: never personal data; requests are logged without query strings by gunicorn config.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "kreds.core.log_filters.RedactPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "loggers": {
        # At DEBUG these log template contexts (names, email addresses) and SQL with its
        # parameters: never, whatever LOG_LEVEL says.
        "django.template": {"level": "INFO"},
        "django.db.backends": {"level": "INFO"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

CSRF_FAILURE_VIEW = "kreds.core.views.csrf_failure"
