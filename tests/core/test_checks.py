"""Kreds' system checks: each passes on good settings and fails on the bad ones it guards."""

import pytest
from django.core.checks import Tags, run_checks
from django.db import connection

from kreds.core import checks, crypto
from kreds.core.hashers import KredsArgon2PasswordHasher

KREDS_HASHER = "kreds.core.hashers.KredsArgon2PasswordHasher"


class ThinArgon2(KredsArgon2PasswordHasher):
    memory_cost = 8 * 1024


class WideArgon2(KredsArgon2PasswordHasher):
    parallelism = 4


def ids(messages) -> list[str]:
    return [message.id for message in messages]


@pytest.fixture
def production(settings):
    """Production-like settings that pass every check; each test breaks one thing."""
    settings.DEBUG = False
    settings.PASSWORD_HASHERS = [KREDS_HASHER]
    settings.KREDS_FIELD_KEYS = [crypto.generate_key()]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://localhost:6379/0",
        }
    }
    return settings


def test_project_settings_pass_every_kreds_deploy_check(production):
    messages = run_checks(include_deployment_checks=True, tags=[Tags.security, Tags.caches])
    assert [m for m in messages if m.id.startswith("kreds.")] == []


# kreds.E001: Argon2id first, >= 19 MiB, parallelism 1


def test_password_hasher_check_passes_with_kreds_argon2(production):
    assert checks.check_password_hasher() == []


@pytest.mark.parametrize(
    ("hashers", "problem"),
    [
        (["django.contrib.auth.hashers.PBKDF2PasswordHasher", KREDS_HASHER], "not an Argon2id"),
        (["django.contrib.auth.hashers.MD5PasswordHasher"], "not an Argon2id"),
        (["tests.core.test_checks.ThinArgon2"], "below 19 MiB"),
        (["tests.core.test_checks.WideArgon2"], "parallelism is 4"),
        (["kreds.core.hashers.Missing"], "cannot be imported"),
        ([], "empty"),
    ],
)
def test_password_hasher_check_fails(production, hashers, problem):
    production.PASSWORD_HASHERS = hashers
    (error,) = checks.check_password_hasher()
    assert error.id == "kreds.E001"
    assert problem in error.msg


# kreds.E002: sessions at most 12 hours


def test_session_age_check_passes_at_12_hours(production):
    production.SESSION_COOKIE_AGE = 12 * 60 * 60
    assert checks.check_session_age() == []


def test_session_age_check_fails_above_12_hours(production):
    production.SESSION_COOKIE_AGE = 2 * 7 * 24 * 60 * 60  # Django's default, two weeks
    assert ids(checks.check_session_age()) == ["kreds.E002"]


# kreds.E003-E005: a strict Content-Security-Policy


def test_csp_check_passes_on_the_project_policy(production):
    assert checks.check_content_security_policy() == []


def test_csp_check_fails_without_a_policy(production):
    production.CONTENT_SECURITY_POLICY = None
    assert ids(checks.check_content_security_policy()) == ["kreds.E003"]


def test_csp_check_fails_without_the_middleware(production):
    production.MIDDLEWARE = [m for m in production.MIDDLEWARE if m != checks.CSP_MIDDLEWARE]
    assert ids(checks.check_content_security_policy()) == ["kreds.E003"]


@pytest.mark.parametrize(
    ("directive", "source", "error"),
    [
        ("script-src", "https://cdn.example.com", "kreds.E004"),
        ("font-src", "fonts.gstatic.com", "kreds.E004"),
        ("img-src", "https:", "kreds.E004"),
        ("default-src", "*", "kreds.E004"),
        ("style-src", "'unsafe-inline'", "kreds.E005"),
        ("script-src", "'unsafe-eval'", "kreds.E005"),
    ],
)
def test_csp_check_fails_on_a_loose_source(production, directive, source, error):
    policy = {"DIRECTIVES": dict(production.CONTENT_SECURITY_POLICY["DIRECTIVES"])}
    policy["DIRECTIVES"][directive] = [*policy["DIRECTIVES"][directive], source]
    production.CONTENT_SECURITY_POLICY = policy
    (message,) = checks.check_content_security_policy()
    assert message.id == error
    assert source in message.msg


# kreds.W006: a shared cache in production


def test_cache_check_passes_with_redis(production):
    assert checks.check_shared_cache() == []


def test_cache_check_warns_on_a_per_process_cache_in_production(production):
    production.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    (warning,) = checks.check_shared_cache()
    assert warning.id == "kreds.W006"
    assert "REDIS_URL" in warning.hint


