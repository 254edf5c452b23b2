from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from yiwang.platform.errors import InvalidInput
from yiwang.platform.validators import (
    PROVINCE_CODES,
    USCC_ALPHABET,
    citizen_id_check_digit,
    make_citizen_id,
    make_uscc,
    normalise_citizen_id,
    normalise_region_code,
    normalise_uscc,
    organisation_code_check_character,
    uscc_check_character,
    validate_citizen_id,
    validate_region_code,
    validate_uscc,
)

DOMAIN_CITIZEN_ID = "11010519491231002X"
DOMAIN_USCC = "91350100M000100Y43"
CHECK_DIGIT_MESSAGE = "身份证号码最后一位校验码不正确，请核对后重新输入。"
USCC_CHECK_MESSAGE = "统一社会信用代码最后一位校验码不正确，请核对后重新输入。"


def error_of(normalise, value: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        normalise(value)
    return caught.value


# --- Citizen ID -------------------------------------------------------------------------------


def test_domain_example_citizen_id_is_valid():
    assert normalise_citizen_id(DOMAIN_CITIZEN_ID) == DOMAIN_CITIZEN_ID


def test_check_digit_follows_mod_11_2():
    assert citizen_id_check_digit(DOMAIN_CITIZEN_ID[:17]) == "X"
    # S mod 11 = 0 gives 1: seventeen zeros sum to 0.
    assert citizen_id_check_digit("0" * 17) == "1"


def test_check_digit_needs_seventeen_digits():
    with pytest.raises(ValueError, match="17 digits"):
        citizen_id_check_digit("1234")


def test_lower_case_x_spaces_and_full_width_digits_are_normalised():
    assert normalise_citizen_id(" 110105 19491231 002x ") == DOMAIN_CITIZEN_ID
    assert normalise_citizen_id("１１０１０５１９４９１２３１００２Ｘ") == DOMAIN_CITIZEN_ID


def test_legacy_fifteen_digit_number_is_converted_to_eighteen():
    assert normalise_citizen_id("110105491231002") == DOMAIN_CITIZEN_ID


@pytest.mark.parametrize("position", range(18))
def test_every_single_digit_change_is_rejected_with_the_check_digit_message(position):
    for replacement in "0123456789":
        if DOMAIN_CITIZEN_ID[position] == replacement:
            continue
        corrupted = DOMAIN_CITIZEN_ID[:position] + replacement + DOMAIN_CITIZEN_ID[position + 1 :]
        error = error_of(normalise_citizen_id, corrupted)
        assert error.code == "citizen_id_check_digit", corrupted
        assert error.message == CHECK_DIGIT_MESSAGE


def test_swapping_two_adjacent_digits_is_rejected():
    swapped = (
        DOMAIN_CITIZEN_ID[:1] + DOMAIN_CITIZEN_ID[2] + DOMAIN_CITIZEN_ID[1] + DOMAIN_CITIZEN_ID[3:]
    )
    assert error_of(normalise_citizen_id, swapped).code == "citizen_id_check_digit"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "citizen_id_required"),
        ("   ", "citizen_id_required"),
        ("11010519491231002", "citizen_id_length"),
        ("11010519491231002X1", "citizen_id_length"),
        ("1101051949123100XX", "citizen_id_characters"),
        ("11010519491231002Y", "citizen_id_characters"),
        ("1101051949123100-2", "citizen_id_characters"),
        ("11010549123100X", "citizen_id_characters"),
    ],
)
def test_malformed_citizen_ids_are_rejected_with_a_specific_code(value, code):
    error = error_of(normalise_citizen_id, value)
    assert error.code == code
    assert error.message
    assert "身份证号码" in error.message


def test_unknown_province_is_rejected_even_with_a_correct_check_digit():
    forged = make_citizen_id("990105", date(1949, 12, 31), 2)
    error = error_of(normalise_citizen_id, forged)
    assert error.code == "citizen_id_region"
    assert error.message == "身份证号码前6位的地区码不正确，请核对后重新输入。"


def test_taiwan_residence_permit_prefix_is_accepted():
    assert normalise_citizen_id(make_citizen_id("830000", date(1990, 1, 1), 11))


@pytest.mark.parametrize("digits", ["19490230", "19491301", "19490000", "17991231"])
def test_impossible_birth_date_is_rejected_even_with_a_correct_check_digit(digits):
    first17 = f"110105{digits}002"
    forged = first17 + citizen_id_check_digit(first17)
    assert error_of(normalise_citizen_id, forged).code == "citizen_id_birth_date"


def test_birth_date_in_the_future_is_rejected():
    tomorrow = timezone.localdate() + timedelta(days=1)
    forged = make_citizen_id("110105", tomorrow, 2)
    assert error_of(normalise_citizen_id, forged).code == "citizen_id_birth_date"


