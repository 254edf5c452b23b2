from __future__ import annotations

import base64
import logging

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured

from yiwang.platform import crypto
from yiwang.platform.logging import PersonalDataFilter, scrub
from yiwang.platform.masking import (
    mask_citizen_id,
    mask_email,
    mask_name,
    mask_phone,
    mask_recipient,
    mask_url,
)

OLD_KEY = base64.b64encode(b"o" * 32).decode()
NEW_KEY = base64.b64encode(b"n" * 32).decode()


def test_encrypted_value_decrypts_to_the_plaintext():
    token = crypto.encrypt("11010519491231002X")
    assert "11010519491231002X" not in token
    assert token.startswith(f"v1:{crypto.keyring().current_id}:")
    assert crypto.decrypt(token) == "11010519491231002X"


def test_same_plaintext_encrypts_differently_each_time():
    assert crypto.encrypt("13800000000") != crypto.encrypt("13800000000")


def test_tampered_ciphertext_fails_to_decrypt():
    token = crypto.encrypt("13800000000")
    prefix, key_id, body = token.split(":", 2)
    raw = bytearray(base64.b64decode(body))
    raw[-1] ^= 0x01
    tampered = f"{prefix}:{key_id}:{base64.b64encode(bytes(raw)).decode()}"
    with pytest.raises(InvalidTag):
        crypto.decrypt(tampered)


def test_ciphertext_bound_to_other_associated_data_fails():
    token = crypto.encrypt("13800000000", associated="user:1")
    with pytest.raises(InvalidTag):
        crypto.decrypt(token, associated="user:2")


def test_value_under_an_old_key_still_decrypts_after_a_new_key_is_put_first(settings):
    settings.DATA_KEYS = f"k1:{OLD_KEY}"
    old_token = crypto.encrypt("13800000000")
    settings.DATA_KEYS = f"k2:{NEW_KEY},k1:{OLD_KEY}"
    assert crypto.key_id_of(old_token) == "k1"
    assert crypto.decrypt(old_token) == "13800000000"
    assert crypto.key_id_of(crypto.encrypt("13800000000")) == "k2"


def test_value_under_a_removed_key_cannot_be_read(settings):
    settings.DATA_KEYS = f"k1:{OLD_KEY}"
    old_token = crypto.encrypt("13800000000")
    settings.DATA_KEYS = f"k2:{NEW_KEY}"
    with pytest.raises(ValueError, match="no key 'k1'"):
        crypto.decrypt(old_token)


def test_key_of_the_wrong_length_is_refused(settings):
    settings.DATA_KEYS = f"k9:{base64.b64encode(b'short').decode()}"
    with pytest.raises(ImproperlyConfigured, match="32 bytes"):
        crypto.encrypt("x")


def test_blind_index_is_stable_and_case_insensitive():
    first = crypto.blind_index("11010519491231002X", purpose="citizen_id")
    assert first == crypto.blind_index(" 11010519491231002x ", purpose="citizen_id")
    assert len(first) == 64
    assert "11010519491231002X" not in first


def test_blind_index_differs_by_purpose_and_value():
    by_citizen_id = crypto.blind_index("13800000000", purpose="citizen_id")
    assert by_citizen_id != crypto.blind_index("13800000000", purpose="phone")
    assert by_citizen_id != crypto.blind_index("13800000001", purpose="citizen_id")


def test_masks_hide_the_middle_of_personal_data():
    assert mask_citizen_id("35040219900101123X") == "3504**********123X"
    assert mask_phone("+8613812345678") == "138****5678"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_email("zhang.san@example.cn") == "z***@example.cn"
    assert (
        mask_url("https://dept.example.gov.cn/hook?token=secret") == "https://dept.example.gov.cn/…"
    )
    assert mask_url("not a url") == "***"


def test_recipient_mask_follows_the_channel():
    assert mask_recipient("sms", "13812345678") == "138****5678"
    assert mask_recipient("email", "li@example.cn") == "l***@example.cn"
    assert mask_recipient("webhook", "https://a.example/x") == "https://a.example/…"


def test_log_scrub_masks_citizen_ids_and_phone_numbers():
    text = "核验 11010519491231002X 与 110105194912310021，手机 13812345678 或 +8613912345678"
    cleaned = scrub(text)
    assert "11010519491231002X" not in cleaned
    assert "110105194912310021" not in cleaned
    assert "13812345678" not in cleaned
    assert "13912345678" not in cleaned
    assert "1101**********002X" in cleaned
    assert "138****5678" in cleaned


def test_log_scrub_leaves_other_numbers_alone():
    assert scrub("办件 35040020261122000123 共 12 件") == "办件 35040020261122000123 共 12 件"


def test_personal_data_filter_rewrites_the_log_record():
    record = logging.LogRecord(
        "yiwang", logging.INFO, __file__, 1, "user %s phone %s", ("甲", "13812345678"), None
    )
    assert PersonalDataFilter().filter(record)
    assert record.getMessage() == "user 甲 phone 138****5678"
