"""The public verify page: no sign-in, a clear verdict for every outcome, the holder masked,
never an error page for a bad identifier, and not for search engines."""

from __future__ import annotations

import pytest

from yiwang.licences.models import Licence
from yiwang.licences.services import licence_renew, licence_status_change
from yiwang.licences.tests.factories import (
    citizen,
    make_department,
    make_licence,
    make_licence_type,
    make_staff,
    marriage_face,
)
from yiwang.licences.workflow import LicenceStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def licence(verified_person):
    person = verified_person("欧阳修文")
    return make_licence(
        holder=citizen(person),
        licence_type=make_licence_type(name="结婚证"),
        issuer=make_department(name="示范市民政局"),
        face=marriage_face(),
    )


def _page(client, identifier: str):
    response = client.get(f"/licences/verify/{identifier}/")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    page = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in page
    return page


def _verdict(page: str) -> str:
    start = page.index('<section class="verdict')
    return page[start : page.index("</section>", start)]


def test_a_valid_licence_is_genuine_and_valid_with_the_holder_masked(client, licence):
    page = _page(client, licence.identifier)
    verdict = _verdict(page)
    assert 'class="verdict verdict-ok"' in verdict
    assert '<span class="verdict-icon" aria-hidden="true">✓</span>' in verdict
    assert '<h2 id="verdict-heading">真实有效</h2>' in verdict
    assert "<p>证照真实有效。</p>" in verdict
    for text in [
        "<dd>结婚证</dd>",
        f"<dd>{licence.number}</dd>",
        "<dd>欧***</dd>",
        f"<dd>{licence.holder_code[:4]}**********{licence.holder_code[-4:]}</dd>",
        "<dd>示范市民政局</dd>",
        "<dd>长期有效</dd>",
        "<dd>有效</dd>",
        "<dd>A级：发证机关签发</dd>",
        f'<dd class="code">{licence.identifier}</dd>',
    ]:
        assert text in page, text
    assert "欧阳修文" not in page
    assert licence.holder_code not in page
    # Face data is not public.
    assert "配偶" not in page
    assert "李秀英" not in page
    assert 'name="identifier" value=""' in page  # the form below is for another licence


def test_the_identifier_is_read_case_insensitively(client, licence):
    page = _page(client, licence.identifier.lower())
    assert '<h2 id="verdict-heading">真实有效</h2>' in page


def test_a_revoked_licence_is_red_and_says_it_cannot_be_used(client, licence):
    head = make_staff(licence.issuer, "department_head")
    licence_status_change(
        licence=licence, to_status=LicenceStatus.REVOKED, reason="以欺骗手段取得", actor=head
    )
    verdict = _verdict(_page(client, licence.identifier))
    assert 'class="verdict verdict-error"' in verdict
    assert '<span class="verdict-icon" aria-hidden="true">✕</span>' in verdict
    assert '<h2 id="verdict-heading">已吊销</h2>' in verdict
    assert "<p>证照已被发证机关吊销或撤销，不能使用。</p>" in verdict


def test_a_suspended_licence_is_amber(client, licence):
    head = make_staff(licence.issuer, "department_head")
    licence_status_change(
        licence=licence, to_status=LicenceStatus.SUSPENDED, reason="核查中", actor=head
    )
    verdict = _verdict(_page(client, licence.identifier))
    assert 'class="verdict verdict-warn"' in verdict
    assert '<span class="verdict-icon" aria-hidden="true">!</span>' in verdict
    assert '<h2 id="verdict-heading">暂停使用</h2>' in verdict
    assert "<p>证照真实，但已暂停使用。</p>" in verdict


def test_a_superseded_version_points_to_the_renewal(client, licence):
    licence_renew(licence=licence, actor=None, face={"remarks": "换证"})
    verdict = _verdict(_page(client, licence.identifier))
    assert 'class="verdict verdict-error"' in verdict
    assert '<h2 id="verdict-heading">已换发，此版本不再使用</h2>' in verdict
    assert "<p>证照已换发新证，此版本不再使用。</p>" in verdict


def test_a_licence_changed_in_the_database_may_be_tampered(client, licence):
    Licence.objects.filter(pk=licence.pk).update(face=marriage_face(spouse_name="张冒名"))
    verdict = _verdict(_page(client, licence.identifier))
    assert 'class="verdict verdict-error"' in verdict
    assert '<h2 id="verdict-heading">可能被篡改</h2>' in verdict
    assert "<p>证照内容与发证机关的电子签名不符，可能被篡改，请勿使用。</p>" in verdict


def test_a_malformed_identifier_is_explained_on_the_page(client, licence):
    wrong_check = licence.identifier[:-1] + ("0" if licence.identifier[-1] != "0" else "1")
    page = _page(client, wrong_check)
    verdict = _verdict(page)
    assert '<h2 id="verdict-heading">标识格式不正确</h2>' in verdict
    assert "<p>校验位不符，标识可能抄错或被改动</p>" in verdict
    assert f'value="{wrong_check}"' in page  # there to be corrected
    assert "证照信息" not in page

    page = _page(client, "HELLO")
    assert '<h2 id="verdict-heading">标识格式不正确</h2>' in page
    assert "这不是电子证照标识（应以 1.2.156.3005.2 开头）" in page


def test_an_unknown_identifier_is_not_found(client, licence):
    # A well-formed identifier with a check character that fits, for a serial never issued.
    from yiwang.licences.identifier import LicenceIdentifier, parse_identifier

    parsed = parse_identifier(licence.identifier)
    unknown = str(
        LicenceIdentifier(parsed.type_code, parsed.issuer_code, "9999999999", parsed.version)
    )
    verdict = _verdict(_page(client, unknown))
    assert 'class="verdict verdict-error"' in verdict
    assert '<h2 id="verdict-heading">未找到该证照</h2>' in verdict
    assert "<p>证照库中没有这个标识的证照。</p>" in verdict


def test_the_form_is_public_with_a_labelled_field(client):
    response = client.get("/licences/verify/")
    page = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<label for="identifier">证照标识</label>' in page
    assert 'aria-describedby="identifier-hint"' in page
    assert "verdict" not in page


def test_the_form_sends_a_typed_identifier_to_its_result_page(client, licence):
    typed = " " + licence.identifier.lower().replace(".", ". ", 2) + " "
    response = client.get("/licences/verify/", {"identifier": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/licences/verify/{licence.identifier}/"


def test_the_form_answers_in_place_what_cannot_be_a_path(client):
    response = client.get("/licences/verify/", {"identifier": "1.2.156/../x?"})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="verdict-heading">标识格式不正确</h2>' in page
    assert 'value="1.2.156/../x?"' in page


def test_an_empty_form_asks_for_an_identifier(client):
    response = client.get("/licences/verify/", {"identifier": "  "})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<p class="error-message" id="identifier-error">请输入证照标识。</p>' in page
    assert 'aria-describedby="identifier-hint identifier-error"' in page


def test_the_result_page_takes_a_bounded_number_of_queries(
    client, licence, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):  # the licence with its type and key
        client.get(f"/licences/verify/{licence.identifier}/")
