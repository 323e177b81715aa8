"""Reads of stored indicator values for the report pages, the API and exports."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from django.db.models import Max, QuerySet

from projects import clock
from projects.models import IndicatorRevision, IndicatorRun, IndicatorValue, PublishedFigure

from .catalogue import CATALOGUE, Indicator, get_indicator, multiple
from .scopes import CITY, FIRST_YEAR, current_year, is_year_to_date, parse_scope
from .sources import EventSource, get_sources


def latest_successful_run() -> IndicatorRun | None:
    return (
        IndicatorRun.objects.filter(status=IndicatorRun.Status.SUCCEEDED)
        .order_by("-finished_at", "-id")
        .first()
    )


def run_values(
    *, run: IndicatorRun, year: int | None = None, scope: str | None = None
) -> QuerySet[IndicatorValue]:
    values = run.values.order_by("code", "year", "scope")
    if year is not None:
        values = values.filter(year=year)
    if scope is not None:
        values = values.filter(scope=scope)
    return values


def value_multiple_of_base(
    *, run: IndicatorRun, code: str, year: int, scope: str
) -> Decimal | None:
    """``code``'s value in ``year`` as a multiple of its base-year value, from two stored
    values of the same run (one query)."""
    base_year = get_indicator(code).base_year(year)
    if base_year is None:
        return None
    stored = dict(
        run.values.filter(code=code, scope=scope, year__in=[year, base_year]).values_list(
            "year", "value"
        )
    )
    return multiple(value=stored.get(year), base=stored.get(base_year))


def latest_record_day() -> datetime.date | None:
    """The day of the latest dated event the figures count (a contract registered, a need
    published, ...); None without any. One small query per event source."""
    days = []
    for source in get_sources().values():
        if not isinstance(source, EventSource) or not source.year_is_date:
            continue
        latest = source.model._default_manager.filter(source.where).aggregate(
            latest=Max(source.year_field)
        )["latest"]
        if isinstance(latest, datetime.datetime):
            latest = clock.day_of(latest)
        if latest is not None:
            days.append(latest)
    return max(days, default=None)


def latest_complete_year() -> int:
    """The latest year that is over both on the calendar and in the records: the year before
    the current one, or before the year of the latest record when the records stop earlier
    (a data set fixed on 30 January 2026 is complete up to 2025 whatever the date today)."""
    latest = latest_record_day()
    last_year = current_year() if latest is None else min(current_year(), latest.year)
    return max(FIRST_YEAR, last_year - 1)


# --- The report: every figure of a year and scope, from stored values only -------------------

FigureStatus = Literal["provisional", "published", "revised"]


@dataclass(frozen=True)
class Figure:
    """One indicator's stored figure as the report shows it, with what makes it trustworthy:
    its base-year multiple, target, publication status and run."""

    indicator: Indicator
    year: int
    scope: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    base_year: int | None
    base_value: Decimal | None
    multiple: Decimal | None
    target_met: bool | None
    status: FigureStatus
    published_value: Decimal | None
    year_to_date: bool


@dataclass(frozen=True)
class Report:
    run: IndicatorRun | None
    year: int
    scope: str
    figures: dict[str, Figure]
    # code -> [(year, value)] from FIRST_YEAR to the current year, in the report's scope
    trends: dict[str, list[tuple[int, Decimal | None]]] = field(default_factory=dict)
    # code -> {scope: value} of the year, districts and poles (of the one code asked for)
    breakdowns: dict[str, dict[str, Decimal | None]] = field(default_factory=dict)
    published_at: datetime.datetime | None = None

    @property
    def computed_at(self) -> datetime.datetime | None:
        return self.run.finished_at if self.run else None


def report_read(
    *, year: int, scope: str, run: IndicatorRun | None = None, breakdowns_of: str | None = None
) -> Report:
    """The report for ``year`` in ``scope`` from the latest successful run (or ``run``).

    A fixed number of queries whatever the data: the run, its values in the scope (every year:
    the trend, the figure and its base year), the published figures of the year in the scope
    and, with ``breakdowns_of`` (a code), that indicator's values of the year in every district
    and pole. Nothing is recomputed.
    """
    parse_scope(scope)
    if run is None:
        run = latest_successful_run()
    if run is None:
        return Report(run=None, year=year, scope=scope, figures={})
    in_scope = {
        (code, value_year): (value, numerator, denominator)
        for code, value_year, value, numerator, denominator in run.values.filter(scope=scope)
        .order_by()
        .values_list("code", "year", "value", "numerator", "denominator")
    }
    published = {
        code: (value, published_at)
        for code, value, published_at in PublishedFigure.objects.filter(year=year, scope=scope)
        .order_by()
        .values_list("code", "value", "published_at")
    }
    years = list(range(FIRST_YEAR, max(current_year(), year) + 1))
    figures: dict[str, Figure] = {}
    trends: dict[str, list[tuple[int, Decimal | None]]] = {}
    for indicator in CATALOGUE:
        if scope not in indicator.scopes():
            continue
        stored = in_scope.get((indicator.code, year))
        value, numerator, denominator = stored or (None, None, None)
        base_year = indicator.base_year(year)
        base_value = None
        if base_year is not None and (indicator.code, base_year) in in_scope:
            base_value = in_scope[indicator.code, base_year][0]
        status: FigureStatus = "provisional"
        published_value = None
        if indicator.code in published:
            published_value = published[indicator.code][0]
            status = "published" if published_value == value else "revised"
        figures[indicator.code] = Figure(
            indicator=indicator,
            year=year,
            scope=scope,
            value=value,
            numerator=numerator,
            denominator=denominator,
            base_year=base_year,
            base_value=base_value,
            multiple=multiple(value=value, base=base_value),
            target_met=indicator.target.met_by(value) if indicator.target else None,
            status=status,
            published_value=published_value,
            year_to_date=is_year_to_date(year),
        )
        trends[indicator.code] = [
            (y, in_scope[indicator.code, y][0] if (indicator.code, y) in in_scope else None)
            for y in years
        ]
    by_scope: dict[str, dict[str, Decimal | None]] = {}
    if breakdowns_of is not None:
        for value_scope, value in (
            run.values.filter(code=breakdowns_of, year=year)
            .exclude(scope=CITY)
            .order_by()
            .values_list("scope", "value")
        ):
            by_scope.setdefault(breakdowns_of, {})[value_scope] = value
    return Report(
        run=run,
        year=year,
        scope=scope,
        figures=figures,
        trends=trends,
        breakdowns=by_scope,
        published_at=max((at for _v, at in published.values()), default=None),
    )


def run_active() -> IndicatorRun | None:
    """The run pending or running now, without sweeping (a read for a page)."""
    return (
        IndicatorRun.objects.filter(
            status__in=[IndicatorRun.Status.PENDING, IndicatorRun.Status.RUNNING]
        )
        .order_by("-created_at", "-id")
        .first()
    )


def publication_preview(*, run: IndicatorRun, year: int) -> QuerySet[IndicatorValue]:
    """The values a publication of ``year`` from ``run`` would freeze."""
    return run.values.filter(year=year).order_by("code", "scope")


def revisions_of(*, year: int | None = None) -> QuerySet[IndicatorRevision]:
    """Revisions recorded against published figures, newest first, with who published."""
    revisions = IndicatorRevision.objects.select_related("run", "run__actor").order_by(
        "-created_at", "-id"
    )
    if year is not None:
        revisions = revisions.filter(year=year)
    return revisions


def published_years() -> dict[int, datetime.datetime]:
    """Each published year and when it was last published."""
    return dict(
        PublishedFigure.objects.order_by()
        .values("year")
        .annotate(at=Max("published_at"))
        .values_list("year", "at")
    )
