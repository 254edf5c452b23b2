from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from yiwang.identity.services import account_set_phone
from yiwang.licences.holders import Holder
from yiwang.licences.identifier import parse_identifier
from yiwang.licences.models import (
    Licence,
    LicenceAccess,
    LicenceStatusChange,
    LicenceType,
    SigningKey,
)
from yiwang.licences.selectors import (
    VERIFY_SQL,
    licence_accesses,
    licence_chain,
    licence_history,
    licence_signature_holds,
    licence_verify,
)
from yiwang.licences.services import (
    licence_expiry_reminders_send,
    licence_issue,
    licence_lookup,
    licence_renew,
    licence_status_change,
    licence_use,
    licences_expire_due,
    signing_key_rotate,
)
from yiwang.licences.tests.factories import (
    BUSINESS_FACE,
    citizen,
    enterprise,
    make_department,
    make_licence,
    make_licence_type,
    make_staff,
    marriage_face,
)
from yiwang.licences.workflow import HolderKind, LicenceStatus, ValidityRule
from yiwang.platform.clock import announce
from yiwang.platform.errors import Forbidden, InvalidInput, InvalidTransition
from yiwang.platform.models import AuditEntry, OutboxMessage

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return (
        Licence.objects.count(),
        LicenceStatusChange.objects.count(),
        LicenceAccess.objects.count(),
    )


# --- Issuing --------------------------------------------------------------------------------------


def test_an_issued_licence_has_a_checked_identifier_a_signature_and_a_first_history_row(
    verified_person,
):
    person = verified_person("张明华")
    issuer = make_department()
    licence_type = make_licence_type()
    first = make_licence(holder=citizen(person), licence_type=licence_type, issuer=issuer)
    parsed = parse_identifier(first.identifier)
    assert (parsed.type_code, parsed.issuer_code, parsed.version) == (
        licence_type.type_code,
        issuer.uscc,
        1,
    )
    assert parsed.serial == f"{timezone.localdate().year}0000001" == first.number
    assert licence_signature_holds(first)
    assert first.signing_key.department == issuer
    assert [(h.from_status, h.to_status, h.reason) for h in licence_history(first)] == [
        ("", LicenceStatus.VALID, "颁发")
    ]
    assert (
        AuditEntry.objects.filter(action="licences.licence.issued", target_id=str(first.pk)).count()
        == 1
    )
    other = verified_person("李秀英")
    second = make_licence(holder=citizen(other), licence_type=licence_type, issuer=issuer)
    assert parse_identifier(second.identifier).serial == f"{timezone.localdate().year}0000002"


def test_the_holder_code_is_stored_encrypted_and_found_by_blind_index(verified_person):
    person = verified_person("张明华")
    licence = make_licence(holder=citizen(person))
    with connection.cursor() as cursor:
        cursor.execute("SELECT holder_code FROM licences_licence WHERE id = %s", [licence.pk])
        (stored,) = cursor.fetchone()
    assert person.citizen_id not in stored
    assert stored.startswith("v1:")
    assert Licence.objects.get(holder_code_index=citizen(person).index) == licence


def test_every_problem_of_an_issue_is_reported_together_and_nothing_is_written(verified_person):
    licence_type = make_licence_type()
    before = _counts()
    with pytest.raises(InvalidInput) as raised:
        licence_issue(
            licence_type=licence_type,
            holder=Holder(HolderKind.ENTERPRISE, "91350102MA0000000X", ""),
            issuer=make_department(),
            face={"registered_on": "去年"},
            actor=None,
        )
    assert [(e.field, e.message) for e in raised.value.errors] == [
        ("holder_code", "统一社会信用代码最后一位校验码不正确，请核对后重新输入。"),
        ("holder_code_type", f"{licence_type.name}的持证主体应为公民身份号码"),
        ("holder_name", "请填写持证主体名称"),
        ("face.spouse_name", "请填写“配偶姓名”"),
        ("face.registered_on", "“登记日期”应为日期（如 2026-01-31）"),
    ]
    assert _counts() == before


