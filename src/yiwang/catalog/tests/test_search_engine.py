"""What a citizen gets from the search box: ranking, pages, filters, suggestions, and no error
whatever is typed."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yiwang.catalog.models import SearchEntry, ServiceItemVersion, Synonym, VersionStatus
from yiwang.catalog.search import SearchState, search_catalogue, search_index_item, suggest
from yiwang.catalog.search.engine import one_edit_apart
from yiwang.catalog.search.text import compact, grams, normalise, romanise, words
from yiwang.catalog.tests.search_catalogue import Catalogue, build_catalogue

GARBAGE = [
    "",
    "   ",
    "　\t\n",
    "！？。，、；：“”‘’（）《》【】",
    '"',
    "'",
    "*",
    '"身份证',
    "身份证*",
    "AND",
    "OR",
    "NOT",
    "NEAR(",
    "NEAR(身份证 结婚, 2)",
    "name_tokens : 身份证",
    "{name_tokens body_tokens}: 结婚",
    "^身份证",
    "身份证 AND OR NOT",
    "'; DROP TABLE catalog_searchentry; --",
    "' OR 1=1 --",
    "\\",
    "a:*",
    "!(a & b)",
    "<script>alert(1)</script>",
    "\x00\x01\x02",
    "😀😀😀",
    "x" * 500,
    "身份证" * 200,
    "办" * 500,
]


@pytest.fixture
def catalogue(db) -> Catalogue:
    return build_catalogue()


def names(query: str, **kwargs: object) -> list[str]:
    return [h.name for h in search_catalogue(query=query, **kwargs).hits]  # type: ignore[arg-type]


# --- text analysis (no database) -----------------------------------------------------------


def test_normalising_folds_width_case_and_punctuation():
    assert normalise("ＳＦＺ　《身份证》换领！！") == "sfz 身份证 换领"
    assert compact(" 居民 身份证（首次申领） ") == "居民身份证首次申领"


def test_search_words_keep_long_words_and_their_parts_without_stop_words():
    found = words("我想办居民身份证")
    assert {"居民", "身份证", "居民身份证"} <= set(found)
    assert "我" not in found
    assert "想" not in found


def test_pinyin_keeps_latin_and_digits_whole():
    romanised = romanise("etc办理12号")
    assert romanised.units == ("etc", "ban", "li", "12", "hao")
    assert romanised.initials == "etcbl12h"


def test_grams_include_skip_pairs_that_survive_a_wrong_middle_character():
    assert set(grams("身分证")) & set(grams("身份证")) == {"x身证"}


@pytest.mark.parametrize(
    ("query", "name", "expected"),
    [
        ("身分证", "居民身份证换领", True),
        ("居民身份正换领", "居民身份证换领", True),
        ("居民身证换领", "居民身份证换领", True),  # one missing
        ("居民身份份证", "居民身份证换领", True),  # one extra
        ("身分正", "居民身份证换领", False),  # two wrong
        ("证件", "居民身份证换领", False),
    ],
)
def test_one_edit_apart(query, name, expected):
    assert one_edit_apart(query, name) is expected


# --- ranking -------------------------------------------------------------------------------


def test_an_exact_name_comes_first(catalogue):
    assert names("结婚登记")[0] == "结婚登记"


def test_a_name_match_outranks_a_mention_in_materials(catalogue):
    found = names("营业执照", page_size=50)
    assert found.index("营业执照遗失补领") < found.index("企业变更登记")


def test_equal_matches_are_ordered_by_popularity(catalogue):
    assert names("shenfenzheng")[:2] == ["居民身份证换领", "居民身份证补领"]


def test_colloquial_words_expand_through_synonyms(catalogue):
    page = search_catalogue(query="开饭店")
    assert "食品经营许可" in page.expanded_terms
    assert {"食品经营许可证核发", "企业开办一件事"} <= {h.name for h in page.hits}
    bundle = next(h for h in page.hits if h.name == "企业开办一件事")
    assert bundle.kind == "bundle"
    assert bundle.object_id == catalogue.bundles["企业开办一件事"].pk


def test_a_latin_query_can_spell_a_synonym(catalogue):
    Synonym.objects.create(term="医保卡", expansion="社会保障卡")
    for query in ("ybk", "yibaoka"):
        page = search_catalogue(query=query)
        assert "医保卡" in page.expanded_terms
        assert page.hits[0].name == "社会保障卡申领"


def test_latin_words_typed_apart_match_words_of_the_name(catalogue):
    assert names("shenfenzheng buling")[0] == "居民身份证补领"


def test_a_typo_is_forgiven_and_said_so(catalogue):
    page = search_catalogue(query="身分证")
    assert page.hits[0].name == "居民身份证换领"
    assert page.fuzzy is True
    assert search_catalogue(query="身份证").fuzzy is False


def test_hits_carry_department_and_a_snippet_of_why_they_matched(catalogue):
    hit = search_catalogue(query="良民证").hits[0]
    assert hit.department_name == "示范市公安局"
    assert hit.snippet == "俗称：良民证"
    hit = next(h for h in search_catalogue(query="挂失证明").hits if h.name == "居民身份证补领")
    assert hit.snippet == "挂失证明"


def test_audience_filters_persons_and_enterprises(catalogue):
    assert "企业设立登记" not in names("登记", audience="person", page_size=50)
    assert "结婚登记" not in names("登记", audience="enterprise", page_size=50)
    assert "结婚登记" in names("登记", audience="nobody", page_size=50)


# --- pages ---------------------------------------------------------------------------------


def test_pages_do_not_overlap_and_the_total_counts_them_all(catalogue):
    first = search_catalogue(query="许可", page=1, page_size=10)
    second = search_catalogue(query="许可", page=2, page_size=10)
    assert first.total == second.total > 20
    assert len(first.hits) == len(second.hits) == 10
    assert not {h.object_id for h in first.hits} & {h.object_id for h in second.hits}


def test_page_size_is_kept_within_1_to_50(catalogue):
    assert search_catalogue(query="许可", page_size=500).page_size == 50
    assert len(search_catalogue(query="许可", page_size=500).hits) == 50
    assert search_catalogue(query="许可", page_size=0).page_size == 1
    assert search_catalogue(query="许可", page=-3).page == 1
    assert search_catalogue(query="许可", page=999).hits == []


def test_a_search_runs_a_bounded_number_of_queries(catalogue, django_assert_max_num_queries):
    search_catalogue(query="身分证")  # warm up: jieba and the synonyms are learned once
    with django_assert_max_num_queries(10):
        search_catalogue(query="身分证")
    with django_assert_max_num_queries(10):
        search_catalogue(query="sfz")


# --- junk ----------------------------------------------------------------------------------


def test_junk_never_raises_and_says_why_nothing_was_found(catalogue):
    for query in GARBAGE:
        page = search_catalogue(query=query)
        assert page.state in {SearchState.EMPTY_QUERY, SearchState.NO_RESULTS, SearchState.OK}
        if not normalise(query):
            assert page.state == SearchState.EMPTY_QUERY, query
            assert page.hits == []
        assert isinstance(suggest(prefix=query), list)
    assert search_catalogue(query="NEAR(身份证 结婚, 2)").state == SearchState.OK


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=st.text(max_size=80))
def test_any_text_gives_a_page(query):
    page = search_catalogue(query=query, page_size=5)
    assert page.total >= len(page.hits)
    assert isinstance(suggest(prefix=query), list)


# --- suggestions ---------------------------------------------------------------------------


def test_suggestions_start_with_what_was_typed_most_popular_first(catalogue):
    assert suggest(prefix="居民身份证")[:2] == ["居民身份证换领", "居民身份证补领"]
    assert suggest(prefix="结婚")[0] == "结婚登记"


def test_suggestions_also_contain_the_typed_text(catalogue):
    assert "居民身份证换领" in suggest(prefix="身份证")


def test_suggestions_understand_initials_and_pinyin(catalogue):
    assert suggest(prefix="sfz")[0] == "居民身份证换领"
    assert suggest(prefix="jiehun")[0] == "结婚登记"
    assert suggest(prefix="gjj", limit=3) == [
        "住房公积金提取",
        "住房公积金个人住房贷款",
        "住房公积金缴存登记",
    ]


def test_suggestions_follow_the_index(catalogue):
    assert "养犬登记" in suggest(prefix="养犬")
    item = catalogue.items["养犬登记"]
    ServiceItemVersion.objects.filter(item=item).update(status=VersionStatus.RETIRED)
    search_index_item(item.pk)
    assert not SearchEntry.objects.filter(name="养犬登记").exists()
    assert "养犬登记" not in suggest(prefix="养犬")


def test_suggest_limits(catalogue):
    assert len(suggest(prefix="许可", limit=3)) == 3
    assert len(suggest(prefix="许可", limit=500)) <= 20
    assert suggest(prefix="许可", limit=0) == []
