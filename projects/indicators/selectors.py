"""Reads of stored indicator values for the report pages, the API and exports."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from projects.models import IndicatorRun, IndicatorValue

from .catalogue import get_indicator, multiple


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
    base_year = get_indicator(code).base_year
    stored = dict(
        run.values.filter(code=code, scope=scope, year__in=[year, base_year]).values_list(
            "year", "value"
        )
    )
    return multiple(value=stored.get(year), base=stored.get(base_year))
