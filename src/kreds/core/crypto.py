"""Authenticated encryption for special-category fields: AES-256-GCM with keys of their own.

Keys come from the setting `KREDS_FIELD_KEYS` (the environment variable
`FIELD_ENCRYPTION_KEYS`): base64 strings of 32 random bytes, comma-separated, newest
first. They are separate from SECRET_KEY, so rotating one never touches the other.
The newest key encrypts; every listed key decrypts. Each ciphertext names its key, so
rotation is: put a new key first, run `manage.py rotate_encryption_key`, then drop the
old key.

A ciphertext is one ASCII string, versioned so the format can change later:

    v1:<key id>:<nonce, base64url>:<ciphertext and tag, base64url>

The key id is the first 8 hex digits of a SHA-256 over the key: it tells keys apart and
reveals nothing usable about them. The caller passes associated data (AAD) naming where
the value lives (see `kreds.core.fields`); the version and key id are bound into the
AAD as well, so changing any part of the string makes decryption fail.
"""

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass, field
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12

# A fixed, public key for development and tests only. The system check kreds.E009
# refuses it in production.
DEVELOPMENT_FIELD_KEY = "a3JlZHMtZGV2ZWxvcG1lbnQtZmllbGQta2V5LTAwMDE="


class DecryptionError(Exception):
    """The ciphertext is malformed, was changed, belongs elsewhere, or its key is gone."""


@dataclass(frozen=True)
class FieldKey:
    id: str
    secret: bytes = field(repr=False)


def generate_key() -> str:
    """A new random key in the format `FIELD_ENCRYPTION_KEYS` expects."""
    return base64.b64encode(os.urandom(KEY_BYTES)).decode("ascii")


def parse_key(text: str) -> FieldKey:
    """One configured key; ValueError when it is not base64 of exactly 32 bytes."""
    try:
        secret = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError("not valid base64") from error
    if len(secret) != KEY_BYTES:
        raise ValueError(f"decodes to {len(secret)} bytes, not {KEY_BYTES}")
    return FieldKey(id=hashlib.sha256(b"kreds-field-key:" + secret).hexdigest()[:8], secret=secret)


def field_keys() -> tuple[FieldKey, ...]:
    """The configured keys, newest first. ImproperlyConfigured when none or one is broken."""
    return _parse_keys(tuple(getattr(settings, "KREDS_FIELD_KEYS", None) or ()))


@lru_cache(maxsize=8)
def _parse_keys(texts: tuple[str, ...]) -> tuple[FieldKey, ...]:
    if not texts:
        raise ImproperlyConfigured(
            "No field encryption key: set FIELD_ENCRYPTION_KEYS (see docs/security.md)."
        )
    try:
        return tuple(parse_key(text) for text in texts)
    except ValueError as error:
        raise ImproperlyConfigured(f"A field encryption key is invalid: {error}.") from error


def encrypt(plaintext: bytes, *, aad: bytes) -> str:
    """Encrypt with the newest key, bound to `aad`."""
    key = field_keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key.secret).encrypt(nonce, plaintext, _full_aad(key.id, aad))
    return ":".join((VERSION, key.id, _b64(nonce), _b64(sealed)))


def decrypt(token: str, *, aad: bytes) -> bytes:
    """The plaintext, or DecryptionError when anything about the token or its place is wrong."""
    version, key_id, nonce, sealed = _split(token)
    key = _key_by_id(key_id)
    try:
        return AESGCM(key.secret).decrypt(nonce, sealed, _full_aad(key_id, aad))
    except InvalidTag as error:
        raise DecryptionError("the ciphertext was changed or belongs elsewhere") from error


def key_id_of(token: str) -> str:
    """The id of the key that encrypted `token` (no decryption)."""
    return _split(token)[1]


def is_current(token: str) -> bool:
    """True when `token` is already encrypted with the newest key."""
    return key_id_of(token) == field_keys()[0].id


def reencrypt(token: str, *, aad: bytes) -> str:
    """The same plaintext under the newest key (a fresh nonce either way)."""
    return encrypt(decrypt(token, aad=aad), aad=aad)


def _split(token: str) -> tuple[str, str, bytes, bytes]:
    parts = token.split(":")
    if len(parts) != 4 or parts[0] != VERSION:
        raise DecryptionError("not a Kreds ciphertext of a known version")
    try:
        nonce, sealed = _unb64(parts[2]), _unb64(parts[3])
    except (binascii.Error, ValueError) as error:
        raise DecryptionError("the ciphertext is not valid base64") from error
    if len(nonce) != NONCE_BYTES:
        raise DecryptionError("the nonce has the wrong length")
    return parts[0], parts[1], nonce, sealed


def _key_by_id(key_id: str) -> FieldKey:
    for key in field_keys():
        if key.id == key_id:
            return key
    raise DecryptionError(f"no configured key has id {key_id}")


def _full_aad(key_id: str, aad: bytes) -> bytes:
    return f"{VERSION}:{key_id}:".encode("ascii") + aad


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


def keyed_email_hash(email: str, salt: str) -> str:
    """HMAC-SHA256 (keyed from SECRET_KEY, hex) of an address, trimmed and lower-case.

    Each purpose passes a salt of its own, so hashes of one purpose cannot be matched
    against another's."""
    from django.utils.crypto import salted_hmac

    return salted_hmac(salt, email.strip().lower(), algorithm="sha256").hexdigest()
