from dataclasses import fields, replace
from datetime import date
from typing import Any

import pytest

from yiwang.licences.signing import SignedContent, generate_key_pair, sign, verify

CONTENT = SignedContent(
    identifier="1.2.156.3005.2.11100000000013338W001.113504000030000149.2025000123.001.K",
    type_code="11100000000013338W001",
    number="J350102-2020-000123",
    holder_name="张明华",
    holder_code_type="111",
    holder_code="350102199005170011",
    issuer_code="113504000030000149",
    issuer_name="示范市民政局",
    issued_on=date(2020, 5, 20),
    valid_from=date(2020, 5, 20),
    valid_to=None,
    face={"spouse_name": "李秀英", "registered_on": "2020-05-20"},
    trust_level="A",
    version=1,
    previous_identifier="",
)

CHANGED: dict[str, Any] = {
    "identifier": CONTENT.identifier.replace("123.001", "124.001"),
    "type_code": "11100000000013338W002",
    "number": "J350102-2020-000124",
    "holder_name": "张明",
    "holder_code_type": "001",
    "holder_code": "350102199005170038",
    "issuer_code": "113504000030000157",
    "issuer_name": "示范市公安局",
    "issued_on": date(2020, 5, 21),
    "valid_from": date(2020, 5, 21),
    "valid_to": date(2030, 5, 20),
    "face": {"spouse_name": "李秀云", "registered_on": "2020-05-20"},
    "trust_level": "B",
    "version": 2,
    "previous_identifier": "1.2.156.3005.2.x",
}


def test_a_signature_verifies_with_the_signing_key_only():
    pair, other = generate_key_pair(), generate_key_pair()
    signature = sign(CONTENT, pair.private_key)
    assert verify(CONTENT, signature, pair.public_key) is True
    assert verify(CONTENT, signature, other.public_key) is False


def test_the_table_of_changes_covers_every_signed_field():
    assert set(CHANGED) == {f.name for f in fields(SignedContent)}


@pytest.mark.parametrize("name", sorted(CHANGED))
def test_changing_any_signed_field_fails_verification(name):
    pair = generate_key_pair()
    signature = sign(CONTENT, pair.private_key)
    assert verify(replace(CONTENT, **{name: CHANGED[name]}), signature, pair.public_key) is False


def test_an_added_face_field_fails_verification():
    pair = generate_key_pair()
    signature = sign(CONTENT, pair.private_key)
    tampered = replace(CONTENT, face={**CONTENT.face, "remarks": "补"})
    assert verify(tampered, signature, pair.public_key) is False


def test_the_canonical_form_is_independent_of_key_order():
    reordered = replace(CONTENT, face=dict(reversed(list(CONTENT.face.items()))))
    assert reordered.canonical() == CONTENT.canonical()
    assert "李秀英".encode() in CONTENT.canonical()


def test_garbage_signatures_are_simply_not_valid():
    pair = generate_key_pair()
    assert verify(CONTENT, "not base64!", pair.public_key) is False
    assert verify(CONTENT, "", pair.public_key) is False