def test_staff_without_issuing_rights_for_the_department_are_refused(verified_person):
    person = verified_person("张明华")
    issuer = make_department()
    clerk = make_staff(issuer, "window_clerk")
    reviewer_elsewhere = make_staff(make_department(), "reviewer")
    before = _counts()
    for actor in (clerk, reviewer_elsewhere):
        with pytest.raises(Forbidden):
            licence_issue(
                licence_type=make_licence_type(),
                holder=citizen(person),
                issuer=issuer,
                face=marriage_face(),
                actor=actor,
            )
    assert _counts() == before
    reviewer = make_staff(issuer, "reviewer")
    licence = licence_issue(
        licence_type=make_licence_type(),
        holder=citizen(person),
        issuer=issuer,
        face=marriage_face(),
        actor=reviewer,
    )
    assert licence_history(licence)[0].actor == reviewer


def test_a_new_licence_of_a_single_valid_type_supersedes_the_current_one(verified_person):
    person = verified_person("张明华")
    licence_type = make_licence_type()
    issuer = make_department()
    old = make_licence(holder=citizen(person), licence_type=licence_type, issuer=issuer)
    new = make_licence(
        holder=citizen(person),
        licence_type=licence_type,
        issuer=issuer,
        face=marriage_face(remarks="补发"),
    )
    old.refresh_from_db()
    assert old.status == LicenceStatus.SUPERSEDED
    assert new.previous == old
    assert new.version == 2
    assert parse_identifier(new.identifier).serial == parse_identifier(old.identifier).serial
    assert licence_chain(new) == [new, old]
    assert licence_verify(old.identifier).message == "证照已换发新证，此版本不再使用。"
    assert licence_verify(new.identifier).usable


def test_types_that_allow_several_keep_every_licence_valid(enterprise_of):
    ent = enterprise_of("王建国")
    licence_type = make_licence_type(
        holder_kind=HolderKind.ENTERPRISE, face_fields=BUSINESS_FACE, several_valid=True
    )
    face = {"legal_representative": "王建国", "registered_capital": "50", "entity_type": "合伙企业"}
    first = make_licence(holder=enterprise(ent), licence_type=licence_type, face=face)
    second = make_licence(holder=enterprise(ent), licence_type=licence_type, face=face)
    first.refresh_from_db()
    assert (first.status, second.status, second.previous) == (
        LicenceStatus.VALID,
        LicenceStatus.VALID,
        None,
    )


def test_validity_follows_the_type_rule(verified_person):
    person = verified_person("张明华")
    fixed = make_licence_type(validity_rule=ValidityRule.FIXED_YEARS, validity_years=6)
    licence = make_licence(holder=citizen(person), licence_type=fixed, issued_on=date(2024, 2, 29))
    assert (licence.valid_from, licence.valid_to) == (date(2024, 2, 29), date(2030, 2, 27))
    stated = make_licence_type(validity_rule=ValidityRule.STATED)
    with pytest.raises(InvalidInput) as raised:
        make_licence(holder=citizen(person), licence_type=stated)
    assert [(e.field, e.message) for e in raised.value.errors] == [
        ("valid_to", "此类证照需填写有效期至")
    ]
    with pytest.raises(InvalidInput) as raised:
        make_licence(
            holder=citizen(person),
            licence_type=stated,
            valid_from=date(2026, 1, 1),
            valid_to=date(2025, 1, 1),
        )
    assert raised.value.errors[0].message == "有效期至不能早于有效期起"


def test_renewal_keeps_the_serial_carries_the_face_and_supersedes(verified_person):
    person = verified_person("张明华")
    issuer = make_department()
    head = make_staff(issuer, "department_head")
    old = make_licence(holder=citizen(person), issuer=issuer)
    new = licence_renew(licence=old, actor=head, face={"remarks": "换证"})
    assert new.face == {**old.face, "remarks": "换证"}
    assert (new.version, new.previous_id, new.number) == (2, old.pk, old.number)
    assert new.identifier.split(".")[-2] == "002"
    old.refresh_from_db()
    assert old.status == LicenceStatus.SUPERSEDED
    with pytest.raises(InvalidTransition):
        licence_renew(licence=old, actor=head)


def test_a_rotated_key_signs_new_licences_and_old_signatures_still_verify(verified_person):
    person = verified_person("张明华")
    issuer = make_department()
    old = make_licence(holder=citizen(person), issuer=issuer)
    new_key = signing_key_rotate(department=issuer, actor=None)
    fresh = make_licence(holder=citizen(verified_person("李秀英")), issuer=issuer)
    assert fresh.signing_key == new_key != old.signing_key
    assert SigningKey.objects.get(pk=old.signing_key_id).retired_at is not None
    assert licence_verify(old.identifier).usable
    assert licence_verify(fresh.identifier).usable


