"""The holder's wallet: sign-in required, only the user's own licences (as a person and for their
enterprises), one licence with its QR code, PDF, history, renewal chain and access log, and the
same 404 for someone else's licence as for a missing one."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from yiwang.licences.services import licence_lookup, licence_renew, licence_status_change
from yiwang.licences.tests.factories import (
    BUSINESS_FACE,
    citizen,
    enterprise,
    make_department,
    make_licence,
    make_licence_type,
    make_staff,
    make_user,
    marriage_face,
)
from yiwang.licences.workflow import HolderKind, LicenceStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def marriage_type():
    return make_licence_type(name="结婚证", code="MARRIAGE_TEST")


@pytest.fixture
def civil_affairs():
    return make_department(name="示范市民政局")


@pytest.fixture
def holder(verified_person, marriage_type, civil_affairs):
    person = verified_person("陈静怡")
    licence = make_licence(
        holder=citizen(person),
        licence_type=marriage_type,
        issuer=civil_affairs,
        face=marriage_face(spouse_name="刘德明"),
    )
    return person, licence


def _section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


# --- Sign-in and empty states ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/licences/wallet/", "/licences/wallet/1/", "/licences/wallet/1/pdf/"]
)
def test_the_wallet_needs_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_an_unverified_user_is_told_to_verify_first(client):
    client.force_login(make_user())
    response = client.get("/licences/wallet/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "完成实名认证后，您名下的电子证照会显示在这里。" in page
    assert 'href="/me/verify/"' in page
    assert "暂无电子证照" not in page


def test_a_verified_user_without_licences_sees_an_empty_wallet(client, verified_person):
    person = verified_person("林小雨")
    client.force_login(person.user)
    page = client.get("/licences/wallet/").content.decode()
    assert '<h2 id="holder-1-heading">本人</h2>' in page
    assert "暂无电子证照。部门为您颁发证照后，会自动显示在这里。" in page
    assert "完成实名认证后" not in page


# --- The list -------------------------------------------------------------------------------------


def test_the_wallet_lists_own_licences_grouped_by_holder(
    client, holder, enterprise_of, verified_person, marriage_type
):
    _, someone_elses = holder
    company = enterprise_of("赵文卓")  # he is its legal representative
    representative = company.legal_representative
    business = make_licence_type(
        name="营业执照", holder_kind=HolderKind.ENTERPRISE, face_fields=BUSINESS_FACE
    )
    company_licence = make_licence(
        holder=enterprise(company),
        licence_type=business,
        face={
            "legal_representative": "赵文卓",
            "registered_capital": "50",
            "entity_type": "有限责任公司",
        },
    )
    own = make_licence(holder=citizen(representative), licence_type=marriage_type)
    stranger = make_licence(holder=citizen(verified_person("路人甲")))
    client.force_login(representative.user)

    page = client.get("/licences/wallet/").content.decode()
    mine = _section(page, "holder-1-heading")
    theirs = _section(page, "holder-2-heading")
    assert mine.startswith('id="holder-1-heading">本人</h2>')
    assert f'href="/licences/wallet/{own.pk}/"' in mine
    assert theirs.startswith(f'id="holder-2-heading">{company.name}</h2>')
    assert f'<a href="/licences/wallet/{company_licence.pk}/">营业执照</a>' in theirs
    assert f"/licences/wallet/{someone_elses.pk}/" not in page
    assert f"/licences/wallet/{stranger.pk}/" not in page
    assert page.count('class="licence-card"') == 2


def test_a_card_shows_name_status_number_validity_and_issuer(client, holder):
    person, licence = holder
    client.force_login(person.user)
    page = client.get("/licences/wallet/").content.decode()
    card = page[page.index('<article class="licence-card"') : page.index("</article>")]
    assert f'<a href="/licences/wallet/{licence.pk}/">结婚证</a>' in card
    assert '<span class="badge badge-ok">有效</span>' in card
    assert f"<dd>{licence.number}</dd>" in card
    assert "<dd>长期有效</dd>" in card
    assert "<dd>示范市民政局</dd>" in card


def test_ended_licences_are_listed_only_on_request(client, holder):
    person, licence = holder
    head = make_staff(licence.issuer, "department_head")
    licence_status_change(
        licence=licence, to_status=LicenceStatus.REVOKED, reason="登记错误", actor=head
    )
    client.force_login(person.user)
    page = client.get("/licences/wallet/").content.decode()
    assert f"/licences/wallet/{licence.pk}/" not in page
    assert 'href="/licences/wallet/?all=1"' in page
    page = client.get("/licences/wallet/?all=1").content.decode()
    assert f'<a href="/licences/wallet/{licence.pk}/">结婚证</a>' in page
    assert '<span class="badge badge-error">已吊销</span>' in page


def test_the_wallet_list_takes_a_fixed_number_of_queries(
    client, verified_person, marriage_type, django_assert_max_num_queries
):
    person = verified_person("王大锤")
    for _ in range(5):
        make_licence(holder=citizen(person), licence_type=make_licence_type())
    client.force_login(person.user)
    # Session, user, staff check, the holders (person, enterprises) twice, the licences.
    with django_assert_max_num_queries(10):
        page = client.get("/licences/wallet/").content.decode()
    assert page.count('class="licence-card"') == 5


# --- One licence ----------------------------------------------------------------------------------


def test_the_licence_page_shows_every_face_field_and_the_masked_code(client, holder):
    person, licence = holder
    client.force_login(person.user)
    response = client.get(f"/licences/wallet/{licence.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "<h1>结婚证</h1>" in page
    for text in [
        "<dt>配偶姓名</dt><dd>刘德明</dd>",
        "<dt>登记日期</dt><dd>2020年5月20日</dd>",
        f"<dt>证照编号</dt><dd>{licence.number}</dd>",
        "<dt>持证主体</dt><dd>陈静怡</dd>",
        f"<dt>持证主体代码</dt><dd>{person.citizen_id[:4]}**********{person.citizen_id[-4:]}</dd>",
        "<dt>有效期</dt><dd>长期有效</dd>",
        "<dt>可信等级</dt><dd>A级：发证机关签发</dd>",
    ]:
        assert text in page, text
    assert person.citizen_id not in page
    assert "<dt>备注</dt>" not in page  # an optional field left empty


def test_the_qr_code_is_behind_a_button_with_the_identifier_and_verify_link(client, holder):
    person, licence = holder
    client.force_login(person.user)
    page = client.get(f"/licences/wallet/{licence.pk}/").content.decode()
    reveal = page[page.index('<details class="qr-reveal">') : page.index("</details>")]
    verify_url = f"http://testserver/licences/verify/{licence.identifier}/"
    assert '<summary class="button">出示二维码</summary>' in reveal
    assert '<svg role="img" viewBox=' in reveal
    assert "<title>电子证照核验二维码</title>" in reveal
    assert f'<p class="code">{licence.identifier}</p>' in reveal
    assert f'<a href="{verify_url}" data-verify-url="{verify_url}">' in reveal
    assert f'href="/licences/wallet/{licence.pk}/pdf/" download' in page


def test_the_access_log_shows_a_department_look_up_with_its_reason(client, holder, civil_affairs):
    person, licence = holder
    police = make_department(name="示范市公安局")
    clerk = make_staff(police, "window_clerk")
    licence_lookup(
        actor=clerk,
        department_id=police.pk,
        holder_code_type=HolderKind.CITIZEN,
        holder_code=person.citizen_id,
        licence_type_codes=["MARRIAGE_TEST"],
        reason="办理户口迁移，核验婚姻状况",
        case_number="BJ2026000123",
    )
    client.force_login(person.user)
    page = client.get(f"/licences/wallet/{licence.pk}/").content.decode()
    log = _section(page, "access-heading")
    assert "<strong>示范市公安局</strong> · 查询（查到）" in log
    assert "<dt>申请事由</dt><dd>办理户口迁移，核验婚姻状况</dd>" in log
    assert '<dt>办件编号</dt><dd class="code">BJ2026000123</dd>' in log
    staff = clerk.get_username()
    assert f"<dt>经办人</dt><dd>{staff[0]}{'*' * (len(staff) - 1)}</dd>" in log
    assert staff not in log
    assert re.search(r'<time datetime="[^"]+">\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}</time>', log)


def test_a_licence_nobody_used_says_so(client, holder):
    person, licence = holder
    client.force_login(person.user)
    page = client.get(f"/licences/wallet/{licence.pk}/").content.decode()
    assert "还没有部门查询或使用过这张证照。" in _section(page, "access-heading")


def test_history_and_renewal_chain(client, holder):
    person, licence = holder
    renewed = licence_renew(licence=licence, actor=None, face={"remarks": "补领"})
    client.force_login(person.user)
    page = client.get(f"/licences/wallet/{renewed.pk}/").content.decode()
    assert "<dt>备注</dt><dd>补领</dd>" in page
    history = _section(page, "history-heading")
    assert "<strong>有效</strong>：颁发" in history
    chain = _section(page, "chain-heading")
    assert "第 2 版" in chain
    assert "（本页）" in chain
    assert f'<a href="/licences/wallet/{licence.pk}/">查看第 1 版</a>' in chain
    assert '<span class="badge badge-error">已换发</span>' in chain

    old = client.get(f"/licences/wallet/{licence.pk}/").content.decode()
    assert '<p class="toast toast-error">此证照已换发，办事时不能作为有效证照使用。</p>' in old
    assert "<strong>已换发</strong>：换发新证" in _section(old, "history-heading")


def test_a_licence_without_renewals_has_no_chain(client, holder):
    person, licence = holder
    client.force_login(person.user)
    page = client.get(f"/licences/wallet/{licence.pk}/").content.decode()
    assert "换发记录" not in page


def test_someone_elses_licence_is_the_friendly_404_and_leaks_nothing(
    client, holder, verified_person
):
    _, licence = holder
    stranger = verified_person("路人丁")
    client.force_login(stranger.user)
    for path in [f"/licences/wallet/{licence.pk}/", f"/licences/wallet/{licence.pk}/pdf/"]:
        response = client.get(path)
        page = response.content.decode()
        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/html")
        for secret in [licence.number, licence.identifier, "陈静怡", "刘德明", "结婚证"]:
            assert secret not in page, secret
    missing = client.get("/licences/wallet/999999/")
    assert missing.status_code == 404


def test_an_unverified_user_cannot_open_any_licence(client, holder):
    _, licence = holder
    client.force_login(make_user())
    assert client.get(f"/licences/wallet/{licence.pk}/").status_code == 404


def test_the_pdf_downloads_as_an_attachment_with_the_licence_in_it(client, holder):
    person, licence = holder
    client.force_login(person.user)
    response = client.get(f"/licences/wallet/{licence.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="licence-{licence.pk}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    flat = text.replace("\n", "")
    assert licence.number in text
    assert licence.identifier in flat
    assert "刘德明" in text
    assert f"http://testserver/licences/verify/{licence.identifier}/" in flat


def test_the_personal_centre_links_to_the_wallet(client, verified_person):
    person = verified_person("黄小明")
    client.force_login(person.user)
    page = client.get("/me/").content.decode()
    assert 'href="/licences/wallet/">我的电子证照</a>' in page


def test_the_licence_page_does_not_query_per_access_entry(
    client, holder, django_assert_max_num_queries
):
    person, licence = holder
    police = make_department(name="示范市公安局")
    clerk = make_staff(police, "window_clerk")
    for n in range(5):
        licence_lookup(
            actor=clerk,
            department_id=police.pk,
            holder_code_type=HolderKind.CITIZEN,
            holder_code=person.citizen_id,
            licence_type_codes=["MARRIAGE_TEST"],
            reason=f"第{n}次核验",
        )
    client.force_login(person.user)
    # Session, user, staff check, the holders (3), the licence, its accesses and its history.
    with django_assert_max_num_queries(9):
        page = client.get(f"/licences/wallet/{licence.pk}/").content.decode()
    assert page.count("<dt>申请事由</dt>") == 5