def test_cache_check_allows_a_per_process_cache_in_development(production):
    production.DEBUG = True
    production.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert checks.check_shared_cache() == []


# kreds.E007-E009: field encryption keys


def test_key_check_passes_with_a_new_and_an_old_key(production):
    production.KREDS_FIELD_KEYS = [crypto.generate_key(), crypto.generate_key()]
    assert checks.check_field_keys() == []


@pytest.mark.parametrize("configured", [None, []])
def test_key_check_fails_without_keys_in_production(production, configured):
    production.KREDS_FIELD_KEYS = configured
    assert ids(checks.check_field_keys()) == ["kreds.E007"]


def test_key_check_only_warns_without_keys_in_development(production):
    production.DEBUG = True
    production.KREDS_FIELD_KEYS = []
    assert ids(checks.check_field_keys()) == ["kreds.W007"]


@pytest.mark.parametrize("bad", ["c2hvcnQ=", "not base64!", ""])
def test_key_check_fails_on_an_invalid_key(production, bad):
    production.KREDS_FIELD_KEYS = [crypto.generate_key(), bad]
    (error,) = checks.check_field_keys()
    assert error.id == "kreds.E008"
    assert "Key 2" in error.msg


def test_key_check_fails_on_a_key_listed_twice(production):
    key = crypto.generate_key()
    production.KREDS_FIELD_KEYS = [key, key]
    assert ids(checks.check_field_keys()) == ["kreds.E008"]


def test_development_key_check_fails_in_production(production):
    production.KREDS_FIELD_KEYS = [crypto.generate_key(), crypto.DEVELOPMENT_FIELD_KEY]
    assert ids(checks.check_no_development_key()) == ["kreds.E009"]


def test_development_key_check_allows_it_in_development(production):
    production.DEBUG = True
    production.KREDS_FIELD_KEYS = [crypto.DEVELOPMENT_FIELD_KEY]
    assert checks.check_no_development_key() == []


def test_development_key_is_a_valid_key():
    assert len(crypto.parse_key(crypto.DEVELOPMENT_FIELD_KEY).secret) == 32


# kreds.W012: no PostgreSQL superuser


def test_database_role_check_looks_at_postgresql_only(db):
    warnings = checks.check_database_role(databases=["default"])
    if connection.vendor != "postgresql":
        assert warnings == []
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = cursor.fetchone()[0]
    assert ids(warnings) == (["kreds.W012"] if superuser else [])


def test_database_role_check_without_databases_asks_nothing():
    assert checks.check_database_role() == []


# Registration: each deploy check fires through Django's check framework (as
# `manage.py check --deploy` runs it), not only when called directly.


def break_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]


def break_session_age(settings):
    settings.SESSION_COOKIE_AGE = 14 * 24 * 60 * 60


def break_csp(settings):
    settings.CONTENT_SECURITY_POLICY = None


def loosen_csp(settings):
    directives = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    directives["script-src"] = ["'self'", "https://cdn.example.com", "'unsafe-inline'"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}


def break_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def drop_keys(settings):
    settings.KREDS_FIELD_KEYS = []


def break_key(settings):
    settings.KREDS_FIELD_KEYS = ["c2hvcnQ="]


def use_development_key(settings):
    settings.KREDS_FIELD_KEYS = [crypto.DEVELOPMENT_FIELD_KEY]


@pytest.mark.parametrize(
    ("breaking", "expected"),
    [
        (break_hasher, {"kreds.E001"}),
        (break_session_age, {"kreds.E002"}),
        (break_csp, {"kreds.E003"}),
        (loosen_csp, {"kreds.E004", "kreds.E005"}),
        (break_cache, {"kreds.W006"}),
        (drop_keys, {"kreds.E007"}),
        (break_key, {"kreds.E008"}),
        (use_development_key, {"kreds.E009"}),
    ],
)
def test_deploy_check_run_reports_the_broken_setting(production, breaking, expected):
    breaking(production)
    messages = run_checks(include_deployment_checks=True, tags=[Tags.security, Tags.caches])
    assert {m.id for m in messages if m.id.startswith("kreds.")} == expected


def test_key_check_runs_without_deploy_too(production):
    production.KREDS_FIELD_KEYS = ["c2hvcnQ="]
    messages = run_checks(include_deployment_checks=False, tags=[Tags.security])
    assert "kreds.E008" in {m.id for m in messages}
