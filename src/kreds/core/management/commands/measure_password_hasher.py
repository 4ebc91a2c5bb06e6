"""manage.py measure_password_hasher: how long one password check takes on this machine.

OWASP and Kreds ask that checking a password costs 30-250 ms: slow enough to make guessing
from a stolen database expensive, fast enough for a login and to survive a rush of them.
The cost depends on the server, so this is a measurement to run on the production
machine (after a new server size or new hasher parameters), not a timed test: a shared
test machine is too noisy to time. It exits with an error outside the range.
"""

import statistics
from time import perf_counter

from django.contrib.auth.hashers import get_hasher
from django.core.management.base import BaseCommand, CommandError

FASTEST_MS = 30
SLOWEST_MS = 250
PASSWORD = "a passphrase of ordinary length"  # noqa: S105 (a sample, never stored)


def measure_verification_ms(hasher, rounds: int) -> float:
    """The median time, in milliseconds, of `rounds` verifications of a right password."""
    encoded = hasher.encode(PASSWORD, hasher.salt())
    times = []
    for _round in range(rounds):
        start = perf_counter()
        verified = hasher.verify(PASSWORD, encoded)
        times.append((perf_counter() - start) * 1000)
        if not verified:
            raise CommandError("The hasher refused the password it had just hashed.")
    return statistics.median(times)


class Command(BaseCommand):
    help = (
        "Time the verification of a password with the first of PASSWORD_HASHERS (median of "
        f"several rounds) and fail unless it takes {FASTEST_MS}-{SLOWEST_MS} ms."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rounds", type=int, default=5, help="Verifications to time.")

    def handle(self, *args, rounds: int, **options) -> None:
        if rounds < 1:
            raise CommandError("--rounds must be at least 1.")
        hasher = get_hasher("default")
        median = measure_verification_ms(hasher, rounds)
        parameters = ", ".join(
            f"{name}={getattr(hasher, name)}"
            for name in ("time_cost", "memory_cost", "parallelism", "iterations")
            if hasattr(hasher, name)
        )
        self.stdout.write(
            f"{type(hasher).__name__} ({parameters}): {median:.0f} ms per verification "
            f"(median of {rounds})."
        )
        if median < FASTEST_MS:
            raise CommandError(
                f"Too fast: under {FASTEST_MS} ms makes guessing cheap. Raise time_cost or "
                "memory_cost in kreds.core.hashers."
            )
        if median > SLOWEST_MS:
            raise CommandError(
                f"Too slow: over {SLOWEST_MS} ms makes logins sluggish and a rush of them a "
                "denial of service. Lower time_cost (keep memory_cost at 19 MiB or more)."
            )
        self.stdout.write(f"Within {FASTEST_MS}-{SLOWEST_MS} ms.")
