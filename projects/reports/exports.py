"""The report and its drill-down as files: CSV and XLSX, exactly what the pages show.

Text cells that a spreadsheet would take for a formula are neutralised (``presentation.
neutralise``); figures are written as numbers with their unit beside them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from projects import clock
from projects.indicators.catalogue import Indicator
from projects.indicators.selectors import Report

from .presentation import (
    STATUS_LABELS,
    RecordList,
    figure_text,
    neutralise,
    scope_label,
    unit_label,
)

HEADER = (
    _("code"),
    _("indicator"),
    _("year"),
    _("scope"),
    _("value"),
    _("unit"),
    _("as read"),
    _("numerator"),
    _("denominator"),
    _("base year"),
    _("base-year value"),
    _("multiple of the base year"),
    _("target"),
    _("target met"),
    _("status"),
    _("year to date"),
    _("definition"),
    _("run"),
    _("computed at"),
)


def _local(moment: Any) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment, clock.BUREAU_TIME_ZONE).isoformat(timespec="seconds")


def report_rows(report: Report) -> Iterator[list[Any]]:
    yes, no = gettext("yes"), gettext("no")
    for code, figure in report.figures.items():
        indicator = figure.indicator
        target = indicator.target
        yield [
            code,
            str(indicator.label),
            figure.year,
            scope_label(figure.scope),
            figure.value,
            unit_label(indicator),
            figure_text(figure.value, indicator.unit),
            figure.numerator,
            figure.denominator,
            figure.base_year,
            figure.base_value,
            figure.multiple,
            (("≥ " if target.at_least else "≤ ") + str(target.value)) if target else "",
            "" if figure.target_met is None else (yes if figure.target_met else no),
            str(STATUS_LABELS[figure.status]),
            yes if figure.year_to_date else no,
            str(indicator.definition),
            report.run.pk if report.run else "",
            _local(report.computed_at),
        ]


def _filename(report: Report, extension: str) -> str:
    scope = report.scope.replace(":", "-")
    return f"indicators-{report.year}-{scope}.{extension}"


def report_csv(report: Report) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "csv")}"'
    # A byte-order mark: spreadsheet programs then read the Chinese text as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([str(h) for h in HEADER])
    for row in report_rows(report):
        writer.writerow([neutralise(cell) for cell in row])
    return response


def report_xlsx(report: Report) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = str(report.year)
    sheet.append([str(h) for h in HEADER])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in report_rows(report):
        sheet.append([_xlsx_cell(cell) for cell in row])
    sheet.freeze_panes = "A2"
    for letter, width in (("A", 30), ("B", 36), ("D", 22), ("G", 22), ("Q", 80)):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "xlsx")}"'
    return response


def _xlsx_cell(cell: Any) -> Any:
    from decimal import Decimal

    if isinstance(cell, Decimal):
        # Exact digits as a number the spreadsheet can add up.
        return float(cell)
    return neutralise(cell)


class _Echo:
    def write(self, value: str) -> str:
        return value


def records_csv(
    *, indicator: Indicator, year: int, scope: str, listing: RecordList, records: QuerySet[Any]
) -> StreamingHttpResponse:
    """Every record of the drill-down (not one page), streamed."""
    writer = csv.writer(_Echo())

    def lines() -> Iterable[str]:
        yield "\ufeff" + writer.writerow([str(c.label) for c in listing.columns])
        for record in records.iterator(chunk_size=2000):
            yield writer.writerow(
                [neutralise(_plain(column.value(record))) for column in listing.columns]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    name = f"{indicator.code}-{year}-{scope.replace(':', '-')}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    return value
