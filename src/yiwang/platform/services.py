"""Kernel writes other contexts call: the audit trail, the outbox, worker heartbeats, the sandbox
registries, and data-key rotation."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, models, transaction
from django.db.models import ExpressionWrapper, F
from django.utils import timezone

from yiwang.platform import crypto, tasks
from yiwang.platform.fields import EncryptedTextField
from yiwang.platform.logging import request_id_var, scrub
from yiwang.platform.masking import mask_recipient
from yiwang.platform.models import (
    AuditEntry,
    Gender,
    OutboxChannel,
    OutboxMessage,
    OutboxStatus,
    SandboxEnterpriseRecord,
    SandboxPersonRecord,
    WorkerHeartbeat,
)
from yiwang.platform.validators import (
    citizen_id_birth_date,
    citizen_id_is_male,
    normalise_citizen_id,
    normalise_uscc,
)

log = logging.getLogger("yiwang.platform")

# --- Audit trail ----------------------------------------------------------------------------------


def _scrubbed(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {str(key): _scrubbed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrubbed(item) for item in value]
    return value


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: models.Model | None = None,
    summary: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append who did `action` (e.g. "identity.person.citizen_id_viewed") to `target`.

    `summary` and `details` are for people reading the trail later: ids, masked values, field
    names — never plaintext personal data. Anything shaped like a citizen ID or mobile number is
    masked here all the same. Written in the caller's transaction: an action rolled back leaves
    no entry.
    """
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    actor_label = actor.get_username() if actor is not None and actor_id is not None else ""
    request_id = request_id_var.get()
    return AuditEntry.objects.create(
        actor_id=actor_id,
        actor_label=actor_label[:150],
        action=action[:100],
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=scrub(summary)[:200],
        details=_scrubbed(details or {}),
        request_id="" if request_id == "-" else request_id[:64],
    )


# --- Outbox ---------------------------------------------------------------------------------------


def outbox_enqueue(
    *,
    channel: str,
    recipient: str,
    subject: str = "",
    body: str,
    template: str = "",
    dedupe_key: str | None = None,
) -> OutboxMessage:
    """Write a message to leave the platform, in the caller's transaction; it is sent after the
    commit. With a `dedupe_key` already used, the existing message is returned and nothing new is
    sent (a retried request, a handler run twice)."""
    if channel not in OutboxChannel.values:
        raise ValueError(f"unknown outbox channel {channel!r}")
    recipient = recipient.strip()
    if not recipient or not body:
        raise ValueError("an outbox message needs a recipient and a body")
    if dedupe_key:
        existing = OutboxMessage.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                channel=channel,
                recipient=recipient,
                recipient_masked=mask_recipient(channel, recipient)[:200],
                payload={"subject": subject, "body": body, "template": template},
                dedupe_key=dedupe_key or None,
            )
    except IntegrityError:
        if not dedupe_key:
            raise
        return OutboxMessage.objects.get(dedupe_key=dedupe_key)
    _deliver_after_commit(message)
    return message


def outbox_retry(*, message: OutboxMessage) -> OutboxMessage:
    """An administrator sends a failed or dead message again now, with a fresh attempt count."""
    if message.status == OutboxStatus.SENT:
        return message
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = timezone.now()
    message.save(update_fields=["status", "attempts", "next_attempt_at"])
    _deliver_after_commit(message)
    return message


def _deliver_after_commit(message: OutboxMessage) -> None:
    # robust: if enqueuing fails, the commit stands and the sweep sends the message later.
    transaction.on_commit(partial(tasks.deliver_outbox_message.enqueue, message.pk), robust=True)


# --- Worker heartbeat -----------------------------------------------------------------------------


def worker_heartbeat_beat(*, worker: str) -> WorkerHeartbeat:
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
        worker=worker[:100], defaults={"beat_at": timezone.now()}
    )
    return heartbeat


# --- Sandbox registries (demo data) ---------------------------------------------------------------


@dataclass(frozen=True)
class SandboxPersonData:
    """A person of the demo population; gender, birth date and region come from the ID number."""

    name: str
    citizen_id: str


@dataclass(frozen=True)
class SandboxEnterpriseData:
    """An enterprise of the demo business registry; the region comes from the USCC."""

    name: str
    uscc: str
    legal_representative_name: str
    legal_representative_citizen_id: str
    registered_on: date
    address: str = ""


_BULK_BATCH = 500


