"""Model fields for personal data: encrypted at rest, never stored in plaintext."""

from __future__ import annotations

from typing import Any

from django.db import models

from yiwang.platform import crypto


class EncryptedTextField(models.TextField[str, str]):
    """Stores AES-GCM ciphertext; Python code sees plaintext. Not searchable: pair it with a
    blind index column (`crypto.blind_index`) for exact look-up."""

    description = "Encrypted text (AES-GCM)"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))
