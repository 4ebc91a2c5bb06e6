"""Kreds' own system checks: the security settings production must keep.

Registered when this module is imported (from an AppConfig.ready()). Like Django's own
security checks, most run only with `manage.py check --deploy`; the field encryption
keys are checked always, because Kreds cannot read special-category data without them.

| id | what |
| --- | --- |
| kreds.E001 | the first password hasher is Argon2id with >= 19 MiB and parallelism 1 |
| kreds.E002 | sessions last at most 12 hours |
| kreds.E003 | a Content-Security-Policy is sent, with default-src |
| kreds.E004 | the CSP names no external host |
| kreds.E005 | the CSP allows no 'unsafe-inline' (nor any other 'unsafe-' keyword) |
| kreds.W006 | production uses a shared cache (Redis), not one per process |
| kreds.E007 | production has field encryption keys (W007 in development) |
| kreds.E008 | every field encryption key is valid, and no key is listed twice |
| kreds.E009 | production does not use the public development key |
| kreds.E010, E011 | encrypted model fields (kreds.core.fields) |
| kreds.W012 | the database role is not a PostgreSQL superuser |
"""

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.checks import Error, Tags, Warning, register
from django.db import connections
from django.utils.module_loading import import_string

from kreds.core import crypto

ARGON2_MIN_MEMORY_KIB = 19 * 1024
MAX_SESSION_SECONDS = 12 * 60 * 60
CSP_MIDDLEWARE = "csp.middleware.CSPMiddleware"
CSP_URL_DIRECTIVES = {"report-uri", "report-to"}
CSP_SCHEMES = {"data:", "blob:"}
LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, deploy=True)
def check_password_hasher(app_configs=None, **kwargs):
    hashers = getattr(settings, "PASSWORD_HASHERS", [])
    if not hashers:
        return [_hasher_error("PASSWORD_HASHERS is empty.")]
    try:
        hasher = import_string(hashers[0])
    except ImportError:
        return [_hasher_error(f"{hashers[0]} cannot be imported.")]
    if not (isinstance(hasher, type) and issubclass(hasher, Argon2PasswordHasher)):
        return [_hasher_error(f"{hashers[0]} is not an Argon2id hasher.")]
    problems = []
    if hasher.memory_cost < ARGON2_MIN_MEMORY_KIB:
        problems.append(f"memory {hasher.memory_cost} KiB is below 19 MiB")
    if hasher.parallelism != 1:
        problems.append(f"parallelism is {hasher.parallelism}, not 1")
    return [_hasher_error(f"{hashers[0]}: {problem}.") for problem in problems]


def _hasher_error(message: str) -> Error:
    return Error(
        message,
        hint="Put kreds.core.hashers.KredsArgon2PasswordHasher first in PASSWORD_HASHERS "
        "(Argon2id, 46 MiB, 2 passes, parallelism 1; OWASP's minimum is 19 MiB).",
        id="kreds.E001",
    )


@register(Tags.security, deploy=True)
def check_session_age(app_configs=None, **kwargs):
    age = settings.SESSION_COOKIE_AGE
    if age <= MAX_SESSION_SECONDS:
        return []
    return [
        Error(
            f"SESSION_COOKIE_AGE is {age} seconds; sessions may last at most 12 hours.",
            hint="Set SESSION_COOKIE_AGE = 12 * 60 * 60 (see docs/security.md, V7).",
            id="kreds.E002",
        )
    ]


@register(Tags.security, deploy=True)
def check_content_security_policy(app_configs=None, **kwargs):
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    directives = policy.get("DIRECTIVES") or {}
    if CSP_MIDDLEWARE not in settings.MIDDLEWARE or not directives.get("default-src"):
        return [
            Error(
                "No Content-Security-Policy is sent, or it has no default-src.",
                hint=f"Keep {CSP_MIDDLEWARE} in MIDDLEWARE and CONTENT_SECURITY_POLICY "
                "with default-src 'self'.",
                id="kreds.E003",
            )
        ]
    errors = []
    for directive, sources in directives.items():
        if directive in CSP_URL_DIRECTIVES or not sources:
            continue
        for source in sources.split() if isinstance(sources, str) else sources:
            errors.extend(_source_errors(directive, str(source)))
    return errors


def _source_errors(directive: str, source: str) -> list[Error]:
    lowered = source.lower()
    if lowered.startswith("'unsafe-"):
        return [
            Error(
                f"The CSP allows {source} in {directive}.",
                hint="Move the code to a static file; Kreds has no inline script or style.",
                id="kreds.E005",
            )
        ]
    if lowered.startswith("'") or lowered in CSP_SCHEMES:
        return []
    return [
        Error(
            f"The CSP allows the external source {source} in {directive}.",
            hint="Serve everything from Kreds itself: no CDN, font service or tracker.",
            id="kreds.E004",
        )
    ]


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in LOCAL_CACHES:
        return []
    return [
        Warning(
            f"The default cache is {backend.rsplit('.', 1)[-1]}: each process keeps its own, "
            "so login rate limits are counted per process, not per installation.",
            hint="Set REDIS_URL (for example redis://localhost:6379/0) to share one cache.",
            id="kreds.W006",
        )
    ]


@register(Tags.security)
def check_field_keys(app_configs=None, **kwargs):
    texts = list(getattr(settings, "KREDS_FIELD_KEYS", None) or [])
    if not texts:
        return [_missing_keys()]
    errors, ids = [], []
    for position, text in enumerate(texts, start=1):
        try:
            ids.append(crypto.parse_key(text).id)
        except ValueError as error:
            errors.append(_invalid_key(f"Key {position} in FIELD_ENCRYPTION_KEYS {error}."))
    if len(set(ids)) != len(ids):
        errors.append(_invalid_key("A key is listed twice in FIELD_ENCRYPTION_KEYS."))
    return errors


def _missing_keys():
    message = "No field encryption key: special-category data cannot be encrypted or read."
    hint = (
        "Set FIELD_ENCRYPTION_KEYS to a key made with "
        "`manage.py rotate_encryption_key --generate-key`, kept apart from SECRET_KEY."
    )
    if settings.DEBUG:
        return Warning(message, hint=hint, id="kreds.W007")
    return Error(message, hint=hint, id="kreds.E007")


def _invalid_key(message: str) -> Error:
    return Error(
        message,
        hint="Each key is base64 of 32 random bytes, comma-separated, newest first.",
        id="kreds.E008",
    )


@register(Tags.security, deploy=True)
def check_no_development_key(app_configs=None, **kwargs):
    texts = list(getattr(settings, "KREDS_FIELD_KEYS", None) or [])
    if settings.DEBUG or crypto.DEVELOPMENT_FIELD_KEY not in texts:
        return []
    return [
        Error(
            "FIELD_ENCRYPTION_KEYS contains the public development key.",
            hint="Generate a key of your own and rotate to it (docs/security.md, keys).",
            id="kreds.E009",
        )
    ]


@register(Tags.database, deploy=True)
def check_database_role(app_configs=None, databases=None, **kwargs):
    warnings = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            row = cursor.fetchone()
        if row and row[0]:
            warnings.append(
                Warning(
                    f"Database {alias!r} is used as a PostgreSQL superuser, who can switch "
                    "off the audit log's protection.",
                    hint="Connect with an ordinary role (docs/security.md, audit log).",
                    id="kreds.W012",
                )
            )
    return warnings
