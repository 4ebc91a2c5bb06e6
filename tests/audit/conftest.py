"""The audit app must be installed for these tests (INSTALLED_APPS, URLs, access policy)."""

import pytest
from django.apps import apps

from kreds.core.policy import ACCESS_POLICY, Access

assert apps.is_installed("kreds.audit"), (
    "tests/audit needs 'kreds.audit' in INSTALLED_APPS (see the audit helper's report)."
)


@pytest.fixture
def audit_urls(settings, monkeypatch):
    """The audit page mounted and in the access policy, whether or not the project has it yet."""
    settings.ROOT_URLCONF = "tests.audit.urls"
    monkeypatch.setitem(ACCESS_POLICY, "audit:list", Access.ORG_ADMIN)