def test_a_face_field_changed_in_the_database_fails_verification(verified_person):
    licence = make_licence(holder=citizen(verified_person("张明华")))
    Licence.objects.filter(pk=licence.pk).update(face={**licence.face, "spouse_name": "王五"})
    verification = licence_verify(licence.identifier)
    assert (verification.found, verification.genuine, verification.usable) == (True, False, False)
    assert "可能被篡改" in verification.message


def test_verification_masks_the_holder_and_explains_bad_identifiers(verified_person):
    person = verified_person("张明华")
    licence = make_licence(holder=citizen(person))
    verification = licence_verify(licence.identifier.lower())
    assert (verification.holder, verification.holder_code) == (
        "张**",
        person.citizen_id[:4] + "*" * 10 + person.citizen_id[-4:],
    )
    wrong_check = "0" if not licence.identifier.endswith("0") else "1"
    assert licence_verify(licence.identifier[:-1] + wrong_check).message == (
        "校验位不符，标识可能抄错或被改动"
    )
    assert licence_verify("hello").message == "这不是电子证照标识（应以 1.2.156.3005.2 开头）"
    LicenceStatusChange.objects.filter(licence=licence).delete()
    Licence.objects.filter(pk=licence.pk).delete()
    assert licence_verify(licence.identifier).message == "证照库中没有这个标识的证照。"


# --- Status ---------------------------------------------------------------------------------------


def test_the_issuing_head_revokes_with_a_reason_and_the_verify_answer_changes(verified_person):
    issuer = make_department()
    head = make_staff(issuer, "department_head")
    licence = make_licence(holder=citizen(verified_person("张明华")), issuer=issuer)
    licence_status_change(
        licence=licence, to_status=LicenceStatus.REVOKED, reason="以欺骗手段取得", actor=head
    )
    assert licence.status == LicenceStatus.REVOKED
    assert [(h.to_status, h.reason, h.actor) for h in licence_history(licence)][-1] == (
        LicenceStatus.REVOKED,
        "以欺骗手段取得",
        head,
    )
    verification = licence_verify(licence.identifier)
    assert (verification.genuine, verification.usable, verification.status_label) == (
        True,
        False,
        "已吊销",
    )
    with pytest.raises(InvalidTransition, match="不能改为"):
        licence_status_change(
            licence=licence, to_status=LicenceStatus.VALID, reason="误操作", actor=head
        )


def test_status_changes_need_the_head_of_the_issuer_a_reason_and_a_manual_status(verified_person):
    issuer = make_department()
    licence = make_licence(holder=citizen(verified_person("张明华")), issuer=issuer)
    before = _counts()
    for actor in (make_staff(issuer, "reviewer"), make_staff(make_department(), "department_head")):
        with pytest.raises(Forbidden):
            licence_status_change(
                licence=licence, to_status=LicenceStatus.SUSPENDED, reason="核查", actor=actor
            )
    head = make_staff(issuer, "department_head")
    with pytest.raises(InvalidInput) as raised:
        licence_status_change(
            licence=licence, to_status=LicenceStatus.SUSPENDED, reason="  ", actor=head
        )
    assert raised.value.errors[0].message == "请填写变更原因"
    with pytest.raises(InvalidInput):
        licence_status_change(
            licence=licence, to_status=LicenceStatus.EXPIRED, reason="到期", actor=head
        )
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.VALID
    assert _counts() == before


def test_a_suspended_licence_can_be_reinstated_unless_it_has_expired(verified_person):
    issuer = make_department()
    head = make_staff(issuer, "department_head")
    licence = make_licence(
        holder=citizen(verified_person("张明华")), issuer=issuer, valid_to=date(2099, 1, 1)
    )
    licence_status_change(
        licence=licence, to_status=LicenceStatus.SUSPENDED, reason="核查", actor=head
    )
    licence_status_change(
        licence=licence, to_status=LicenceStatus.VALID, reason="核查无误", actor=head
    )
    assert licence.status == LicenceStatus.VALID
    short = make_licence(
        holder=citizen(verified_person("李秀英")),
        issuer=issuer,
        issued_on=date(2020, 1, 1),
        valid_to=date(2099, 1, 1),
    )
    licence_status_change(
        licence=short, to_status=LicenceStatus.SUSPENDED, reason="核查", actor=head
    )
    with (
        time_machine.travel(date(2099, 1, 2)),
        pytest.raises(InvalidTransition, match="超过有效期"),
    ):
        licence_status_change(
            licence=short, to_status=LicenceStatus.VALID, reason="核查无误", actor=head
        )


