"""Keyed hashes of email addresses, to keep two applicants apart without storing who.

An applicant may list the addresses of people they do not want to share a group with.
Only HMAC-SHA256 hashes (keyed from SECRET_KEY with a fixed salt) of the trimmed,
lower-case addresses are kept, and each application also keeps the hash of its own
applicant's address, so lists can be matched. The hashes are never shown to anyone.
"""

from collections.abc import Iterable

from kreds.core.crypto import keyed_email_hash

KEEP_APART_SALT = "kreds.intake.keep_apart"


def email_hash(email: str) -> str:
    """The keyed hash of an email address (trimmed, lower-case): HMAC-SHA256, hex."""
    return keyed_email_hash(email, KEEP_APART_SALT)


def email_hashes(emails: Iterable[str]) -> list[str]:
    """Hashes of several addresses, each once, in a stable order."""
    return sorted({email_hash(email) for email in emails if email.strip()})
