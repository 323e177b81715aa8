"""The drill-down: the records behind a figure, paginated and filterable, whose printed total
equals the figure, and exportable."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest

from projects.indicators.catalogue import CATALOGUE
from projects.models import Organization, TransferContract
from projects.reports import views
from tests import factories
from tests.indicators import dataset


def _total(html: str) -> Decimal:
    match = re.search(r'data-total="([^"]+)"', html)
    assert match
    return Decimal(match.group(1))


@pytest.mark.parametrize("indicator", CATALOGUE, ids=lambda i: i.code)
def test_the_printed_total_equals_the_figure(computed, manager_client, indicator) -> None:
    value = computed.values.get(code=indicator.code, year=2024, scope="city")
    parts = (
        {"numerator": value.numerator, "denominator": value.denominator}
        if indicator.is_ratio
        else {"value": value.value}
    )
    for part, expected in parts.items():
        response = manager_client.get(
            f"/reports/figures/{indicator.code}/records/?year=2024&scope=city&part={part}"
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert _total(html) == expected, part
        assert "equals the stored figure" in html


def test_a_contract_list_names_the_contracts_and_sums_their_amounts(
    computed, manager_client
) -> None:
    html = manager_client.get(
        f"/reports/figures/contract_volume/records/?year=2024&scope=district:{dataset.YUBEI}"
    ).content.decode()
    assert crafted_contract(computed).title in html
    assert "Sum of the records listed" in html and "2.00 million yuan" in html


def crafted_contract(run) -> TransferContract:
    return TransferContract.objects.get(
        state="registered", registered_on__year=2024, district=dataset.YUBEI
    )


def test_the_list_is_paginated_and_filtered(computed, manager_client, monkeypatch) -> None:
    monkeypatch.setattr(views, "LIST_PAGE_SIZE", 1)
    base = "/reports/figures/contracts_registered/records/?year=2024&scope=city"
    first = manager_client.get(base).content.decode()
    assert "Records 1–1 of 3" in first and "Page 1 of 3" in first
    assert "Records 3–3 of 3" in manager_client.get(base + "&page=3").content.decode()
    contract = crafted_contract(computed)
    filtered = manager_client.get(base + f"&q={contract.registration_number}").content.decode()
    assert "1 records match the filter" in filtered
    # The total of the figure stays printed beside the filtered one.
    assert _total(filtered) == 3


def test_the_records_download_as_csv_with_formulas_neutralised(computed, manager_client) -> None:
    seller = factories.OrganizationFactory(kind=Organization.Kind.ENTERPRISE)
    factories.TransferContractFactory(
        seller=seller,
        state=TransferContract.State.REGISTERED,
        registration_number="2024500EVIL01",
        title='=HYPERLINK("http://example.com")',
        registered_on=datetime.date(2024, 9, 1),
    )
    response = manager_client.get(
        "/reports/figures/contract_volume/records/?year=2024&scope=city&format=csv"
    )
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "registration number"
    assert len(rows) == 1 + 4  # every record, not one page
    assert ['\'=HYPERLINK("http://example.com")'] == [r[1] for r in rows if "HYPERLINK" in r[1]]


def test_an_unknown_indicator_is_404(db, manager_client) -> None:
    assert manager_client.get("/reports/figures/gdp_growth/records/").status_code == 404
