"""Argon2id tuned for Kreds' servers (2 cores): about 120 ms per verification.

OWASP's recommended memory of 46 MiB with two passes and parallelism 1. Measured on the
2-core development machine: 122 ms per verify (see README, "Measured figures").
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class KredsArgon2PasswordHasher(Argon2PasswordHasher):
    algorithm = "argon2"
    time_cost = 2
    memory_cost = 47104  # KiB (46 MiB)
    parallelism = 1
