"""Figures as a reader of each language writes them, and a person's name as they write it.

Amounts are stored in yuan. Chinese readers count in 万 (10⁴) and 亿 (10⁸): 974.24 亿元, 500 万元.
English and French readers read the digits with thousands separators (5,000,000 yuan;
5 000 000 yuans), or, for the large figures of a report, millions and billions
(97.42 billion yuan; 97,42 milliards de yuans).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import translation

_HAN = re.compile(r"[\u3400-\u9fff]")
NARROW_NBSP = "\u202f"  # French groups digits and sets "%" apart with a narrow no-break space

_CHINESE_UNITS = ((Decimal(10**8), "亿元"), (Decimal(10**4), "万元"))
_LARGE_UNITS = {
    "en": ((Decimal(10**9), "billion yuan"), (Decimal(10**6), "million yuan")),
    "fr": ((Decimal(10**9), "milliards de yuans"), (Decimal(10**6), "millions de yuans")),
}
_SMALL_UNIT = {"en": "yuan", "fr": "yuans"}


def _language(language: str | None) -> str:
    code = (language or translation.get_language() or "zh-hans").lower()
    if code.startswith("zh"):
        return "zh"
    return "fr" if code.startswith("fr") else "en"


def _digits(value: Decimal, places: int, language: str, *, trim: bool = True) -> str:
    """``value`` rounded to ``places`` decimals, grouped by thousands in the language's way;
    with ``trim``, trailing zeros of the decimals are dropped (500.00 → 500, 12.50 → 12.5)."""
    quantum = Decimal(1).scaleb(-places)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{places}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if language == "fr":
        text = text.replace(",", NARROW_NBSP).replace(".", ",")
    elif language == "zh":
        text = text.replace(",", "")  # 万 and 亿 already group the digits
    return text


def amount(value: Decimal | int | float | None, language: str | None = None) -> str:
    """An amount of yuan in full: 500 万元 / 5,000,000 yuan / 5 000 000 yuans."""
    if value is None:
        return "—"
    value = Decimal(str(value))
    lang = _language(language)
    if lang == "zh":
        for scale, unit in _CHINESE_UNITS:
            if abs(value) >= scale:
                return f"{_digits(value / scale, 2, lang)} {unit}"
        return f"{_digits(value, 2, lang)} 元"
    return f"{_digits(value, 2, lang)} {_SMALL_UNIT[lang]}"


def amount_compact(value: Decimal | int | float | None, language: str | None = None) -> str:
    """A report's large amount, two decimals: 974.24 亿元 / 97.42 billion yuan /
    97,42 milliards de yuans."""
    if value is None:
        return "—"
    value = Decimal(str(value))
    lang = _language(language)
    units = _CHINESE_UNITS if lang == "zh" else _LARGE_UNITS[lang]
    for scale, unit in units:
        if abs(value) >= scale:
            return f"{_digits(value / scale, 2, lang, trim=False)} {unit}"
    return amount(value, lang)


def number(value: Decimal | int | float | None, language: str | None = None) -> str:
    """A count: 9,123 / 9 123 (Chinese writes 9123)."""
    if value is None:
        return "—"
    return _digits(Decimal(str(value)), 0, _language(language))


def percent(fraction: Decimal | float | None, language: str | None = None, places: int = 1) -> str:
    """A share given as a fraction (0.712): 71.2% / 71.2 % / 71,2 %."""
    if fraction is None:
        return "—"
    lang = _language(language)
    digits = _digits(Decimal(str(fraction)) * 100, places, lang, trim=False)
    if lang == "zh":
        return f"{digits}%"
    return f"{digits}{NARROW_NBSP if lang == 'fr' else ' '}%"


def full_name(user: Any) -> str:
    """A person's name as they write it: a Chinese name family name first, without a space
    (陈晓雯, not 晓雯 陈); other names as Django's ``get_full_name``; "" if they gave none."""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if _HAN.search(first + last):
        return last + first
    return str(user.get_full_name())


def person_name(user: Any) -> str:
    """``full_name``, or the user name of a person who gave no name."""
    return full_name(user) or str(user.get_username())
