"""`manage.py measure_password_hasher`: the 30-250 ms rule for a password check.

Real timings are too noisy on a shared test machine, so the clock is replaced by one that
advances a fixed amount per reading; the command's judgement is what is tested. The real
figure is measured on the server (docs/security.md, "Keys and cryptography").
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from kreds.core.management.commands import measure_password_hasher as command

KREDS_ARGON2 = ["kreds.core.hashers.KredsArgon2PasswordHasher"]


def steady_clock(monkeypatch, milliseconds: float) -> None:
    """Every verification appears to take `milliseconds`."""
    readings = iter(range(10_000))
    monkeypatch.setattr(command, "perf_counter", lambda: next(readings) * milliseconds / 1000)


def measure(**options) -> str:
    out = StringIO()
    call_command("measure_password_hasher", stdout=out, **options)
    return out.getvalue()


@override_settings(PASSWORD_HASHERS=KREDS_ARGON2)
def test_verification_within_30_to_250_ms_passes_and_names_the_parameters(monkeypatch):
    steady_clock(monkeypatch, 120)
    output = measure(rounds=3)
    assert "KredsArgon2PasswordHasher (time_cost=2, memory_cost=47104, parallelism=1)" in output
    assert "120 ms per verification (median of 3)" in output
    assert "Within 30-250 ms." in output


@pytest.mark.parametrize(("milliseconds", "problem"), [(29, "Too fast"), (251, "Too slow")])
@override_settings(PASSWORD_HASHERS=KREDS_ARGON2)
def test_verification_outside_30_to_250_ms_fails(monkeypatch, milliseconds, problem):
    steady_clock(monkeypatch, milliseconds)
    with pytest.raises(CommandError, match=problem):
        measure(rounds=1)


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_a_fast_hasher_really_measures_too_fast():
    """The real clock: MD5 (the test suite's hasher) verifies in far less than 30 ms."""
    with pytest.raises(CommandError, match="Too fast"):
        measure(rounds=3)


def test_zero_rounds_is_a_clear_error():
    with pytest.raises(CommandError, match="at least 1"):
        measure(rounds=0)
