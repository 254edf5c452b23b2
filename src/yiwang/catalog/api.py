"""Public catalogue API (no sign-in): items, guides, versions, materials, bundles, themes, search.

Lists are paginated (`page`, `page_size` ≤ 50). Only published guides are visible.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from yiwang.catalog.models import (
    Bundle,
    MaterialRequirement,
    ServiceItemVersion,
    Theme,
)
from yiwang.catalog.search import search_catalogue, suggest
from yiwang.catalog.selectors import public

router = Router(tags=["事项清单与办事指南"])


class ItemFilterIn(Schema):
    department: int | None = None
    theme: str = ""
    level: str = ""
    depth: int | None = None
    visits: str = ""
    audience: str = ""
    page: int = 1
    page_size: int = 20


class ItemRowOut(Schema):
    item_id: int
    version_id: int
    name: str
    department_name: str
    exercise_level: str
    online_depth: int
    visit_count: int
    visit_tag: str
    case_type: str
    promised_limit_value: int
    promised_limit_unit: str
    charged: bool


class ItemPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[ItemRowOut]


class MaterialOut(Schema):
    id: int
    name: str
    original_or_copy: str
    form: str
    originals: int
    copies: int
    necessity: str
    source: str
    issuing_body: str
    situations: str
    accepted_licence_types: list[str]
    data_share_source: str
    blank_form_url: str | None
    sample_url: str | None


class FeeOut(Schema):
    name: str
    standard: str
    amount_yuan: Decimal | None
    basis: str
    waivable: bool


class StepOut(Schema):
    order: int
    name: str
    description: str


class SpecialStepOut(Schema):
    name: str
    limit_value: int
    limit_unit: str
    counts_in_limit: bool


class FaqOut(Schema):
    question: str
    answer: str


class ThemeOut(Schema):
    code: str
    name: str
    audience: str
    kind: str


class GuideOut(Schema):
    item_id: int
    implementation_code: str
    version: int
    published_at: datetime | None
    name: str
    item_type: str
    department_id: int
    department_name: str
    exercise_level: str
    case_type: str
    statutory_limit_value: int | None
    statutory_limit_unit: str
    promised_limit_value: int
    promised_limit_unit: str
    online_depth: int
    visit_count: int
    onsite_reason: str
    charged: bool
    fee_basis: str
    conditions: str
    legal_basis: str
    handling_forms: list[str]
    service_objects: list[str]
    anywhere_scope: str
    courier_supported: bool
    appointment_supported: bool
    online_payment_supported: bool
    result_type: str
    result_name: str
    address: str
    office_hours: str
    consultation_phone: str
    complaint_phone: str
    materials: list[MaterialOut]
    fees: list[FeeOut]
    procedure: list[StepOut]
    special_steps: list[SpecialStepOut]
    faqs: list[FaqOut]
    themes: list[ThemeOut]


class VersionOut(Schema):
    number: int
    status: str
    name: str
    published_at: datetime | None
    valid_to: datetime | None


class BundleMemberOut(Schema):
    item_id: int
    name: str
    department_name: str
    parallel_group: int
    optional: bool
    condition: str


class BundleOut(Schema):
    id: int
    code: str
    name: str
    audience: str
    lead_department_name: str
    promised_total_working_days: int


class BundleDetailOut(BundleOut):
    description: str
    supporting_department_names: list[str]
    members: list[BundleMemberOut]


class SearchHitOut(Schema):
    kind: str
    object_id: int
    name: str
    department_name: str
    snippet: str


class SearchOut(Schema):
    query: str
    count: int
    expanded_terms: list[str]
    hits: list[SearchHitOut]


def _material_out(material: MaterialRequirement) -> MaterialOut:
    return MaterialOut(
        id=material.pk,
        name=material.name,
        original_or_copy=material.original_or_copy,
        form=material.form,
        originals=material.originals,
        copies=material.copies,
        necessity=material.necessity,
        source=material.source,
        issuing_body=material.issuing_body,
        situations=material.situations,
        accepted_licence_types=list(material.accepted_licence_types),
        data_share_source=material.data_share_source,
        blank_form_url=(
            f"/services/materials/{material.pk}/form/" if material.blank_form else None
        ),
        sample_url=f"/services/materials/{material.pk}/sample/" if material.sample else None,
    )


def _theme_out(theme: Theme) -> ThemeOut:
    return ThemeOut(code=theme.code, name=theme.name, audience=theme.audience, kind=theme.kind)


def _guide_out(version: ServiceItemVersion) -> GuideOut:
    item = version.item
    return GuideOut(
        item_id=item.pk,
        implementation_code=item.implementation_code,
        version=version.number,
        published_at=version.published_at,
        name=version.name,
        item_type=version.item_type,
        department_id=item.department_id,
        department_name=item.department.name,
        exercise_level=item.exercise_level,
        case_type=version.case_type,
        statutory_limit_value=version.statutory_limit_value,
        statutory_limit_unit=version.statutory_limit_unit,
        promised_limit_value=version.promised_limit_value,
        promised_limit_unit=version.promised_limit_unit,
        online_depth=version.online_depth,
        visit_count=version.visit_count,
        onsite_reason=version.onsite_reason,
        charged=version.charged,
        fee_basis=version.fee_basis,
        conditions=version.conditions,
        legal_basis=version.legal_basis,
        handling_forms=[str(code) for code in version.handling_forms],
        service_objects=[str(code) for code in version.service_objects],
        anywhere_scope=version.anywhere_scope,
        courier_supported=version.courier_supported,
        appointment_supported=version.appointment_supported,
        online_payment_supported=version.online_payment_supported,
        result_type=version.result_type,
        result_name=version.result_name,
        address=version.address,
        office_hours=version.office_hours,
        consultation_phone=version.consultation_phone,
        complaint_phone=version.complaint_phone,
        materials=[_material_out(m) for m in version.materials.all()],
        fees=[
            FeeOut(
                name=f.name,
                standard=f.standard,
                amount_yuan=f.amount_yuan,
                basis=f.basis,
                waivable=f.waivable,
            )
            for f in version.fees.all()
        ],
        procedure=[
            StepOut(order=s.order, name=s.name, description=s.description)
            for s in version.procedure_steps.all()
        ],
        special_steps=[
            SpecialStepOut(
                name=s.name,
                limit_value=s.limit_value,
                limit_unit=s.limit_unit,
                counts_in_limit=s.counts_in_limit,
            )
            for s in version.special_steps.all()
        ],
        faqs=[FaqOut(question=f.question, answer=f.answer) for f in version.faqs.all()],
        themes=[_theme_out(t) for t in version.themes.all()],
    )


def _bundle_out(bundle: Bundle) -> BundleOut:
    return BundleOut(
        id=bundle.pk,
        code=bundle.code,
        name=bundle.name,
        audience=bundle.audience,
        lead_department_name=bundle.lead_department.name,
        promised_total_working_days=bundle.promised_total_working_days,
    )


@router.get("/items", response=ItemPageOut, summary="事项清单（可筛选、分页）")
def items(request: HttpRequest, filters: Query[ItemFilterIn]) -> ItemPageOut:
    page = public.items_browse(
        filters=public.ItemFilters(
            department_id=filters.department,
            theme_code=filters.theme,
            exercise_level=filters.level,
            min_depth=filters.depth,
            visit_tag=filters.visits,
            audience=filters.audience,
        ),
        page=filters.page,
        page_size=filters.page_size,
    )
    return ItemPageOut(
        count=page.total,
        page=page.page,
        page_size=page.page_size,
        items=[ItemRowOut(**{**row.__dict__, "visit_tag": row.visit_tag}) for row in page.rows],
    )


@router.get("/items/{item_id}", response=GuideOut, summary="办事指南（现行版本）")
def guide(request: HttpRequest, item_id: int) -> GuideOut:
    return _guide_out(public.guide_for_public(item_id))


@router.get("/items/{item_id}/versions", response=list[VersionOut], summary="历史版本")
def versions(request: HttpRequest, item_id: int) -> list[VersionOut]:
    return [
        VersionOut(
            number=v.number,
            status=v.status,
            name=v.name,
            published_at=v.published_at,
            valid_to=v.valid_to,
        )
        for v in public.public_history(item_id)
    ]


@router.get("/items/{item_id}/materials", response=list[MaterialOut], summary="申请材料")
def materials(request: HttpRequest, item_id: int) -> list[MaterialOut]:
    return [_material_out(m) for m in public.guide_for_public(item_id).materials.all()]


@router.get("/themes", response=list[ThemeOut], summary="服务主题与人生事件")
def themes(request: HttpRequest, audience: str = "person", kind: str = "theme") -> list[ThemeOut]:
    return [_theme_out(t) for t in public.themes_of(audience=audience, kind=kind)]


@router.get("/bundles", response=list[BundleOut], summary="一件事")
def bundles(request: HttpRequest) -> list[BundleOut]:
    return [_bundle_out(b) for b in public.bundles_public()]


@router.get("/bundles/{bundle_id}", response=BundleDetailOut, summary="一件事详情")
def bundle(request: HttpRequest, bundle_id: int) -> BundleDetailOut:
    current = public.bundle_for_public(bundle_id)
    return BundleDetailOut(
        **_bundle_out(current).model_dump(),
        description=current.description,
        supporting_department_names=[d.name for d in current.supporting_departments.all()],
        members=[
            BundleMemberOut(
                item_id=m.item_id,
                name=m.item.live_version.name if m.item.live_version else "",
                department_name=m.item.department.name,
                parallel_group=m.parallel_group,
                optional=m.optional,
                condition=m.condition,
            )
            for m in current.members.all()
        ],
    )


@router.get("/search", response=SearchOut, summary="搜索事项（口语、拼音、首字母均可）")
def search(request: HttpRequest, q: str, page: int = 1, page_size: int = 10) -> SearchOut:
    public.checked_page(page, page_size)
    result = search_catalogue(query=q[:100], page=page, page_size=page_size)
    return SearchOut(
        query=result.query,
        count=result.total,
        expanded_terms=list(result.expanded_terms),
        hits=[
            SearchHitOut(
                kind=h.kind,
                object_id=h.object_id,
                name=h.name,
                department_name=h.department_name,
                snippet=h.snippet,
            )
            for h in result.hits
        ],
    )


@router.get("/suggest", response=list[str], summary="输入提示")
def suggestions(request: HttpRequest, q: str) -> list[str]:
    return suggest(prefix=q[:50], limit=8)
