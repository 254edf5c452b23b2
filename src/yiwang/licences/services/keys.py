"""Department signing keys: created on first use, rotated by administrators."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.identity.models import User
from yiwang.licences.models import SigningKey
from yiwang.licences.signing import generate_key_pair
from yiwang.org.models import Department
from yiwang.platform.services import audit_record


def _new_key(department: Department) -> SigningKey:
    pair = generate_key_pair()
    count = SigningKey.objects.filter(department=department).count()
    return SigningKey.objects.create(
        department=department,
        key_id=f"{department.uscc}-{count + 1:03d}",
        public_key=pair.public_key,
        private_key=pair.private_key,
    )


def signing_key_active(*, department: Department) -> SigningKey:
    """The department's current key, made on first use."""
    key = SigningKey.objects.filter(department=department, retired_at__isnull=True).first()
    if key is not None:
        return key
    try:
        with transaction.atomic():
            return _new_key(department)
    except IntegrityError:  # another request made it first
        return SigningKey.objects.get(department=department, retired_at__isnull=True)


def signing_key_rotate(*, department: Department, actor: User | None) -> SigningKey:
    """Retire the current key and start a new one. Licences keep pointing at the key that
    signed them, so their signatures stay verifiable."""
    with transaction.atomic():
        old = (
            SigningKey.objects.select_for_update()
            .filter(department=department, retired_at__isnull=True)
            .first()
        )
        if old is not None:
            old.retired_at = timezone.now()
            old.save(update_fields=["retired_at"])
        key = _new_key(department)
        audit_record(
            actor=actor,
            action="licences.signing_key.rotated",
            target=key,
            summary=f"{department.name} 启用新签名密钥 {key.key_id}",
            details={"retired": old.key_id if old else ""},
        )
    return key
