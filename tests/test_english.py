"""The interface in English: Chinese by default, English on request, and a complete catalogue.

English comes from `src/yiwang/locale/en/LC_MESSAGES/django.po` (regenerate it with
`make messages`); the compiled `django.mo` beside it is committed, so no gettext is needed here.
A visitor gets English from an `Accept-Language: en` header or from the language form in the
footer (`/i18n/setlang/`), and Chinese otherwise.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(__file__).resolve().parents[1] / "src" / "yiwang" / "locale"
CATALOGUE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")


def _year() -> int:
    return timezone.localdate().year


# The catalogue search box (catalog/_search_box.html), on the home page and the catalogue's.
SEARCH_BOX_EN = (
    ">Search for a service</label>",
    'placeholder="What do you need to do?"',
    ">Search</button>",
)

# path -> (English h1, Chinese h1, other English strings on the page); the catalogue pages
# render with no data (their empty states).
PAGES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "/": (
        "Government Services Online",
        "政务服务网",
        (
            "One account for every service in the city",
            "Services in person",
            "Call 12345",
            *SEARCH_BOX_EN,
        ),
    ),
    "/services/": (
        "Services",
        "办事服务",
        (
            *SEARCH_BOX_EN,
            "For individuals: life events",
            "By theme",
            "By department",
            "Only services with no visit needed",
            "None yet",
        ),
    ),
    "/services/items/": (
        "List of services",
        "事项清单",
        (
            ">Department</label>",
            "All departments",
            ">Online level at least</label>",
            ">No visit needed</option>",
            ">At most one visit</option>",
            ">Filter</button>",
            "0 services",
            "No services match these filters. Try removing some of them, or search instead.",
        ),
    ),
    "/services/bundles/": (
        "Bundled services",
        "一件事一次办",
        ("There are no bundled services yet.",),
    ),
    "/accounts/login/": (
        "Sign in",
        "登录",
        ("Mobile number or email address", "Register with your mobile number"),
    ),
    "/accounts/signup/": (
        "Create an account",
        "注册账户",
        ("Already have an account? ", "Register and get a verification code"),
    ),
    "/org/halls/": (
        "Government service centres",
        "政务服务大厅",
        ("single-window intake",),
    ),
    "/calendar/": (
        "Public holidays and make-up working days in {year}",
        "{year}年放假与调休安排",
        ("Public holidays", "Make-up working days", "See the arrangements for your region"),
    ),
}
# Every page carries the header and footer of base.html.
CHROME_EN = ("Skip to main content", "Government service hotline", ">Language</label>", ">Change<")


def _h1(html: str) -> str:
    found: list[str] = re.findall(r"<h1[^>]*>(.*?)</h1>", html, flags=re.S)
    assert len(found) == 1, found
    return found[0].strip()


def _html_lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match, html[:200]
    return match.group(1)


def _get(client: Client, path: str, accept_language: str | None = None) -> str:
    headers = {"Accept-Language": accept_language} if accept_language else {}
    response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def _assert_english(path: str, html: str) -> None:
    h1, _, others = PAGES[path]
    assert _html_lang(html) == "en"
    assert _h1(html).endswith(h1.format(year=_year())), path
    for text in (*others, *CHROME_EN):
        assert text in html, (path, text)


def test_the_catalogue_is_where_django_looks_for_it() -> None:
    paths = {Path(p).resolve() for p in settings.LOCALE_PATHS}
    assert LOCALE_DIR.resolve() in paths, (
        f"LOCALE_PATHS {sorted(map(str, paths))} must include {LOCALE_DIR}"
    )


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("accept_language", ["en", "en-GB,en;q=0.9,zh-CN;q=0.5"])
def test_pages_are_english_when_the_browser_asks_for_it(
    client: Client, path: str, accept_language: str
) -> None:
    html = _get(client, path, accept_language)
    _assert_english(path, html)


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_chinese_by_default(client: Client, path: str) -> None:
    _, h1, others = PAGES[path]
    html = _get(client, path)
    assert _html_lang(html) == "zh-CN"
    assert _h1(html).endswith(h1.format(year=_year()))
    assert "跳到主要内容" in html
    assert not any(text in html for text in others)


def test_the_footer_language_form_switches_to_english_and_back(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/org/halls/"})
    assert response.status_code == 302
    assert response["Location"] == "/org/halls/"
    for path in PAGES:
        _assert_english(path, _get(client, path))

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    html = _get(client, "/org/halls/")
    assert _html_lang(html) == "zh-CN"
    assert _h1(html) == "政务服务大厅"


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgstrs: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def _catalogue() -> list[Entry]:
    """The entries of django.po (the header left out), parsed as far as these tests need."""
    entries: list[Entry] = []
    entry, key = Entry(), ""
    for number, raw in enumerate(CATALOGUE.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            entries.append(entry)
            entry, key = Entry(), ""
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        else:
            keyword, _, rest = line.partition(" ") if not line.startswith('"') else ("", "", line)
            if keyword:
                key = keyword
                entry.line = entry.line or number
                if key.startswith("msgstr"):
                    entry.msgstrs.append("")
            value = ast.literal_eval(rest)
            if key == "msgid":
                entry.msgid += value
            elif key == "msgid_plural":
                entry.msgid_plural += value
            else:
                entry.msgstrs[-1] += value
    entries.append(entry)
    return [e for e in entries if e.msgid]


def test_every_string_is_translated_and_none_is_fuzzy() -> None:
    entries = _catalogue()
    assert len(entries) > 200
    untranslated = [(e.line, e.msgid) for e in entries if not all(s.strip() for s in e.msgstrs)]
    fuzzy = [(e.line, e.msgid) for e in entries if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []
    assert "#, fuzzy" not in CATALOGUE.read_text(encoding="utf-8")
    assert all(len(e.msgstrs) == (2 if e.msgid_plural else 1) for e in entries)


def test_translations_keep_their_placeholders() -> None:
    placeholder = re.compile(r"%\(\w+\)s")
    for e in _catalogue():
        wanted = sorted(placeholder.findall(e.msgid))
        for msgstr in e.msgstrs:
            assert sorted(placeholder.findall(msgstr)) == wanted, (e.line, e.msgid, msgstr)


def test_the_committed_mo_file_matches_the_catalogue() -> None:
    with COMPILED.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for e in _catalogue():
        if e.msgid_plural:
            assert compiled.ngettext(e.msgid, e.msgid_plural, 1) == e.msgstrs[0], e.line
            assert compiled.ngettext(e.msgid, e.msgid_plural, 2) == e.msgstrs[1], e.line
        else:
            assert compiled.gettext(e.msgid) == e.msgstrs[0], (e.line, "run `make messages`")
