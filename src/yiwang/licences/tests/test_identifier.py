import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiwang.licences.identifier import (
    ALPHABET,
    IdentifierError,
    LicenceIdentifier,
    check_character,
    parse_identifier,
)

EXAMPLE = "1.2.156.3005.2.11100000000013338W001.113504000030000149.2025000123.001.K"


def test_the_standard_example_carries_check_character_k():
    identifier = parse_identifier(EXAMPLE)
    assert identifier == LicenceIdentifier(
        "11100000000013338W001", "113504000030000149", "2025000123", 1
    )
    assert identifier.check == "K"
    assert str(identifier) == EXAMPLE


def test_scanned_text_with_spaces_and_lower_case_is_accepted():
    assert str(parse_identifier(f"  {EXAMPLE.lower()} ")) == EXAMPLE


@pytest.mark.parametrize("wrong", [c for c in ALPHABET if c != "K"])
def test_every_other_check_character_is_refused(wrong):
    with pytest.raises(IdentifierError, match="校验位不符"):
        parse_identifier(EXAMPLE[:-1] + wrong)


def test_a_changed_serial_digit_is_caught_by_the_check():
    corrupted = EXAMPLE.replace("2025000123", "2025000124")
    with pytest.raises(IdentifierError, match="校验位不符"):
        parse_identifier(corrupted)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2.16.156.1.11100000000013338W001", "应以 1.2.156.3005.2 开头"),
        ("1.2.156.3005.2.11100000000013338W001.113504000030000149.001.K", "五段组成"),
        ("1.2.156.3005.2.11100000000013338W00.113504000030000149.1.001.K", "3 位顺序号"),
        ("1.2.156.3005.2.11100000000013338W001.1135040000300001.1.001.K", "18 位统一社会信用代码"),
        ("1.2.156.3005.2.11100000000013338W001.113504000030000149.1.01.K", "3 位数字"),
        (
            "1.2.156.3005.2.11100000000013338W001.113504000030000149.123456789012345678901.001.K",
            "1 至 20 位",
        ),
    ],
)
def test_malformed_identifiers_say_what_is_wrong(text, message):
    with pytest.raises(IdentifierError, match=message):
        parse_identifier(text)


def test_check_refuses_characters_outside_the_alphabet():
    with pytest.raises(IdentifierError, match="不是数字或大写字母"):
        check_character("ABC-1")


_body = st.text(alphabet=ALPHABET, min_size=1, max_size=60)


@given(_body, st.integers(min_value=0, max_value=59), st.sampled_from(ALPHABET))
def test_any_single_character_change_changes_the_check(body, position, replacement):
    position %= len(body)
    if body[position] == replacement:
        return
    changed = body[:position] + replacement + body[position + 1 :]
    assert check_character(changed) != check_character(body)


def test_nearly_every_swap_of_two_neighbours_changes_the_check():
    # MOD 37,36 promises every single substitution (above) but not every transposition: of the
    # 1,260 ordered pairs of different characters, a couple collide (here GH ↔ HG; which ones
    # depends on the position). Measured, so that a broken implementation (missing many) fails.
    missed = [
        (a, b)
        for a, b in itertools.permutations(ALPHABET, 2)
        if check_character(f"1110000{a}{b}001") == check_character(f"1110000{b}{a}001")
    ]
    assert missed == [("G", "H"), ("H", "G")]
