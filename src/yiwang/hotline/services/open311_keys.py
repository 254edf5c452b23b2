"""API keys of Open311 client apps: issue (the plain key is returned once; only its SHA-256 and
an 8-character prefix are kept), revoke, and check (which records when the key was last used)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from yiwang.hotline.models import Open311Client
from yiwang.identity.models import User
from yiwang.platform.errors import FieldError, InvalidInput
from yiwang.platform.services import audit_record

KEY_PREFIX_LENGTH = 8
LAST_USED_PRECISION = timedelta(minutes=1)
# Long enough to be unguessable, short enough for a form field: 8 + 32 url-safe characters.
KEY_SECRET_BYTES = 24
KEY_MAX_LENGTH = 200


@dataclass(frozen=True)
class IssuedKey:
    client: Open311Client
    key: str  # shown once; never stored


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def open311_key_issue(*, name: str, contact: str = "", actor: User | None) -> IssuedKey:
    """A new client app with a new key. The plain key is in the result and nowhere else."""
    name = name.strip()
    if not name:
        raise InvalidInput(errors=[FieldError("name", "请填写应用名称")])
    if len(name) > 100:
        raise InvalidInput(errors=[FieldError("name", "应用名称不能超过 100 个字")])
    prefix = secrets.token_hex(KEY_PREFIX_LENGTH // 2)
    key = f"{prefix}{secrets.token_urlsafe(KEY_SECRET_BYTES)}"
    with transaction.atomic():
        client = Open311Client.objects.create(
            name=name,
            contact=contact.strip()[:100],
            key_prefix=prefix,
            key_hash=_hash(key),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="hotline.open311.key_issued",
            target=client,
            summary=f"签发开放接口密钥：{name}（{prefix}…）",
        )
    return IssuedKey(client=client, key=key)


def open311_key_register(*, name: str, key: str, actor: User | None) -> Open311Client:
    """Register a client app with a key chosen elsewhere (the demo city's published key, or a
    key moved from another installation); idempotent for the same name and key."""
    key = key.strip()
    if len(key) < 32 or len(key) > KEY_MAX_LENGTH:
        raise InvalidInput(errors=[FieldError("key", "密钥长度应为 32 至 200 个字符")])
    existing = Open311Client.objects.filter(key_hash=_hash(key)).first()
    if existing is not None:
        if existing.name != name.strip():
            raise InvalidInput(errors=[FieldError("key", "该密钥已属于另一个应用")])
        return existing
    with transaction.atomic():
        client = Open311Client.objects.create(
            name=name.strip()[:100],
            key_prefix=key[:KEY_PREFIX_LENGTH],
            key_hash=_hash(key),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="hotline.open311.key_registered",
            target=client,
            summary=f"登记开放接口密钥：{client.name}（{client.key_prefix}…）",
        )
    return client


def open311_key_revoke(*, client: Open311Client, actor: User | None) -> Open311Client:
    """Revoke for good: the key stops working at once. Revoking twice changes nothing."""
    with transaction.atomic():
        client = Open311Client.objects.select_for_update().get(pk=client.pk)
        if not client.is_active:
            return client
        client.is_active = False
        client.revoked_at = timezone.now()
        client.save(update_fields=["is_active", "revoked_at"])
        audit_record(
            actor=actor,
            action="hotline.open311.key_revoked",
            target=client,
            summary=f"吊销开放接口密钥：{client.name}（{client.key_prefix}…）",
        )
    return client


def open311_key_check(*, key: str) -> Open311Client | None:
    """The active client app holding this key, or None. Its `last_used_at` is written at most
    once a minute (`LAST_USED_PRECISION`): a busy app would otherwise write its row on every
    request."""
    key = key.strip()
    if len(key) <= KEY_PREFIX_LENGTH or len(key) > KEY_MAX_LENGTH:
        return None
    digest = _hash(key)
    candidates = Open311Client.objects.filter(key_prefix=key[:KEY_PREFIX_LENGTH], is_active=True)
    for client in candidates:
        if hmac.compare_digest(client.key_hash, digest):
            now = timezone.now()
            if client.last_used_at is None or now - client.last_used_at >= LAST_USED_PRECISION:
                Open311Client.objects.filter(pk=client.pk).update(last_used_at=now)
                client.last_used_at = now
            return client
    return None
