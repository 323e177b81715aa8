"""The catalogue names every indicator once, with what a reader needs to trust it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils.functional import Promise

from projects.indicators.catalogue import (
    CATALOGUE,
    Unit,
    get_indicator,
    multiple,
    plan_base_year,
)
from projects.indicators.scopes import all_scopes, parse_scope
from projects.indicators.sources import get_sources
from projects.models import District, Pole

CODES = [
    "contract_volume",
    "tech_transaction_amount",
    "contracts_registered",
    "high_tech_enterprises",
    "tech_enterprises",
    "platforms",
    "projects_approved",
    "bottlenecks_resolved",
    "needs_enterprise_share",
    "projects_enterprise_share",
    "projects_enterprise_led_share",
    "public_funds_enterprise_share",
    "project_funds_enterprise_share",
    "rd_intensity",
    "patents_per_10k",
]
PLAN_CODES = [
    "plan_projects_approved",
    "plan_bottlenecks_resolved",
    "plan_bottlenecks_resolved_by_plan_projects",
    "plan_contract_volume",
]


def test_the_catalogue_holds_each_stable_code_once() -> None:
    codes = [indicator.code for indicator in CATALOGUE]
    assert sorted(codes) == sorted(CODES + PLAN_CODES)
    assert len(set(codes)) == len(codes)


@pytest.mark.parametrize("indicator", CATALOGUE, ids=lambda i: i.code)
def test_every_entry_is_described_and_computable(indicator) -> None:
    assert isinstance(indicator.label, Promise)
    assert isinstance(indicator.definition, Promise)
    assert isinstance(indicator.population, Promise)
    assert str(indicator.label) and str(indicator.definition) and str(indicator.population)
    if indicator.plan_period:
        assert indicator.base_year(2024) is None
    else:
        assert indicator.base_year(2024) == 2020
        assert indicator.base_year(2027) == 2025
    source = get_sources()[indicator.source]
    for name in indicator.metric_names():
        assert name in source.metrics
    if indicator.unit in (Unit.FRACTION, Unit.PER_10K):
        assert indicator.is_ratio


def test_the_enterprise_shares_have_the_70_percent_target() -> None:
    for code in (
        "needs_enterprise_share",
        "projects_enterprise_share",
        "public_funds_enterprise_share",
        "project_funds_enterprise_share",
    ):
        target = get_indicator(code).target
        assert target is not None and target.value == Decimal("0.70")
        assert target.met_by(Decimal("0.71")) and not target.met_by(Decimal("0.69"))


def test_the_two_project_share_definitions_say_which_is_the_headline() -> None:
    headline = get_indicator("projects_enterprise_share")
    variant = get_indicator("projects_enterprise_led_share")
    assert headline.headline and not variant.headline
    assert variant.variant_of == headline.code
    plan_headline = get_indicator("plan_bottlenecks_resolved")
    plan_variant = get_indicator("plan_bottlenecks_resolved_by_plan_projects")
    assert plan_headline.headline and plan_variant.variant_of == plan_headline.code
    assert {i.code for i in CATALOGUE if not i.headline} == {variant.code, plan_variant.code}


def test_statistics_are_city_only_and_the_rest_cover_every_scope() -> None:
    assert get_indicator("rd_intensity").scopes() == ["city"]
    assert get_indicator("patents_per_10k").scopes() == ["city"]
    assert get_indicator("platforms").scopes() == all_scopes()
    assert len(all_scopes()) == 1 + len(District.values) + len(Pole.values) == 43


def test_multiples_are_derived_from_two_values() -> None:
    assert multiple(value=Decimal("97424"), base=Decimal("19484.8")) == Decimal("5.0000")
    assert multiple(value=Decimal(5), base=Decimal(0)) is None
    assert multiple(value=None, base=Decimal(1)) is None


def test_plan_base_years() -> None:
    assert plan_base_year(2024) == 2020
    assert plan_base_year(2026) == 2025
    assert plan_base_year(2016) == 2015


def test_scopes_parse_and_reject_unknown_ones() -> None:
    assert str(parse_scope("district:500112")) == "district:500112"
    assert str(parse_scope("pole:health")) == "pole:health"
    for bad in ("district:999999", "pole:space", "province", ""):
        with pytest.raises(ValueError):
            parse_scope(bad)


def test_unknown_codes_are_refused() -> None:
    with pytest.raises(ValueError):
        get_indicator("gdp")
