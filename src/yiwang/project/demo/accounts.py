"""Demo accounts: one per role, printed by `yiwang demo` (and so by `make demo`).

The people come from the demo registry (`people.py`, `enterprises.py`), so every account passes
the sandbox real-name check. Citizens are verified; 王建国 has registered his restaurant company
and authorised 陈静 as its agent; each staff member holds one role in a fitting department and has
a TOTP authenticator whose secret is derived from the demo seed and printed, so that a newcomer can
add it to an authenticator app.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from yiwang.identity import services as identity
from yiwang.identity.models import AgentAuthorisation, Enterprise, Person, StaffRole, User
from yiwang.project.demo.context import DemoContext, Writer
from yiwang.project.demo.departments import demo_department
from yiwang.project.demo.enterprises import DEMO_ENTERPRISES
from yiwang.project.demo.people import DEMO_PEOPLE, DEMO_STAFF_PEOPLE, DemoPerson

DEMO_PASSWORD = "Yiwang2026"


@dataclass(frozen=True)
class DemoCitizenAccount:
    username: str
    person_name: str
    label: str


CITIZENS: tuple[DemoCitizenAccount, ...] = (
    DemoCitizenAccount("citizen", "张明华", "市民（已实名认证）"),
    DemoCitizenAccount("boss", "王建国", "企业法定代表人"),
    DemoCitizenAccount("agent", "陈静", "企业经办人"),
)
ENTERPRISE = DEMO_ENTERPRISES[0]  # 示范市清溪餐饮管理有限公司, legal representative 王建国
AGENT_NAME = "陈静"
# In the registry, without an account: the person the register-and-verify journey signs up as.
NEWCOMER_NAME = "林晓峰"

STAFF_USERNAMES: dict[StaffRole, str] = {
    StaffRole.WINDOW_CLERK: "clerk",
    StaffRole.REVIEWER: "reviewer",
    StaffRole.DEPARTMENT_HEAD: "head",
    StaffRole.HOTLINE_OPERATOR: "operator",
    StaffRole.DISPATCHER: "dispatcher",
    StaffRole.DEPARTMENT_HANDLER: "handler",
    StaffRole.SUPERVISOR: "supervisor",
    StaffRole.LEADER: "leader",
    StaffRole.ADMINISTRATOR: "admin",
    StaffRole.CATALOGUE_MANAGER: "catalogue",
}
STAFF_DEPARTMENTS: dict[StaffRole, str] = {
    StaffRole.WINDOW_CLERK: "approval",
    StaffRole.REVIEWER: "market",
    StaffRole.DEPARTMENT_HEAD: "market",
    StaffRole.HOTLINE_OPERATOR: "hotline",
    StaffRole.DISPATCHER: "hotline",
    StaffRole.DEPARTMENT_HANDLER: "urban_management",
    StaffRole.SUPERVISOR: "supervision",
    StaffRole.LEADER: "efficiency",
    StaffRole.ADMINISTRATOR: "data",
    StaffRole.CATALOGUE_MANAGER: "market",
}


def demo_person(name: str) -> DemoPerson:
    for person in (*DEMO_PEOPLE, *DEMO_STAFF_PEOPLE.values()):
        if person.name == name:
            return person
    raise KeyError(name)


def totp_secret_for(username: str, *, seed: int) -> str:
    """A stable base32 TOTP secret per demo account: the same seed prints the same secrets."""
    digest = hmac.new(str(seed).encode(), f"totp:{username}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode("ascii")


def _verified(username: str, person: DemoPerson) -> Person:
    user = identity.citizen_account_create(
        username=username, password=DEMO_PASSWORD, phone=person.phone
    )
    existing = Person.objects.filter(user=user).first()
    if existing is not None:
        return existing
    return identity.person_verify_identity(
        user=user, name=person.name, citizen_id=person.citizen_id
    )


def _enterprise(representative: Person) -> Enterprise:
    existing = Enterprise.objects.filter(uscc=ENTERPRISE.uscc).first()
    if existing is not None:
        return existing
    return identity.enterprise_register(
        user=representative.user,
        name=ENTERPRISE.name,
        uscc=ENTERPRISE.uscc,
        registered_address=ENTERPRISE.address,
    )


def _authorise_agent(enterprise: Enterprise, agent: Person) -> bool:
    today = timezone.localdate()
    if AgentAuthorisation.objects.filter(
        enterprise=enterprise, agent=agent, revoked_at__isnull=True, valid_to__gte=today
    ).exists():
        return False
    identity.agent_authorise(
        enterprise=enterprise,
        by_user=enterprise.legal_representative.user,
        agent_name=agent.name,
        agent_citizen_id=agent.citizen_id,
        valid_from=today,
        valid_to=today + timedelta(days=365),
        scope_note="",
    )
    return True


def load_accounts(ctx: DemoContext) -> None:
    """Create (idempotently) one account per role. Needs departments and the registry."""
    before = User.objects.count()
    people = {c.username: _verified(c.username, demo_person(c.person_name)) for c in CITIZENS}
    enterprise = _enterprise(people["boss"])
    _authorise_agent(enterprise, people["agent"])
    for role, username in STAFF_USERNAMES.items():
        staff_person = DEMO_STAFF_PEOPLE[role]
        user = identity.staff_account_create(
            username=username,
            password=DEMO_PASSWORD,
            display_name=staff_person.name,
            department=demo_department(STAFF_DEPARTMENTS[role]),
            role=role,
            phone=staff_person.phone,
            # The catalogue is managed in the admin site (per department, without superuser).
            is_admin_site_user=role in (StaffRole.ADMINISTRATOR, StaffRole.CATALOGUE_MANAGER),
        )
        identity.staff_second_factor_activate(
            user=user, secret=totp_secret_for(username, seed=ctx.seed)
        )
    total = User.objects.count()
    ctx.summary.add("演示账户", total=total, created=total - before)


def print_demo_accounts(stdout: Writer, *, seed: int) -> None:
    """The table `make demo` ends with: who to sign in as, and how."""
    lines = [
        "",
        "演示账户（密码均为 " + DEMO_PASSWORD + "；登录时在“手机号码或邮箱”处填写手机号）：",
        "",
    ]
    for citizen in CITIZENS:
        person = demo_person(citizen.person_name)
        lines.append(f"  {citizen.label:<12} {person.name:<6} 手机 {person.phone}")
    lines.append(
        f"  {'经办人所属企业':<12} {ENTERPRISE.name}（统一社会信用代码 {ENTERPRISE.uscc}）"
    )
    lines.append("")
    lines.append(
        "  工作人员须使用两步验证（TOTP）：把下列密钥加入身份验证器应用，登录时输入6位动态码。"
    )
    for role, username in STAFF_USERNAMES.items():
        person = DEMO_STAFF_PEOPLE[role]
        secret = totp_secret_for(username, seed=seed)
        department = demo_department(STAFF_DEPARTMENTS[role]).name
        lines.append(
            f"  {role.label:<8} {person.name:<4} 手机 {person.phone}"
            f"  TOTP密钥 {secret}  {department}"
        )
    newcomer = demo_person(NEWCOMER_NAME)
    lines += [
        "",
        f"  自行注册体验：用手机号 {newcomer.phone} 注册（验证码见 /platform/sandbox/messages/，"
        f"管理员可看），再以 {newcomer.name} {newcomer.citizen_id} 实名认证。",
        "  管理后台：/admin/（系统管理员账户）。",
    ]
    for line in lines:
        stdout.write(line)
