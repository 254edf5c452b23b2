"""What-ifs for the verify endpoint, served without editing the project: the same WSGI application
with `selectors.licence_verify` replaced by a variant named in `VERIFY_VARIANT`.

  VERIFY_VARIANT=raw scripts/with-postgres.sh .venv/bin/python bench/licence_verify/run.py \\
      --wsgi bench.licence_verify.variants:application

- `current`: the selector as it is (the default).
- `raw`: the same row read with one hand-written SQL statement through Django's cursor, the
  signed content built from the row; no query compilation, no model instances.
- `prepared`: `raw` as a server-side prepared statement (a psycopg server-binding cursor on
  Django's connection, `prepare=True`), so that PostgreSQL stops planning it on every call.
- `constant`: no work at all, the same answer every time: the framework's own cost (middleware,
  ninja, the response schema), the ceiling of the ratio on this machine.

Bench code only: it reaches into the selector module's private names on purpose.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

from yiwang.project.wsgi import application  # sets Django up, so it comes first

# isort: split
import psycopg
from django.db import connection

from yiwang.licences import selectors
from yiwang.licences.holders import mask_holder_code, mask_holder_name
from yiwang.licences.identifier import IdentifierError, parse_identifier
from yiwang.licences.selectors import _VERDICTS, Verification, _today
from yiwang.licences.signing import SignedContent, verify
from yiwang.licences.workflow import LicenceStatus
from yiwang.platform.crypto import decrypt

SQL = """
SELECT l.identifier, l.number, l.holder_name, l.holder_code_type, l.holder_code, l.issuer_name,
       l.issuer_code, l.issued_on, l.valid_from, l.valid_to, l.face, l.trust_level, l.status,
       l.version, l.signature, t.type_code, t.name, k.public_key, p.identifier
  FROM licences_licence l
  JOIN licences_licencetype t ON t.id = l.licence_type_id
  JOIN licences_signingkey k ON k.id = l.signing_key_id
  LEFT JOIN licences_licence p ON p.id = l.previous_id
 WHERE l.identifier = %s
"""


def _verification(text: str, row: tuple[Any, ...] | None) -> Verification:
    if row is None:
        return Verification(text, False, False, "", "", "证照库中没有这个标识的证照。")
    (identifier, number, holder_name, code_type, code, issuer_name, issuer_code, issued_on,
     valid_from, valid_to, face, trust_level, status, version, signature, type_code, type_name,
     public_key, previous) = row  # fmt: skip
    code = decrypt(code)
    if isinstance(face, str):
        face = json.loads(face)
    if status == LicenceStatus.VALID and valid_to and valid_to < _today():
        status = LicenceStatus.EXPIRED
    content = SignedContent(
        identifier, type_code, number, holder_name, code_type, code, issuer_code, issuer_name,
        issued_on, valid_from, valid_to, dict(face), trust_level, version, previous or "",
    )  # fmt: skip
    genuine = verify(content, signature, public_key)
    return Verification(
        identifier=text,
        found=True,
        genuine=genuine,
        status=status,
        status_label=str(LicenceStatus(status).label),
        message=_VERDICTS[LicenceStatus(status)] if genuine else "证照内容与电子签名不符。",
        licence_name=type_name,
        number=number,
        holder=mask_holder_name(code_type, holder_name),
        holder_code=mask_holder_code(code_type, code),
        issuer=issuer_name,
        issued_on=issued_on,
        valid_from=valid_from,
        valid_to=valid_to,
        trust_level=trust_level,
    )


def _parsed(identifier_text: str) -> tuple[str, Verification | None]:
    text = identifier_text.strip().upper()[:120]
    try:
        parse_identifier(text)
    except IdentifierError as error:
        return text, Verification(text, False, False, "", "", error.message)
    return text, None


def verify_raw(identifier_text: str) -> Verification:
    text, refused = _parsed(identifier_text)
    if refused is not None:
        return refused
    with connection.cursor() as cursor:
        cursor.execute(SQL, [text])
        return _verification(text, cursor.fetchone())


def verify_prepared(identifier_text: str) -> Verification:
    text, refused = _parsed(identifier_text)
    if refused is not None:
        return refused
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:  # Django turns preparing off (for connection poolers)
        raw.prepare_threshold = 5  # only server-binding cursors prepare: just this one here
    # A plain psycopg cursor (server-side binding): Django's own binds on the client side, and
    # a client-side statement cannot be prepared.
    with psycopg.Cursor(raw) as cursor:
        cursor.execute(SQL, [text], prepare=True)
        return _verification(text, cursor.fetchone())


_current = selectors.licence_verify
_constant: list[Verification] = []


def verify_constant(identifier_text: str) -> Verification:
    if not _constant:
        _constant.append(_current(identifier_text))
    return _constant[0]


VARIANTS: dict[str, Callable[[str], Verification]] = {
    "current": _current,
    "raw": verify_raw,
    "prepared": verify_prepared,
    "constant": verify_constant,
}
selectors.licence_verify = VARIANTS[os.environ.get("VERIFY_VARIANT", "current")]  # type: ignore[assignment]

__all__ = ["application"]