def test_the_daily_clock_expires_licences_past_their_end_once(verified_person):
    person = verified_person("张明华")
    ending = make_licence(
        holder=citizen(person),
        licence_type=make_licence_type(several_valid=True),
        issued_on=date(2020, 1, 1),
        valid_to=date(2026, 3, 1),
    )
    lasting = make_licence(holder=citizen(person), issued_on=date(2020, 1, 1))
    assert licence_verify(ending.identifier).status == LicenceStatus.EXPIRED  # before the task
    assert announce(date(2026, 3, 2)) is True
    ending.refresh_from_db()
    lasting.refresh_from_db()
    assert (ending.status, lasting.status) == (LicenceStatus.EXPIRED, LicenceStatus.VALID)
    assert licence_history(ending)[-1].reason == "超过有效期"
    assert licences_expire_due(today=date(2026, 3, 3)) == 0
    assert licences_expire_due(today=date(2026, 3, 1)) == 0


def test_holders_are_reminded_once_thirty_days_before_the_end(verified_person):
    person = verified_person("张明华")
    account_set_phone(user=person.user, phone="13800000001", verified=True)
    silent = verified_person("李秀英")  # no phone on the account
    licence_type = make_licence_type(name="机动车驾驶证")
    due = make_licence(
        holder=citizen(person),
        licence_type=licence_type,
        issued_on=date(2020, 1, 1),
        valid_to=date(2026, 12, 20),
    )
    make_licence(
        holder=citizen(silent),
        licence_type=licence_type,
        issued_on=date(2020, 1, 1),
        valid_to=date(2026, 12, 20),
    )
    make_licence(
        holder=citizen(verified_person("王五")),
        licence_type=licence_type,
        issued_on=date(2020, 1, 1),
        valid_to=date(2027, 1, 30),
    )
    assert licence_expiry_reminders_send(today=date(2026, 11, 22)) == 1
    (message,) = OutboxMessage.objects.filter(payload__template="licence_expiry")
    assert message.recipient == "+8613800000001"
    assert message.payload["body"] == (
        f"【一网通办】您的机动车驾驶证（编号 {due.number}）将于 2026年12月20日 到期（还有 28 天），"
        "请及时办理换证。"
    )
    assert licence_expiry_reminders_send(today=date(2026, 11, 23)) == 0
    assert OutboxMessage.objects.filter(payload__template="licence_expiry").count() == 1
    assert Licence.objects.filter(expiry_reminded_on=date(2026, 11, 22)).count() == 2


# --- Look-ups with a reason -----------------------------------------------------------------------


def test_a_look_up_without_a_reason_is_refused_and_nothing_is_logged(verified_person):
    person = verified_person("张明华")
    licence = make_licence(holder=citizen(person))
    unit = make_department()
    clerk = make_staff(unit, "window_clerk")
    for reason in ("", "   "):
        with pytest.raises(InvalidInput) as raised:
            licence_lookup(
                actor=clerk,
                department_id=unit.pk,
                holder_code_type=HolderKind.CITIZEN,
                holder_code=person.citizen_id,
                licence_type_codes=[licence.licence_type.code],
                reason=reason,
            )
        assert raised.value.code == "reason_required"
    with pytest.raises(InvalidInput):
        licence_lookup(
            actor=clerk,
            department_id=unit.pk,
            holder_code_type=HolderKind.CITIZEN,
            holder_code=person.citizen_id,
            licence_type_codes=[licence.licence_type.code],
            reason="办" * 201,
        )
    assert LicenceAccess.objects.count() == 0
    assert licence_accesses(licence) == []


