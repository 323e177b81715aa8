"""The records behind every figure add up to the stored value."""

from __future__ import annotations

import datetime

import pytest

from projects.indicators import runs
from projects.indicators.catalogue import CATALOGUE, get_indicator
from projects.indicators.lineage import lineage, lineage_total
from projects.models import Certification, IndicatorRun, IndicatorValue, TransferContract
from tests import factories
from tests.indicators import dataset


@pytest.fixture
def computed(crafted) -> IndicatorRun:
    run = factories.IndicatorRunFactory()
    return runs.indicator_run_execute(run_id=run.pk)


@pytest.mark.parametrize("code", [indicator.code for indicator in CATALOGUE])
def test_lineage_adds_up_to_the_stored_figure(computed, code: str) -> None:
    indicator = get_indicator(code)
    checked = 0
    for year in dataset.CHECKED_YEARS:
        for scope in dataset.CHECKED_SCOPES:
            if scope not in indicator.scopes():
                continue
            stored = IndicatorValue.objects.get(run=computed, code=code, year=year, scope=scope)
            if indicator.is_ratio:
                parts = {"numerator": stored.numerator, "denominator": stored.denominator}
                for part, expected in parts.items():
                    total = lineage_total(code=code, year=year, scope=scope, part=part)
                    assert total == expected, (code, year, scope, part)
            else:
                total = lineage_total(code=code, year=year, scope=scope)
                assert total == stored.value, (code, year, scope)
            checked += 1
    assert checked


def test_contract_lineage_lists_exactly_the_registered_contracts(crafted) -> None:
    records = lineage(code="contract_volume", year=2024, scope=f"district:{dataset.YUBEI}")
    assert list(records) == [crafted["c2"]]
    assert records.model is TransferContract


def test_certificate_lineage_lists_one_certificate_per_organisation(crafted) -> None:
    records = lineage(
        code="high_tech_enterprises", year=2024, scope=f"district:{dataset.SHAPINGBA}"
    )
    # E1 holds two certificates valid on 2024-12-31: the later one stands for it.
    assert records.model is Certification
    assert [(c.organization, c.valid_until) for c in records] == [
        (crafted["e1"], datetime.date(2027, 10, 31))
    ]


def test_share_lineage_defaults_to_the_population_and_offers_the_numerator(crafted) -> None:
    population = lineage(code="projects_enterprise_share", year=2024, scope="city")
    involving = lineage(code="projects_enterprise_share", year=2024, scope="city", part="numerator")
    led = lineage(code="projects_enterprise_led_share", year=2024, scope="city", part="numerator")
    assert set(population) == {crafted["r1"], crafted["r2"], crafted["r3"]}
    assert set(involving) == {crafted["r1"], crafted["r2"]}
    assert set(led) == {crafted["r1"]}


def test_city_only_indicators_have_no_district_lineage(crafted) -> None:
    with pytest.raises(ValueError):
        lineage(code="rd_intensity", year=2024, scope=f"district:{dataset.YUBEI}")


def test_unknown_codes_scopes_and_parts_are_refused(crafted) -> None:
    with pytest.raises(ValueError):
        lineage(code="gdp_growth", year=2024, scope="city")
    with pytest.raises(ValueError):
        lineage(code="platforms", year=2024, scope="district:999999")
    with pytest.raises(ValueError):
        lineage(code="platforms", year=2024, scope="city", part="numerator")
