from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from projects.formatting import NARROW_NBSP, amount, amount_compact, number, percent

VOLUME_2024 = Decimal("97424000000.000000")  # the report's 974.24 亿元


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (VOLUME_2024, "zh-hans", "974.24 亿元"),
        (Decimal("5000000"), "zh-hans", "500 万元"),
        (Decimal("125000"), "zh-hans", "12.5 万元"),
        (Decimal("800"), "zh-hans", "800 元"),
        (Decimal("5000000"), "en", "5,000,000 yuan"),
        (Decimal("1234.5"), "en", "1,234.5 yuan"),
        (Decimal("5000000"), "fr", f"5{NARROW_NBSP}000{NARROW_NBSP}000 yuans"),
        (None, "en", "—"),
    ],
)
def test_amounts_read_as_each_language_writes_them(value, language, expected):
    assert amount(value, language) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "974.24 亿元"),
        ("en", "97.42 billion yuan"),
        ("fr", "97,42 milliards de yuans"),
    ],
)
def test_a_reports_volume_reads_in_large_units(language, expected):
    assert amount_compact(VOLUME_2024, language) == expected


def test_compact_amounts_below_a_million_stay_in_full():
    assert amount_compact(Decimal("8000"), "en") == "8,000 yuan"
    assert amount_compact(Decimal("12500000"), "en") == "12.50 million yuan"


def test_counts_and_shares():
    assert number(9123, "en") == "9,123"
    assert number(9123, "zh-hans") == "9123"
    assert percent(Decimal("0.712"), "zh-hans") == "71.2%"
    assert percent(Decimal("0.712"), "en") == "71.2 %"
    assert percent(Decimal("0.712"), "fr") == f"71,2{NARROW_NBSP}%"


def test_the_filters_follow_the_active_language():
    template = Template("{% load bureau %}{{ v|yuan_compact }}|{{ s|percent }}")
    context = Context({"v": VOLUME_2024, "s": Decimal("0.7")})
    with translation.override("en"):
        assert template.render(context) == "97.42 billion yuan|70.0 %"
    with translation.override("zh-hans"):
        assert template.render(context) == "974.24 亿元|70.0%"