def test_staff_of_another_department_or_role_cannot_look_up(verified_person):
    person = verified_person("张明华")
    licence = make_licence(holder=citizen(person))
    unit = make_department()
    for actor in (
        make_staff(make_department(), "window_clerk"),
        make_staff(unit, "hotline_operator"),
    ):
        with pytest.raises(Forbidden):
            licence_lookup(
                actor=actor,
                department_id=unit.pk,
                holder_code_type=HolderKind.CITIZEN,
                holder_code=person.citizen_id,
                licence_type_codes=[licence.licence_type.code],
                reason="办理户籍迁移",
            )
    assert LicenceAccess.objects.count() == 0


def test_the_holder_sees_each_look_up_with_unit_reason_and_case(verified_person):
    person = verified_person("张明华")
    licence = make_licence(holder=citizen(person))
    unit = make_department(name="示范市不动产登记中心")
    clerk = make_staff(unit, "window_clerk")
    found = licence_lookup(
        actor=clerk,
        department_id=unit.pk,
        holder_code_type=HolderKind.CITIZEN,
        holder_code=person.citizen_id.lower(),
        licence_type_codes=[licence.licence_type.code, "NO_SUCH_TYPE"],
        reason="办理不动产转移登记，核验婚姻状况",
        case_number="3599002026112200001",
    )
    assert found == [licence]
    (access,) = licence_accesses(licence)
    assert (
        access.unit_name,
        access.reason,
        access.case_number,
        access.result,
        access.accessor,
    ) == (
        "示范市不动产登记中心",
        "办理不动产转移登记，核验婚姻状况",
        "3599002026112200001",
        "found",
        clerk,
    )
    assert access.watermark.startswith(f"此件由{licence.issuer_name}提供")
    nothing = licence_lookup(
        actor=clerk,
        department_id=unit.pk,
        holder_code_type=HolderKind.CITIZEN,
        holder_code=person.citizen_id,
        licence_type_codes=["NO_SUCH_TYPE"],
        reason="核验",
    )
    assert nothing == []
    assert LicenceAccess.objects.filter(result="not_found", licence=None).count() == 1


def test_a_department_uses_only_usable_licences_and_each_use_is_logged(verified_person):
    issuer = make_department()
    head = make_staff(issuer, "department_head")
    licence = make_licence(holder=citizen(verified_person("张明华")), issuer=issuer)
    unit = make_department()
    reviewer = make_staff(unit, "reviewer")
    access = licence_use(
        actor=reviewer,
        department_id=unit.pk,
        licence=licence,
        reason="办件复用",
        purpose="reuse",
        case_number="3599002026112200002",
    )
    assert (access.purpose, access.licence) == ("reuse", licence)
    licence_status_change(
        licence=licence, to_status=LicenceStatus.REVOKED, reason="吊销", actor=head
    )
    with pytest.raises(InvalidInput, match="已吊销"):
        licence_use(actor=reviewer, department_id=unit.pk, licence=licence, reason="下载")
    assert LicenceAccess.objects.count() == 1


def test_expired_by_date_is_not_usable_even_before_the_nightly_task(verified_person):
    person = verified_person("张明华")
    licence = make_licence(
        holder=citizen(person),
        issued_on=date(2020, 1, 1),
        valid_to=timezone.localdate() - timedelta(days=1),
    )
    assert licence.status == LicenceStatus.VALID
    unit = make_department()
    clerk = make_staff(unit, "window_clerk")
    assert (
        licence_lookup(
            actor=clerk,
            department_id=unit.pk,
            holder_code_type=HolderKind.CITIZEN,
            holder_code=person.citizen_id,
            licence_type_codes=[licence.licence_type.code],
            reason="核验",
        )
        == []
    )


def test_the_verify_statement_names_the_models_tables_and_agrees_with_the_orm(verified_person):
    for model in (Licence, LicenceType, SigningKey):
        assert f" {model._meta.db_table} " in VERIFY_SQL
    person = verified_person("张明华")
    old = make_licence(holder=citizen(person), valid_to=date(2099, 1, 1))
    new = licence_renew(licence=old, actor=None, face={"remarks": "换证"})
    for licence in (old, new):
        licence.refresh_from_db()
        assert licence_verify(licence.identifier).genuine is licence_signature_holds(licence)
    assert licence_verify(new.identifier).usable
    assert licence_verify(old.identifier).valid_to == date(2099, 1, 1)
