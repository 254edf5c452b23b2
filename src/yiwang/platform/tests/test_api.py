from __future__ import annotations

import logging

import pytest

pytestmark = pytest.mark.django_db

BASE = "/api/v1/platform/validate"


def test_valid_citizen_id_is_answered_normalised(client):
    response = client.get(f"{BASE}/citizen-id", {"value": "11010519491231002x"})
    assert response.status_code == 200
    assert response.json() == {
        "valid": True,
        "normalised": "11010519491231002X",
        "code": None,
        "message": None,
    }


def test_invalid_citizen_id_is_answered_with_code_and_message(client):
    response = client.get(f"{BASE}/citizen-id", {"value": "110105194912310021"})
    assert response.status_code == 200
    assert response.json() == {
        "valid": False,
        "normalised": None,
        "code": "citizen_id_check_digit",
        "message": "身份证号码最后一位校验码不正确，请核对后重新输入。",
    }


def test_missing_value_is_an_answer_not_an_error(client):
    response = client.get(f"{BASE}/citizen-id")
    assert response.status_code == 200
    assert response.json()["code"] == "citizen_id_required"


def test_citizen_id_is_not_written_to_the_request_log(client, caplog):
    caplog.set_level(logging.DEBUG)
    client.get(f"{BASE}/citizen-id", {"value": "11010519491231002X"})
    assert "11010519491231002X" not in caplog.text


def test_uscc_validation(client):
    assert client.get(f"{BASE}/uscc", {"value": "91350100M000100Y43"}).json() == {
        "valid": True,
        "normalised": "91350100M000100Y43",
        "code": None,
        "message": None,
    }
    assert client.get(f"{BASE}/uscc", {"value": "91350100M000100Y44"}).json() == {
        "valid": False,
        "normalised": None,
        "code": "uscc_check_character",
        "message": "统一社会信用代码最后一位校验码不正确，请核对后重新输入。",
    }


def test_region_code_validation(client):
    assert client.get(f"{BASE}/region-code", {"value": "350400"}).json() == {
        "valid": True,
        "normalised": "350400",
        "code": None,
        "message": None,
    }
    assert client.get(f"{BASE}/region-code", {"value": "99"}).json() == {
        "valid": False,
        "normalised": None,
        "code": "region_code_format",
        "message": "行政区划代码应为6位或12位数字，请核对后重新输入。",
    }
