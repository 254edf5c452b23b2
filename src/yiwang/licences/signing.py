"""Ed25519 signatures over a canonical serialisation of a licence (ADR 0013).

The signed content is every fact printed on the licence: identifier, type, number, holder (name,
code type and code), issuer, dates, face fields, trust level, version and the identifier it
replaced. Status is not signed: it changes after issue and is read from the library at
verification time. The canonical form is UTF-8 JSON with sorted keys and no spaces; face values
are strings (the face schema turns dates and numbers into strings), so that no float or date
formatting can differ between signer and verifier.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)


@dataclass(frozen=True)
class SignedContent:
    identifier: str
    type_code: str
    number: str
    holder_name: str
    holder_code_type: str
    holder_code: str
    issuer_code: str
    issuer_name: str
    issued_on: date
    valid_from: date
    valid_to: date | None
    face: dict[str, Any]
    trust_level: str
    version: int
    previous_identifier: str

    def canonical(self) -> bytes:
        document = {
            "identifier": self.identifier,
            "type_code": self.type_code,
            "number": self.number,
            "holder_name": self.holder_name,
            "holder_code_type": self.holder_code_type,
            "holder_code": self.holder_code,
            "issuer_code": self.issuer_code,
            "issuer_name": self.issuer_name,
            "issued_on": self.issued_on.isoformat(),
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else "",
            "face": self.face,
            "trust_level": self.trust_level,
            "version": self.version,
            "previous": self.previous_identifier,
        }
        return json.dumps(
            document, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")


@dataclass(frozen=True)
class KeyPair:
    public_key: str  # raw 32 bytes, Base64
    private_key: str  # raw 32 bytes, Base64 (stored encrypted)


def generate_key_pair() -> KeyPair:
    private = Ed25519PrivateKey.generate()
    raw_private = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    raw_public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return KeyPair(
        public_key=base64.b64encode(raw_public).decode("ascii"),
        private_key=base64.b64encode(raw_private).decode("ascii"),
    )


def sign(content: SignedContent, private_key: str) -> str:
    private = Ed25519PrivateKey.from_private_bytes(base64.b64decode(private_key))
    return base64.b64encode(private.sign(content.canonical())).decode("ascii")


@lru_cache(maxsize=4096)
def _public(public_key: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))


def verify(content: SignedContent, signature: str, public_key: str) -> bool:
    """True when `signature` is the key's signature over exactly this content."""
    try:
        _public(public_key).verify(base64.b64decode(signature, validate=True), content.canonical())
    except (InvalidSignature, ValueError):
        return False
    return True
