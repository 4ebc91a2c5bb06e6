"""Settings for the test suite: the real database from DATABASE_URL, mail kept in memory."""

import os

os.environ.setdefault("KREDS_DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "sqlite://")

from kreds.config.settings import *  # noqa: E402, F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; argon2 tested apart
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ACCOUNT_RATE_LIMITS = False
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405  the live server's thread must not keep connections
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # noqa: F405
