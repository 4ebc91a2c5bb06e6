"""AES-256-GCM field encryption: round trip, tampering, associated data, keys and rotation."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from kreds.core import crypto

OLD_KEY = crypto.generate_key()
NEW_KEY = crypto.generate_key()
AAD = b"6f1c2d3e-0000-4000-8000-000000000001/situation"


@pytest.fixture
def keys(settings):
    settings.KREDS_FIELD_KEYS = [OLD_KEY]
    return settings


def flip(text: str, index: int) -> str:
    replacement = "A" if text[index] != "A" else "B"
    return text[:index] + replacement + text[index + 1 :]


def test_encrypt_round_trip(keys):
    token = crypto.encrypt("Min mand døde i foråret".encode(), aad=AAD)
    assert crypto.decrypt(token, aad=AAD).decode() == "Min mand døde i foråret"


def test_ciphertext_names_version_and_key_and_hides_plaintext(keys):
    token = crypto.encrypt(b"grief", aad=AAD)
    version, key_id, nonce, sealed = token.split(":")
    assert (version, key_id) == ("v1", crypto.parse_key(OLD_KEY).id)
    assert "grief" not in token
    assert len(sealed) > len(nonce)


def test_encrypting_the_same_text_twice_gives_different_ciphertexts(keys):
    assert crypto.encrypt(b"grief", aad=AAD) != crypto.encrypt(b"grief", aad=AAD)


@pytest.mark.parametrize("index", [-1, -10, -30])
def test_decrypt_tampered_ciphertext_fails(keys, index):
    token = crypto.encrypt(b"grief", aad=AAD)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(flip(token, index), aad=AAD)


def test_decrypt_with_other_associated_data_fails(keys):
    token = crypto.encrypt(b"grief", aad=AAD)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, aad=b"6f1c2d3e-0000-4000-8000-000000000002/situation")


@pytest.mark.parametrize(
    "token", ["", "grief", "v1:abc", "v2:00000000:AAAA:AAAA", "v1:00000000:***:AAAA"]
)
def test_decrypt_malformed_token_fails(keys, token):
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, aad=AAD)


def test_decrypt_with_key_id_of_another_listed_key_fails(settings):
    settings.KREDS_FIELD_KEYS = [NEW_KEY, OLD_KEY]
    token = crypto.encrypt(b"grief", aad=AAD)
    other_id = crypto.parse_key(OLD_KEY).id
    version, _key_id, nonce, sealed = token.split(":")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(":".join((version, other_id, nonce, sealed)), aad=AAD)


def test_older_key_still_decrypts_and_newest_encrypts(settings):
    settings.KREDS_FIELD_KEYS = [OLD_KEY]
    old_token = crypto.encrypt(b"grief", aad=AAD)
    settings.KREDS_FIELD_KEYS = [NEW_KEY, OLD_KEY]
    assert crypto.decrypt(old_token, aad=AAD) == b"grief"
    assert not crypto.is_current(old_token)
    new_token = crypto.reencrypt(old_token, aad=AAD)
    assert crypto.key_id_of(new_token) == crypto.parse_key(NEW_KEY).id
    settings.KREDS_FIELD_KEYS = [NEW_KEY]
    assert crypto.decrypt(new_token, aad=AAD) == b"grief"


def test_decrypt_after_its_key_is_removed_fails(settings):
    settings.KREDS_FIELD_KEYS = [OLD_KEY]
    token = crypto.encrypt(b"grief", aad=AAD)
    settings.KREDS_FIELD_KEYS = [NEW_KEY]
    with pytest.raises(crypto.DecryptionError, match="no configured key"):
        crypto.decrypt(token, aad=AAD)


@pytest.mark.parametrize("configured", [None, []])
def test_encrypt_without_keys_is_improperly_configured(settings, configured):
    settings.KREDS_FIELD_KEYS = configured
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS"):
        crypto.encrypt(b"grief", aad=AAD)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("c2hvcnQ=", "5 bytes"),  # "short"
        ("not base64 at all!", "base64"),
        ("eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4", "30 bytes"),  # 30 times "x"
    ],
)
def test_parse_key_rejects_keys_that_are_not_32_bytes_of_base64(text, problem):
    with pytest.raises(ValueError, match=problem):
        crypto.parse_key(text)


def test_generated_keys_are_random_and_valid():
    first, second = crypto.generate_key(), crypto.generate_key()
    assert first != second
    assert len(crypto.parse_key(first).secret) == 32


def test_key_repr_hides_the_secret():
    key = crypto.parse_key(OLD_KEY)
    assert repr(key.secret) not in repr(key)
