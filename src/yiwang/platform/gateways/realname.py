"""Real-name verification gateways. `SandboxRealNameGateway` checks the demo population and
business registries (`SandboxPersonRecord`, `SandboxEnterpriseRecord`) instead of the national
ones. The citizen ID number never reaches a log: only the reference and the outcome do."""

from __future__ import annotations

import logging
import re
import unicodedata

from yiwang.platform.crypto import blind_index
from yiwang.platform.errors import InvalidInput
from yiwang.platform.gateways.base import RealNameResult
from yiwang.platform.gateways.sandbox import new_reference, simulate_provider
from yiwang.platform.models import SandboxEnterpriseRecord, SandboxPersonRecord
from yiwang.platform.validators import normalise_citizen_id, normalise_uscc

log = logging.getLogger("yiwang.gateways.realname")

PERSON_NOT_FOUND = "未查询到该身份证号码的登记信息，请核对后重新输入。"
PERSON_NAME_MISMATCH = "姓名与身份证号码不一致"
ENTERPRISE_NOT_FOUND = "未查询到该统一社会信用代码的登记信息，请核对后重新输入。"
ENTERPRISE_NAME_MISMATCH = "企业名称与统一社会信用代码不一致"
LEGAL_REPRESENTATIVE_MISMATCH = "法定代表人姓名与登记信息不一致"

# Names of many ethnic minorities are written with a middle dot, typed in many ways.
_MIDDLE_DOTS = re.compile(r"[·•‧・∙⋅]")
_WHITESPACE = re.compile(r"\s+")


def comparable_name(value: str) -> str:
    text = unicodedata.normalize("NFKC", value)
    return _MIDDLE_DOTS.sub("·", _WHITESPACE.sub("", text))


class SandboxRealNameGateway:
    """Stands in for the public-security ID check and the business registry."""

    def verify_person(self, *, name: str, citizen_id: str) -> RealNameResult:
        simulate_provider("实名核验")
        reference = new_reference("RN")
        try:
            normalised = normalise_citizen_id(citizen_id)
        except InvalidInput as exc:
            return self._answer(reference, "person", matched=False, reason=exc.message)
        record = (
            SandboxPersonRecord.objects.filter(
                citizen_id_index=blind_index(normalised, purpose="citizen_id")
            )
            .only("name")
            .first()
        )
        if record is None:
            return self._answer(reference, "person", matched=False, reason=PERSON_NOT_FOUND)
        if comparable_name(record.name) != comparable_name(name):
            return self._answer(reference, "person", matched=False, reason=PERSON_NAME_MISMATCH)
        return self._answer(reference, "person", matched=True, reason="")

    def verify_enterprise(
        self, *, name: str, uscc: str, legal_representative: str
    ) -> RealNameResult:
        simulate_provider("企业核验")
        reference = new_reference("EN")
        try:
            normalised = normalise_uscc(uscc)
        except InvalidInput as exc:
            return self._answer(reference, "enterprise", matched=False, reason=exc.message)
        record = SandboxEnterpriseRecord.objects.filter(uscc=normalised).first()
        if record is None:
            return self._answer(reference, "enterprise", matched=False, reason=ENTERPRISE_NOT_FOUND)
        if comparable_name(record.name) != comparable_name(name):
            return self._answer(
                reference, "enterprise", matched=False, reason=ENTERPRISE_NAME_MISMATCH
            )
        if comparable_name(record.legal_representative_name) != comparable_name(
            legal_representative
        ):
            return self._answer(
                reference, "enterprise", matched=False, reason=LEGAL_REPRESENTATIVE_MISMATCH
            )
        return self._answer(reference, "enterprise", matched=True, reason="")

    @staticmethod
    def _answer(reference: str, subject: str, *, matched: bool, reason: str) -> RealNameResult:
        log.info(
            "sandbox real-name check %s %s: %s",
            subject,
            reference,
            "matched" if matched else "not matched",
        )
        return RealNameResult(matched=matched, reference=reference, reason=reason)