def _batches(items: Iterable[Any], size: int = _BULK_BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def sandbox_registry_add_people(records: Iterable[SandboxPersonData]) -> int:
    """Add people to the sandbox population registry; those already there (same citizen ID
    number) are left as they are. Returns how many were added. Raises `InvalidInput` for a
    malformed ID number."""
    added = 0
    with transaction.atomic():
        for batch in _batches(records):
            rows: dict[str, SandboxPersonRecord] = {}
            for record in batch:
                citizen_id = normalise_citizen_id(record.citizen_id)
                index = crypto.blind_index(citizen_id, purpose="citizen_id")
                rows.setdefault(
                    index,
                    SandboxPersonRecord(
                        name=record.name.strip(),
                        citizen_id=citizen_id,
                        citizen_id_index=index,
                        gender=Gender.MALE if citizen_id_is_male(citizen_id) else Gender.FEMALE,
                        birth_date=citizen_id_birth_date(citizen_id),
                        region_code=citizen_id[:6],
                    ),
                )
            known = set(
                SandboxPersonRecord.objects.filter(citizen_id_index__in=rows).values_list(
                    "citizen_id_index", flat=True
                )
            )
            new = [row for index, row in rows.items() if index not in known]
            SandboxPersonRecord.objects.bulk_create(new, ignore_conflicts=True)
            added += len(new)
    return added


def sandbox_registry_add_enterprises(records: Iterable[SandboxEnterpriseData]) -> int:
    """Add enterprises to the sandbox business registry, skipping USCCs already there. Returns
    how many were added. Raises `InvalidInput` for a malformed USCC or ID number."""
    added = 0
    with transaction.atomic():
        for batch in _batches(records):
            rows: dict[str, SandboxEnterpriseRecord] = {}
            for record in batch:
                uscc = normalise_uscc(record.uscc)
                representative_id = normalise_citizen_id(record.legal_representative_citizen_id)
                rows.setdefault(
                    uscc,
                    SandboxEnterpriseRecord(
                        name=record.name.strip(),
                        uscc=uscc,
                        legal_representative_name=record.legal_representative_name.strip(),
                        legal_representative_citizen_id_index=crypto.blind_index(
                            representative_id, purpose="citizen_id"
                        ),
                        region_code=uscc[2:8],
                        registered_on=record.registered_on,
                        address=record.address.strip(),
                    ),
                )
            known = set(
                SandboxEnterpriseRecord.objects.filter(uscc__in=rows).values_list("uscc", flat=True)
            )
            new = [row for uscc, row in rows.items() if uscc not in known]
            SandboxEnterpriseRecord.objects.bulk_create(new, ignore_conflicts=True)
            added += len(new)
    return added


# --- Data-key rotation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyRotationCount:
    """One encrypted column: how many values were under an old key (and were re-encrypted)."""

    field: str  # "identity.user.phone"
    rotated: int


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Every encrypted column of every installed model, each once (on the model that owns it)."""
    found = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        for field in meta.local_concrete_fields:
            if isinstance(field, EncryptedTextField):
                found.append((model, field))
    return found


KeyRotator = Callable[[bool], KeyRotationCount]
_extra_rotators: list[KeyRotator] = []


def key_rotation_register(rotator: KeyRotator) -> KeyRotator:
    """Values encrypted outside an `EncryptedTextField` (e.g. inside a JSON column of a library's
    model) are rotated by a function their owner registers here, called with `dry_run`."""
    if rotator not in _extra_rotators:
        _extra_rotators.append(rotator)
    return rotator


def data_keys_rotate(*, batch_size: int = 500, dry_run: bool = False) -> list[KeyRotationCount]:
    """Re-encrypt every encrypted value not under the current key (the first of DATA_KEYS).

    Safe to run again, and while the platform serves: each batch is its own transaction, and a
    value written meanwhile is already under the current key. Remove an old key from DATA_KEYS
    only after a run that rotated nothing.
    """
    current_prefix = f"v1:{crypto.keyring().current_id}:"
    counts = []
    for model, field in encrypted_fields():
        # Read the stored ciphertext, not the decrypted value the field would give.
        raw = ExpressionWrapper(F(field.attname), output_field=models.TextField())
        stale = (
            model._default_manager.annotate(_ciphertext=raw)
            .exclude(_ciphertext__isnull=True)
            .exclude(_ciphertext="")
            .exclude(_ciphertext__startswith=current_prefix)
            .order_by("pk")
        )
        rotated, last_pk = 0, None
        while True:
            # Keyset pages, no open cursor while the same table is written.
            page = stale if last_pk is None else stale.filter(pk__gt=last_pk)
            batch = list(page.values_list("pk", "_ciphertext")[:batch_size])
            if not batch:
                break
            last_pk = batch[-1][0]
            objects = []
            for pk, ciphertext in batch:
                instance = model(pk=pk)
                setattr(instance, field.attname, crypto.decrypt(ciphertext))
                objects.append(instance)
            if not dry_run:
                with transaction.atomic():
                    model._default_manager.bulk_update(objects, [field.attname])
            rotated += len(objects)
        counts.append(
            KeyRotationCount(field=f"{model._meta.label_lower}.{field.name}", rotated=rotated)
        )
        if rotated:
            log.info("re-encrypted %s values of %s", rotated, counts[-1].field)
    counts.extend(rotator(dry_run) for rotator in _extra_rotators)
    return counts
