"""Unified social credit codes (统一社会信用代码), GB 32100-2015.

Eighteen characters: registration authority (1), organisation category (1), administrative
division (6, GB/T 2260), organisation code (9, GB 11714) and a check character computed over
the first seventeen with weights 3^i mod 31 over a 31-character alphabet without I, O, S, V, Z.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import Expression, Value
from django.db.models.functions import Mod, StrIndex, Substr
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Shape only; the check character is verified by ``credit_code_check_condition`` (database)
# and ``credit_code_check_character`` (Python). Kept in one place so the database constraint
# and the form validator agree.
CREDIT_CODE_PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"
_SHAPE = re.compile(CREDIT_CODE_PATTERN)


def credit_code_check_character(first17: str) -> str:
    """The check character that completes a 17-character prefix."""
    if len(first17) != 17 or any(c not in ALPHABET for c in first17):
        raise ValueError("a credit code prefix is 17 characters of the GB 32100 alphabet")
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_check_condition(*, field: str) -> Expression:
    """True when the check character of the code in ``field`` is right, as a database
    expression that PostgreSQL and SQLite both evaluate (a CHECK constraint).

    The check character c completes the weighted sum t of the first seventeen so that
    (t + c) mod 31 = 0, which is the same as c = (31 - t mod 31) mod 31 for c in 0..30.
    A character outside the alphabet counts as -1 and is refused by the shape constraint.
    """
    alphabet = Value(ALPHABET)
    total: Expression | None = None
    for position, weight in enumerate((*WEIGHTS, 1), start=1):
        term = (StrIndex(alphabet, Substr(field, position, 1)) - 1) * weight
        total = term if total is None else total + term
    return Exact(Mod(total, 31), 0)


def is_valid_credit_code(value: str) -> bool:
    return bool(_SHAPE.match(value)) and credit_code_check_character(value[:17]) == value[17]


def validate_credit_code(value: str) -> None:
    if not isinstance(value, str) or len(value) != 18:
        raise ValidationError(
            _("A unified social credit code has exactly 18 characters."), code="length"
        )
    if not _SHAPE.match(value):
        raise ValidationError(
            _(
                "A unified social credit code uses digits and capital letters except "
                "I, O, S, V and Z, with the 6-digit division code in characters 3 to 8."
            ),
            code="alphabet",
        )
    expected = credit_code_check_character(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("The check character of this credit code is wrong: expected %(expected)s."),
            code="check_character",
            params={"expected": expected},
        )
