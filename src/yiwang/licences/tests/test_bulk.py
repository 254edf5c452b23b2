import pytest

from yiwang.licences.identifier import parse_identifier
from yiwang.licences.models import Licence, LicenceStatusChange
from yiwang.licences.selectors import licence_verify
from yiwang.licences.services.bulk import LicenceToIssue, licences_issue_bulk
from yiwang.licences.tests.factories import (
    citizen,
    make_department,
    make_licence,
    make_licence_type,
    make_staff,
    marriage_face,
)
from yiwang.platform.errors import Forbidden, InvalidInput

pytestmark = pytest.mark.django_db


def test_a_bulk_issue_signs_every_licence_like_a_single_issue(verified_person):
    licence_type = make_licence_type(several_valid=True)
    issuer = make_department()
    people = [verified_person(name) for name in ("张明华", "李秀英", "王五")]
    rows = [
        LicenceToIssue(
            licence_type=licence_type, holder=citizen(p), issuer=issuer, face=marriage_face()
        )
        for p in people
    ]
    issued = licences_issue_bulk(rows=rows, actor=None)
    assert [parse_identifier(lic.identifier).serial[-7:] for lic in issued] == [
        "0000001",
        "0000002",
        "0000003",
    ]
    assert all(licence_verify(lic.identifier).usable for lic in issued)
    assert LicenceStatusChange.objects.filter(licence__in=issued, to_status="valid").count() == 3


def test_one_bad_row_stops_the_whole_batch_and_names_its_row(verified_person):
    licence_type = make_licence_type()
    issuer = make_department()
    good = LicenceToIssue(
        licence_type=licence_type,
        holder=citizen(verified_person("张明华")),
        issuer=issuer,
        face=marriage_face(),
    )
    bad = LicenceToIssue(
        licence_type=licence_type,
        holder=citizen(verified_person("李秀英")),
        issuer=issuer,
        face={"spouse_name": "王五"},
    )
    with pytest.raises(InvalidInput) as raised:
        licences_issue_bulk(rows=[good, bad], actor=None)
    assert [e.field for e in raised.value.errors] == ["rows[1].face.registered_on"]
    assert Licence.objects.count() == 0


def test_staff_without_rights_for_an_issuer_change_nothing(verified_person):
    issuer = make_department()
    person = verified_person("张明华")
    make_licence(holder=citizen(person), issuer=issuer)
    clerk = make_staff(issuer, "window_clerk")
    row = LicenceToIssue(
        licence_type=make_licence_type(several_valid=True),
        holder=citizen(person),
        issuer=issuer,
        face=marriage_face(),
    )
    with pytest.raises(Forbidden):
        licences_issue_bulk(rows=[row], actor=clerk)
    assert Licence.objects.count() == 1
