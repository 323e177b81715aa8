"""The report page: every catalogue figure as a card a manager can trust at a glance."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from projects.indicators import runs
from projects.indicators.publication import indicator_year_publish
from projects.models import IndicatorRun, Organization, TransferContract
from tests import factories
from tests.indicators import dataset


def _card(html: str, code: str) -> str:
    match = re.search(
        rf'<article class="card[^"]*" aria-labelledby="card-{code}">(.*?)</article>', html, re.S
    )
    assert match, f"no card for {code}"
    return " ".join(match.group(1).split())


def _page(client: Client, query: str = "year=2024") -> str:
    response = client.get(f"/reports/?{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_a_card_reads_the_figure_in_readable_units_with_its_base_year_and_run(
    computed, manager_client
) -> None:
    card = _card(_page(manager_client), "contract_volume")
    assert "3.10 million yuan" in card
    # 3,100,000 / 600,000 in 2020, the base year of the 14th plan.
    assert "5.17× the base year 2020" in card
    assert f"run #{computed.pk}" in card
    assert "provisional" in card
    assert "<details>" in card and "Sum of the contract amounts" in card


def test_chinese_readers_read_wan_and_yi(computed, manager) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(manager)
    card = _card(_page(client), "contract_volume")
    assert "310.00 万元" in card


def test_a_share_says_its_target_and_whether_it_is_met_in_words(computed, manager_client) -> None:
    html = _page(manager_client)
    met = _card(html, "needs_enterprise_share")  # 66.7 % against ≥ 70 %
    assert "66.7 %" in met and "target ≥ 70.0 %" in met and "✗ not met" in met
    assert "2 of 3" in met
    projects = _card(html, "public_funds_enterprise_share")  # 69.2 %
    assert "not met" in projects


def test_both_project_share_definitions_stand_side_by_side_with_the_headline_named(
    computed, manager_client
) -> None:
    html = _page(manager_client)
    pair = re.search(r'<div class="card-group card-pair">(.*?)</div>\s*<div', html, re.S)
    assert pair
    text = pair.group(1)
    assert text.index("card-projects_enterprise_share") < text.index(
        "card-projects_enterprise_led_share"
    )
    assert "Headline definition" in _card(html, "projects_enterprise_share")
    assert "Alternative definition" in _card(html, "projects_enterprise_led_share")


def test_plan_totals_have_their_own_section(computed, manager_client) -> None:
    html = _page(manager_client, "year=2025")
    assert "Five-year plan so far" in html
    card = _card(html, "plan_contract_volume")
    assert "five-year plan to 2025" in card and "3.61 million yuan" in card


def test_published_then_revised_figures_say_so(computed, manager_client, manager) -> None:
    indicator_year_publish(run=computed, year=2024, actor=manager)
    assert "published" in _card(_page(manager_client), "contract_volume")
    seller = factories.OrganizationFactory(kind=Organization.Kind.ENTERPRISE)
    factories.TransferContractFactory(
        seller=seller,
        state=TransferContract.State.REGISTERED,
        registration_number="2024500LATE01",
        registered_on=datetime.date(2024, 10, 1),
        contract_amount=Decimal("400000.00"),
        technology_transaction_amount=Decimal("400000.00"),
    )
    runs.indicator_run_execute(run_id=factories.IndicatorRunFactory().pk)
    card = _card(_page(manager_client), "contract_volume")
    assert "revised since publication" in card
    assert "3.50 million yuan" in card and "published: 3.10 million yuan" in card


def test_the_current_year_is_marked_year_to_date(computed, manager_client) -> None:
    with time_machine.travel(datetime.datetime(2026, 3, 1, 2, tzinfo=datetime.UTC), tick=False):
        html = _page(manager_client, "year=2026")
        assert "year to date (2026-03-01)" in _card(html, "tech_enterprises")
        # 2026 is in the 15th plan: the base year is 2025.
        assert "base year 2025" in _card(html, "contract_volume")


def test_a_district_and_a_pole_are_chosen_by_name(computed, manager_client) -> None:
    html = _page(manager_client, f"year=2024&scope=district:{dataset.YUBEI}")
    assert "Indicator report 2024, Yubei" in html
    assert "2.00 million yuan" in _card(html, "contract_volume")
    assert "R&amp;D expenditure intensity" not in html  # city only
    assert '<option value="pole:health">' in html and "pole: life and health" in html


def test_a_bad_year_or_scope_is_named_and_the_default_report_shown(
    computed, manager_client
) -> None:
    html = _page(manager_client, "year=1999&scope=district:999999")
    assert "There is a problem" in html
    assert "Year:" in html and "Scope:" in html
    assert "card-contract_volume" in html


def test_without_any_run_the_page_says_to_recompute(manager_client) -> None:
    assert "No run has computed the indicators yet" in _page(manager_client)


def _grow(records: int) -> None:
    for n in range(records):
        seller = factories.OrganizationFactory(district=dataset.YUBEI)
        factories.TransferContractFactory(
            seller=seller,
            state=TransferContract.State.REGISTERED,
            registration_number=f"2024500GROW{n:04d}",
            registered_on=datetime.date(2024, 6, 1),
        )
        factories.CertificationFactory(organization=seller)
    runs.indicator_run_execute(run_id=factories.IndicatorRunFactory().pk)


@pytest.mark.parametrize("path", ["/reports/?year=2024", "/reports/figures/platforms/?year=2024"])
def test_the_page_issues_a_fixed_number_of_queries_whatever_the_data(
    computed, manager_client, manager, django_assert_num_queries, path: str
) -> None:
    indicator_year_publish(run=computed, year=2024, actor=manager)
    manager_client.get(path)  # sessions and permissions cached as on any later request
    with django_assert_num_queries(QUERIES[path]):
        assert manager_client.get(path).status_code == 200
    _grow(30)
    with django_assert_num_queries(QUERIES[path]):
        assert manager_client.get(path).status_code == 200


# Session, user, permissions (2), latest run, values in scope, published figures, published
# years, active run; the figure page reads the year's breakdown instead of the active run. And
# the header's check whether the user belongs to an organisation ("my organisation").
QUERIES = {"/reports/?year=2024": 10, "/reports/figures/platforms/?year=2024": 9}


def test_the_page_never_recomputes(computed, manager_client) -> None:
    before = IndicatorRun.objects.count()
    _page(manager_client)
    assert IndicatorRun.objects.count() == before


def _selected(html: str, name: str) -> str:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(1))
    assert len(chosen) == 1, chosen
    return chosen[0]


def test_the_year_and_scope_selects_show_the_figures_read(computed, manager_client) -> None:
    from projects.reports.views import default_year

    shown = default_year()
    html = _page(manager_client, "")
    assert _selected(html, "year") == str(shown) and _selected(html, "scope") == "city"
    # Compared with the year before by default, and the second select says so.
    html = manager_client.get("/reports/compare/?year=2024").content.decode()
    assert _selected(html, "year") == "2024"
    assert _selected(html, "other-year") == "2023"
    assert "Chongqing (city) · 2023" in html or "· 2023" in html
