"""Identity API: my account, my real-name verification, my enterprises and their agents.

Every endpoint acts for the signed-in user only; other people's data is unreachable (404).
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import django_auth

from yiwang.identity import selectors, services
from yiwang.identity.models import AgentAuthorisation, Enterprise, RealNameLevel, User
from yiwang.platform.masking import mask_citizen_id, mask_phone

router = Router(tags=["统一身份认证"], auth=django_auth)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class PersonOut(Schema):
    name: str
    citizen_id_masked: str
    realname_level: int
    realname_level_label: str
    realname_method: str
    verified_at: str | None


class MembershipOut(Schema):
    department_id: int
    department_name: str
    role: str
    role_label: str


class EnterpriseOut(Schema):
    id: int
    name: str
    uscc: str
    legal_representative_name: str
    is_legal_representative: bool


class MeOut(Schema):
    username: str
    display_name: str
    phone_masked: str
    phone_verified: bool
    realname_level: int
    person: PersonOut | None
    enterprises: list[EnterpriseOut]
    memberships: list[MembershipOut]


class VerificationIn(Schema):
    name: str
    citizen_id: str


class EnterpriseRegisterIn(Schema):
    name: str
    uscc: str
    registered_address: str = ""


class AgentOut(Schema):
    id: int
    agent_name: str
    valid_from: date
    valid_to: date
    scope_all_items: bool
    scope_note: str
    revoked: bool


class AgentAuthoriseIn(Schema):
    agent_name: str
    agent_citizen_id: str
    valid_from: date
    valid_to: date
    scope_note: str = ""


def _enterprise_out(enterprise: Enterprise, person_id: int | None) -> EnterpriseOut:
    return EnterpriseOut(
        id=enterprise.pk,
        name=enterprise.name,
        uscc=enterprise.uscc,
        legal_representative_name=enterprise.legal_representative.name,
        is_legal_representative=enterprise.legal_representative_id == person_id,
    )


def _agent_out(authorisation: AgentAuthorisation) -> AgentOut:
    return AgentOut(
        id=authorisation.pk,
        agent_name=authorisation.agent.name,
        valid_from=authorisation.valid_from,
        valid_to=authorisation.valid_to,
        scope_all_items=authorisation.scope_all_items,
        scope_note=authorisation.scope_note,
        revoked=authorisation.revoked_at is not None,
    )


def _me(user: User) -> MeOut:
    person = selectors.person_of(user)
    person_out = None
    if person is not None:
        person_out = PersonOut(
            name=person.name,
            citizen_id_masked=mask_citizen_id(person.citizen_id),
            realname_level=person.realname_level,
            realname_level_label=RealNameLevel(person.realname_level).label,
            realname_method=person.realname_method,
            verified_at=person.verified_at.isoformat() if person.verified_at else None,
        )
    return MeOut(
        username=user.username,
        display_name=user.display_name,
        phone_masked=mask_phone(user.phone) if user.phone else "",
        phone_verified=user.phone_verified,
        realname_level=person.realname_level if person else 0,
        person=person_out,
        enterprises=[
            _enterprise_out(e, person.pk if person else None)
            for e in selectors.enterprises_for_user(user)
        ],
        memberships=[
            MembershipOut(
                department_id=m.department_id,
                department_name=m.department.name,
                role=m.role,
                role_label=m.get_role_display(),
            )
            for m in selectors.staff_memberships_of(user)
        ],
    )


@router.get("/me", response=MeOut, summary="我的账户")
def me(request: HttpRequest) -> MeOut:
    return _me(_user(request))


@router.post("/me/verification", response=MeOut, summary="实名认证（姓名 + 公民身份号码）")
def verify_me(request: HttpRequest, payload: VerificationIn) -> MeOut:
    user = _user(request)
    services.person_verify_identity(user=user, name=payload.name, citizen_id=payload.citizen_id)
    return _me(user)


@router.get("/enterprises", response=list[EnterpriseOut], summary="我可代表的企业")
def my_enterprises(request: HttpRequest) -> list[EnterpriseOut]:
    user = _user(request)
    person = selectors.person_of(user)
    return [
        _enterprise_out(e, person.pk if person else None)
        for e in selectors.enterprises_for_user(user)
    ]


@router.post("/enterprises", response={201: EnterpriseOut}, summary="注册企业（法定代表人）")
def register_enterprise(
    request: HttpRequest, payload: EnterpriseRegisterIn
) -> Status[EnterpriseOut]:
    user = _user(request)
    enterprise = services.enterprise_register(
        user=user,
        name=payload.name,
        uscc=payload.uscc,
        registered_address=payload.registered_address,
    )
    return Status(201, _enterprise_out(enterprise, enterprise.legal_representative_id))


@router.get("/enterprises/{enterprise_id}", response=EnterpriseOut, summary="企业详情")
def enterprise_detail(request: HttpRequest, enterprise_id: int) -> EnterpriseOut:
    user = _user(request)
    enterprise = selectors.enterprise_for_user(user, enterprise_id)
    person = selectors.person_of(user)
    return _enterprise_out(enterprise, person.pk if person else None)


@router.get("/enterprises/{enterprise_id}/agents", response=list[AgentOut], summary="企业的经办人")
def enterprise_agents(request: HttpRequest, enterprise_id: int) -> list[AgentOut]:
    agents = selectors.agents_of_enterprise_for_user(_user(request), enterprise_id)
    return [_agent_out(a) for a in agents]


@router.post("/enterprises/{enterprise_id}/agents", response={201: AgentOut}, summary="授权经办人")
def authorise_agent(
    request: HttpRequest, enterprise_id: int, payload: AgentAuthoriseIn
) -> Status[AgentOut]:
    user = _user(request)
    enterprise = selectors.enterprise_for_user(user, enterprise_id)
    authorisation = services.agent_authorise(
        enterprise=enterprise, by_user=user, **payload.model_dump()
    )
    return Status(201, _agent_out(authorisation))


@router.post("/agents/{authorisation_id}/revoke", response=AgentOut, summary="撤销经办人授权")
def revoke_agent(request: HttpRequest, authorisation_id: int) -> AgentOut:
    user = _user(request)
    authorisation = selectors.agent_authorisation_for_user(user, authorisation_id)
    return _agent_out(services.agent_revoke(authorisation=authorisation, by_user=user))
