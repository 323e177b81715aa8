"""The whole report as CSV and XLSX, and the comparison of two years or scopes."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from projects.indicators.catalogue import CATALOGUE
from projects.reports.presentation import neutralise


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_holds_every_figure_with_unit_definition_run_and_time(
    computed, manager_client
) -> None:
    response = manager_client.get("/reports/export.csv?year=2024")
    assert 'filename="indicators-2024-city.csv"' in response["Content-Disposition"]
    rows = {row["code"]: row for row in _csv(response)}
    assert set(rows) == {i.code for i in CATALOGUE}
    volume = rows["contract_volume"]
    assert Decimal(volume["value"]) == Decimal("3100000")
    assert volume["unit"] == "yuan" and volume["as read"] == "3.10 million yuan"
    assert volume["run"] == str(computed.pk) and volume["computed at"].startswith("20")
    assert volume["definition"].startswith("Sum of the contract amounts")
    assert volume["base year"] == "2020" and volume["status"] == "provisional"


def test_the_xlsx_opens_and_holds_the_figures_as_numbers(computed, manager_client) -> None:
    response = manager_client.get("/reports/export.xlsx?year=2024&scope=pole:health")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    rows = {
        row[0]: dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert rows["contract_volume"]["value"] == 2_000_000
    assert rows["contract_volume"]["scope"] == "pole: life and health"
    assert rows["contract_volume"]["run"] == computed.pk


def test_cells_a_spreadsheet_would_run_are_neutralised() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("+86 23") == "'+86 23"
    assert neutralise("-2") == "'-2"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("重庆") == "重庆"
    assert neutralise(Decimal("-2")) == Decimal("-2")


def test_an_unknown_export_is_404(computed, manager_client) -> None:
    assert manager_client.get("/reports/export.pdf").status_code == 404


def test_two_years_side_by_side(computed, manager_client) -> None:
    html = manager_client.get(
        "/reports/compare/?year=2024&scope=city&other-year=2020&other-scope=city"
    ).content.decode()
    assert "Chongqing (whole city) · 2024" in html and "Chongqing (whole city) · 2020" in html
    row = html[html.index("Technology contract volume") :]
    assert "3.10 million yuan" in row and "600,000 yuan" in row and "5.17×" in row


def test_two_scopes_side_by_side(computed, manager_client) -> None:
    html = manager_client.get(
        "/reports/compare/?year=2024&scope=pole:digital&other-year=2024&other-scope=pole:health"
    ).content.decode()
    row = html[html.index("Technology contract volume") :]
    assert "1.00 million yuan" in row and "2.00 million yuan" in row and "0.50×" in row
