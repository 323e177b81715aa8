"""Reads of stored indicator values for the report pages, the API and exports."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Max, QuerySet

from projects import clock
from projects.models import IndicatorRun, IndicatorValue

from .catalogue import get_indicator, multiple
from .scopes import FIRST_YEAR, current_year
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
