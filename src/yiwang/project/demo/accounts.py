"""Demo accounts: one per role, printed by `yiwang demo` (and `make demo`).

Citizens are real-name verified against the sandbox population registry (they are added to it
here, so this step does not depend on the registry loader's random draw); staff accounts get a
TOTP authenticator with a secret derived from the demo seed, printed so that a newcomer can add
it to an authenticator app (or use the printed current code).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from yiwang.identity import services as identity
from yiwang.identity.models import AgentAuthorisation, Enterprise, Person, StaffRole, User
from yiwang.org.models import Department
from yiwang.platform.services import (
    SandboxEnterpriseData,
    SandboxPersonData,
    sandbox_registry_add_enterprises,
    sandbox_registry_add_people,
)
from yiwang.platform.validators import make_citizen_id, make_uscc

DEMO_PASSWORD = "Yiwang2026"
DEMO_REGION = "359902"


@dataclass(frozen=True)
class DemoCitizen:
    username: str
    name: str
    phone: str
    birth: date
    sequence: int

    @property
    def citizen_id(self) -> str:
        return make_citizen_id(DEMO_REGION, self.birth, self.sequence)


@dataclass(frozen=True)
class DemoStaff:
    username: str
    display_name: str
    phone: str
    role: str
    department_names: tuple[str, ...]
    admin_site: bool = False


@dataclass(frozen=True)
class DemoAccount:
    role_label: str
    username: str
    login: str
    name: str
    totp_secret: str = ""
    note: str = ""


CITIZEN = DemoCitizen("citizen", "张明华", "13800000001", date(1988, 3, 14), 31)
REPRESENTATIVE = DemoCitizen("boss", "李建国", "13800000002", date(1975, 8, 2), 17)
AGENT = DemoCitizen("agent", "王芳", "13800000003", date(1992, 11, 23), 42)
# A registry entry with no account yet: the person the browser tests register as.
NEWCOMER = DemoCitizen("", "陈晓雨", "13800000009", date(1999, 6, 1), 58)

ENTERPRISE_NAME = "示范市清溪餐饮管理有限公司"
ENTERPRISE_USCC = make_uscc("9", "1", DEMO_REGION, "MA2C8E1Q")

STAFF: tuple[DemoStaff, ...] = (
    DemoStaff(
        "clerk",
        "刘窗口",
        "13900000001",
        StaffRole.WINDOW_CLERK,
        ("示范市行政审批局", "行政审批", "政务服务"),
    ),
    DemoStaff(
        "reviewer",
        "周审批",
        "13900000002",
        StaffRole.REVIEWER,
        ("示范市市场监督管理局", "市场监督"),
    ),
    DemoStaff(
        "head",
        "吴科长",
        "13900000003",
        StaffRole.DEPARTMENT_HEAD,
        ("示范市市场监督管理局", "市场监督"),
    ),
    DemoStaff("operator", "郑话务", "13900000004", StaffRole.HOTLINE_OPERATOR, ("12345", "热线")),
    DemoStaff("dispatcher", "孙派单", "13900000005", StaffRole.DISPATCHER, ("12345", "热线")),
    DemoStaff(
        "handler",
        "钱承办",
        "13900000006",
        StaffRole.DEPARTMENT_HANDLER,
        ("示范市城市管理局", "城市管理"),
    ),
    DemoStaff(
        "supervisor", "冯监察", "13900000007", StaffRole.SUPERVISOR, ("效能", "监察", "纪委")
    ),
    DemoStaff("leader", "陈市长", "13900000008", StaffRole.LEADER, ("示范市人民政府", "人民政府")),
    DemoStaff(
        "admin",
        "蒋管理",
        "13900000009",
        StaffRole.ADMINISTRATOR,
        ("示范市数据管理局", "数据管理", "大数据"),
        admin_site=True,
    ),
)


def totp_secret_for(username: str, *, seed: int) -> str:
    """A stable base32 TOTP secret per demo account: the same seed prints the same secrets."""
    digest = hmac.new(str(seed).encode(), f"totp:{username}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode("ascii")


def _department(candidates: tuple[str, ...]) -> Department:
    for candidate in candidates:
        found = Department.objects.filter(name=candidate).first()
        found = (
            found or Department.objects.filter(name__contains=candidate).order_by("level").first()
        )
        if found is not None:
            return found
    fallback = Department.objects.order_by("level", "pk").first()
    if fallback is None:
        raise RuntimeError("load the demo departments before the demo accounts")
    return fallback


def _verified_citizen(citizen: DemoCitizen) -> Person:
    user = identity.citizen_account_create(
        username=citizen.username, password=DEMO_PASSWORD, phone=citizen.phone
    )
    existing = Person.objects.filter(user=user).first()
    if existing is not None:
        return existing
    return identity.person_verify_identity(
        user=user, name=citizen.name, citizen_id=citizen.citizen_id
    )


def _enterprise(representative: Person) -> Enterprise:
    existing = Enterprise.objects.filter(uscc=ENTERPRISE_USCC).first()
    if existing is not None:
        return existing
    return identity.enterprise_register(
        user=representative.user,
        name=ENTERPRISE_NAME,
        uscc=ENTERPRISE_USCC,
        registered_address="示范市东城区河滨路88号",
    )


def _authorise_agent(enterprise: Enterprise, agent: Person) -> None:
    today = timezone.localdate()
    if AgentAuthorisation.objects.filter(
        enterprise=enterprise, agent=agent, revoked_at__isnull=True, valid_to__gte=today
    ).exists():
        return
    identity.agent_authorise(
        enterprise=enterprise,
        by_user=enterprise.legal_representative.user,
        agent_name=agent.name,
        agent_citizen_id=agent.citizen_id,
        valid_from=today,
        valid_to=today + timedelta(days=365),
        scope_note="",
    )


def load_demo_accounts(*, seed: int) -> list[DemoAccount]:
    """Create (idempotently) one account per role; returns what to print."""
    citizens = (CITIZEN, REPRESENTATIVE, AGENT, NEWCOMER)
    sandbox_registry_add_people(
        [SandboxPersonData(name=c.name, citizen_id=c.citizen_id) for c in citizens]
    )
    sandbox_registry_add_enterprises(
        [
            SandboxEnterpriseData(
                name=ENTERPRISE_NAME,
                uscc=ENTERPRISE_USCC,
                legal_representative_name=REPRESENTATIVE.name,
                legal_representative_citizen_id=REPRESENTATIVE.citizen_id,
                registered_on=date(2019, 4, 8),
                address="示范市东城区河滨路88号",
            )
        ]
    )
    citizen = _verified_citizen(CITIZEN)
    representative = _verified_citizen(REPRESENTATIVE)
    agent = _verified_citizen(AGENT)
    enterprise = _enterprise(representative)
    _authorise_agent(enterprise, agent)

    accounts = [
        DemoAccount("市民（已实名）", citizen.user.username, CITIZEN.phone, CITIZEN.name),
        DemoAccount(
            "企业法定代表人",
            representative.user.username,
            REPRESENTATIVE.phone,
            REPRESENTATIVE.name,
            note=ENTERPRISE_NAME,
        ),
        DemoAccount(
            "企业经办人", agent.user.username, AGENT.phone, AGENT.name, note="已获授权一年"
        ),
    ]
    for staff in STAFF:
        department = _department(staff.department_names)
        user: User = identity.staff_account_create(
            username=staff.username,
            password=DEMO_PASSWORD,
            display_name=staff.display_name,
            department=department,
            role=staff.role,
            phone=staff.phone,
            is_admin_site_user=staff.admin_site,
        )
        secret = totp_secret_for(staff.username, seed=seed)
        identity.staff_second_factor_activate(user=user, secret=secret)
        accounts.append(
            DemoAccount(
                StaffRole(staff.role).label,
                user.username,
                staff.phone,
                staff.display_name,
                totp_secret=secret,
                note=department.name,
            )
        )
    return accounts


def newcomer_for_tests() -> DemoCitizen:
    """The registry person without an account, for the register-and-verify journey."""
    return NEWCOMER