def test_born_today_is_accepted():
    assert normalise_citizen_id(make_citizen_id("350402", timezone.localdate(), 1))


def test_make_citizen_id_refuses_a_sequence_out_of_range():
    with pytest.raises(ValueError, match="sequence"):
        make_citizen_id("110105", date(1990, 1, 1), 1000)


@given(
    province=st.sampled_from(sorted(PROVINCE_CODES)),
    rest=st.integers(min_value=0, max_value=9999),
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2024, 12, 31)),
    sequence=st.integers(min_value=0, max_value=999),
)
def test_generated_citizen_ids_round_trip_through_normalise(province, rest, birth, sequence):
    citizen_id = make_citizen_id(f"{province}{rest:04d}", birth, sequence)
    assert len(citizen_id) == 18
    assert normalise_citizen_id(citizen_id) == citizen_id
    assert normalise_citizen_id(citizen_id.lower()) == citizen_id


def test_form_validator_raises_validation_error_with_the_same_code_and_message():
    with pytest.raises(ValidationError) as caught:
        validate_citizen_id(DOMAIN_CITIZEN_ID[:17] + "1")
    assert caught.value.code == "citizen_id_check_digit"
    assert caught.value.messages == [CHECK_DIGIT_MESSAGE]
    validate_citizen_id(DOMAIN_CITIZEN_ID)


# --- USCC -------------------------------------------------------------------------------------


def test_domain_example_uscc_is_valid():
    assert normalise_uscc(DOMAIN_USCC) == DOMAIN_USCC
    assert normalise_uscc(" 91350100m000100y43 ") == DOMAIN_USCC


def test_uscc_check_characters_follow_gb_32100():
    assert organisation_code_check_character("M000100Y") == "4"
    assert uscc_check_character(DOMAIN_USCC[:17]) == "3"


def test_make_uscc_computes_both_check_characters():
    assert make_uscc("9", "1", "350100", "M000100Y") == DOMAIN_USCC


@pytest.mark.parametrize("position", range(18))
def test_every_single_character_change_of_a_uscc_is_rejected(position):
    for replacement in USCC_ALPHABET:
        if DOMAIN_USCC[position] == replacement:
            continue
        corrupted = DOMAIN_USCC[:position] + replacement + DOMAIN_USCC[position + 1 :]
        error = error_of(normalise_uscc, corrupted)
        assert error.code == "uscc_check_character", corrupted
        assert error.message == USCC_CHECK_MESSAGE


def test_wrong_organisation_code_check_is_rejected_even_with_a_correct_last_character():
    first17 = DOMAIN_USCC[:16] + "5"
    forged = first17 + uscc_check_character(first17)
    assert error_of(normalise_uscc, forged).code == "uscc_organisation_code"


def test_unknown_region_in_uscc_is_rejected():
    assert error_of(normalise_uscc, make_uscc("9", "1", "990100", "M000100Y")).code == "uscc_region"


def test_national_level_uscc_region_is_accepted():
    assert normalise_uscc(make_uscc("1", "1", "100000", "00001312"))


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "uscc_required"),
        ("91350100M000100Y4", "uscc_length"),
        ("91350100M000100Y43A", "uscc_length"),
        ("91350100M000I00Y43", "uscc_characters"),
        ("91350100M000O00Y43", "uscc_characters"),
        ("91350100M000100Y4?", "uscc_characters"),
    ],
)
def test_malformed_usccs_are_rejected_with_a_specific_code(value, code):
    error = error_of(normalise_uscc, value)
    assert error.code == code
    assert "统一社会信用代码" in error.message


def test_uscc_form_validator_raises_validation_error():
    with pytest.raises(ValidationError) as caught:
        validate_uscc(DOMAIN_USCC[:17] + "4")
    assert caught.value.code == "uscc_check_character"
    validate_uscc(DOMAIN_USCC)


# --- Region codes -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["350400", "110105", "350402001001", "810000"])
def test_six_and_twelve_digit_region_codes_are_valid(value):
    assert normalise_region_code(value) == value


def test_region_code_is_trimmed():
    assert normalise_region_code(" 350400 ") == "350400"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "region_code_required"),
        ("35040", "region_code_format"),
        ("3504001", "region_code_format"),
        ("35040A", "region_code_format"),
        ("990400", "region_code_province"),
        ("000000", "region_code_province"),
    ],
)
def test_malformed_region_codes_are_rejected(value, code):
    assert error_of(normalise_region_code, value).code == code


def test_region_form_validator_raises_validation_error():
    with pytest.raises(ValidationError):
        validate_region_code("990400")
