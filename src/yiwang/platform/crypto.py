"""Personal data at rest: AES-GCM encryption with key ids, and HMAC blind indexes.

Ciphertext format (text, safe for any database): ``v1:<key_id>:<base64(nonce || ciphertext+tag)>``.
The key id lets keys rotate: new values use the first key of ``YIWANG_DATA_KEYS``; old values keep
decrypting with the key named in them until `yiwang rotate_keys` re-encrypts them
(docs/operations.md, "Key rotation"). The blind index is HMAC-SHA-256 of the normalised value under
a separate key, so equal values can be found without decrypting anything.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_PREFIX = "v1"
_NONCE_BYTES = 12


@dataclass(frozen=True)
class KeyRing:
    current_id: str
    keys: dict[str, bytes]


def _decode_key(name: str, raw: str) -> bytes:
    try:
        key = base64.b64decode(raw, validate=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: key is not valid base64") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name}: key must be 32 bytes, got {len(key)}")
    return key


@cache
def _keyring(spec: str) -> KeyRing:
    keys: dict[str, bytes] = {}
    current = ""
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        key_id, sep, raw = part.partition(":")
        if not sep or not key_id:
            raise ImproperlyConfigured("YIWANG_DATA_KEYS entries look like `key_id:base64key`")
        keys[key_id] = _decode_key("YIWANG_DATA_KEYS", raw)
        current = current or key_id
    if not keys:
        raise ImproperlyConfigured("YIWANG_DATA_KEYS holds no key")
    return KeyRing(current_id=current, keys=keys)


def keyring() -> KeyRing:
    return _keyring(settings.DATA_KEYS)


def encrypt(plaintext: str, *, associated: str = "") -> str:
    ring = keyring()
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(ring.keys[ring.current_id]).encrypt(
        nonce, plaintext.encode("utf-8"), associated.encode("utf-8") or None
    )
    return f"{_PREFIX}:{ring.current_id}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def decrypt(token: str, *, associated: str = "") -> str:
    prefix, key_id, body = _split(token)
    if prefix != _PREFIX:
        raise ValueError("unknown ciphertext version")
    ring = keyring()
    if key_id not in ring.keys:
        raise ValueError(f"no key {key_id!r} in YIWANG_DATA_KEYS")
    raw = base64.b64decode(body)
    nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
    plain = AESGCM(ring.keys[key_id]).decrypt(nonce, sealed, associated.encode("utf-8") or None)
    return plain.decode("utf-8")


def key_id_of(token: str) -> str:
    return _split(token)[1]


def _split(token: str) -> tuple[str, str, str]:
    parts = token.split(":", 2)
    if len(parts) != 3:
        raise ValueError("not a Yiwang ciphertext")
    return parts[0], parts[1], parts[2]


@cache
def _index_key(raw: str) -> bytes:
    return _decode_key("YIWANG_BLIND_INDEX_KEY", raw)


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed hash of a normalised value; `purpose` keeps indexes of different fields apart."""
    key = _index_key(settings.BLIND_INDEX_KEY)
    message = f"{purpose}\x00{value.strip().upper()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
