from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from projects.credit_code import ALPHABET, is_valid_credit_code, validate_credit_code
from tests.factories import OrganizationFactory

# Published codes of real companies (Tencent, Huawei, Alibaba China).
REAL_CODES = ["91440300708461136T", "914403001922038216", "91330100716105852F"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code: str) -> None:
    assert is_valid_credit_code(code)
    validate_credit_code(code)


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_one_character_corruption_is_caught(code: str) -> None:
    for position in range(18):
        for replacement in ALPHABET:
            if replacement == code[position]:
                continue
            corrupted = code[:position] + replacement + code[position + 1 :]
            assert not is_valid_credit_code(corrupted), corrupted
            with pytest.raises(ValidationError):
                validate_credit_code(corrupted)


@pytest.mark.parametrize(("language", "says"), [("en", "expected T"), ("zh-hans", "应为 T")])
def test_wrong_check_character_names_the_expected_one(language: str, says: str) -> None:
    with translation.override(language):
        with pytest.raises(ValidationError) as excinfo:
            validate_credit_code("91440300708461136X")
        assert says in str(excinfo.value)


@pytest.mark.parametrize(
    "code",
    ["9144030070846113", "91440300708461136TT", "91440300708461136O", "9144o300708461136T"],
)
def test_wrong_length_or_alphabet_is_refused(code: str) -> None:
    with pytest.raises(ValidationError):
        validate_credit_code(code)


@pytest.mark.django_db
def test_database_refuses_a_malformed_code() -> None:
    with pytest.raises(IntegrityError):
        OrganizationFactory(credit_code="not-a-credit-code!")


@pytest.mark.django_db
def test_database_refuses_a_duplicate_code() -> None:
    OrganizationFactory(credit_code=REAL_CODES[0])
    with pytest.raises(IntegrityError):
        OrganizationFactory(credit_code=REAL_CODES[0])
