"""Every indicator for every year and scope, from one aggregate query per source.

Each source is scanned once and grouped at the finest grain, district × pole × year: at most
a few thousand rows whatever the number of records. Those cells are then summed into the city, each
district and each pole in Python. One query per scope would scan the large tables 43 times;
``GROUPING SETS`` over the same rows measured 3.5–5× slower than this (DESIGN §5).

Summing cells is exact because every record falls in exactly one cell: its district and pole
are single columns. Distinct counts (organisations with a certificate) are counted distinct
*within* a cell, and an organisation cannot appear in two cells, so they add up too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import F, QuerySet

from projects.models import District, Pole

from .catalogue import CATALOGUE, Indicator
from .scopes import CITY, district_scope, pole_scope, year_end
from .sources import EventSource, Metric, Source, StockSource, get_sources

StepCallback = Callable[[str], None]
Number = int | Decimal
# (metric, scope, year) -> total over the cells of that scope and year
Totals = dict[tuple[str, str, int], Number]

# Memory each hash or sort of an aggregate query may use; the cells are a few thousand groups,
# the headroom is for the planner's overestimate.
AGGREGATE_WORK_MEM = "64MB"

_DISTRICTS = frozenset(District.values)
_POLES = frozenset(Pole.values)


# Named tuples rather than dataclasses: a run builds some 10,000 of them, and tuple creation
# is several times cheaper.
class ComputedValue(NamedTuple):
    code: str
    year: int
    scope: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None


class Cell(NamedTuple):
    district: str | None
    pole: str | None
    year: int
    # Counts stay int and sums Decimal, as the database returns them.
    metrics: dict[str, Number]


def source_cells(source: Source, *, years: range) -> list[Cell]:
    """One aggregate query: the source's metrics per district × pole × year."""
    if isinstance(source, StockSource):
        return _stock_cells(source, years=years)
    if isinstance(source, EventSource):
        return _event_cells(source, years=years)
    raise TypeError(f"no aggregation for {type(source).__name__}")


def _event_cells(source: EventSource, *, years: range) -> list[Cell]:
    queryset = (
        source.model._default_manager.filter(source.where, source.in_years(years))
        .annotate(cell_year=source.year_expression(years))
        .values("cell_year", **source.cell_keys())
        .annotate(**{name: metric.aggregate() for name, metric in source.metrics.items()})
        .order_by()
    )
    rows = _fetch(queryset, hashed=True)
    return [
        Cell(
            district=row.get("cell_district"),
            pole=row.get("cell_pole"),
            year=int(row["cell_year"]),
            metrics={name: row[name] or 0 for name in source.metrics},
        )
        for row in rows
    ]


def _stock_cells(source: StockSource, *, years: range) -> list[Cell]:
    # A certificate valid for three years counts in each of them, so rows cannot be grouped
    # by one year: each (metric, year) is a conditional aggregate of the same scan.
    queryset = source.model._default_manager.filter(
        source.where, source.active_during(year_end(years[0]), year_end(years[-1]))
    )
    keys = source.cell_keys()
    if source.split:
        # Split by kind: one aggregate per year, the grouping tells the metrics apart (half
        # the conditional aggregates of one per metric and year: ~20 % faster).
        metric_of = {metric.split_value: name for name, metric in source.metrics.items()}
        shape = next(iter(source.metrics.values()))
        counted = Metric(shape.kind, shape.field)
        rows = _fetch(
            queryset.filter(**{f"{source.split}__in": list(metric_of)})
            .values(cell_split=F(source.split), **keys)
            .annotate(
                **{
                    f"y{year}": counted.aggregate(also=source.active_on(year_end(year)))
                    for year in years
                }
            )
            .order_by(),
            hashed=False,
        )
        return [
            Cell(
                district=row.get("cell_district"),
                pole=row.get("cell_pole"),
                year=year,
                metrics={metric_of[row["cell_split"]]: row[f"y{year}"] or 0},
            )
            for row in rows
            for year in years
        ]
    rows = _fetch(
        queryset.values(**keys)
        .annotate(
            **{
                f"{name}_y{year}": metric.aggregate(also=source.active_on(year_end(year)))
                for name, metric in source.metrics.items()
                for year in years
            }
        )
        .order_by(),
        hashed=False,
    )
    return [
        Cell(
            district=row.get("cell_district"),
            pole=row.get("cell_pole"),
            year=year,
            metrics={name: row[f"{name}_y{year}"] or 0 for name in source.metrics},
        )
        for row in rows
        for year in years
    ]


def _fetch(queryset: QuerySet[Any], *, hashed: bool) -> list[dict[str, Any]]:
    """Run one aggregate query; on PostgreSQL, give hashed groupings room to hash.

    The planner cannot estimate how many district × pole × year groups an event source has (a
    few thousand) and assumes ~100,000; with the default 4 MB ``work_mem`` it then sorts the
    million contracts on disk instead of hashing them, three times slower. ``SET LOCAL`` ends
    with the query's own short transaction, so progress updates between queries stay
    visible. Stock sources count distinct organisations, which PostgreSQL does by sorting; more
    memory measured slower there, so they keep the default.
    """
    if not hashed or connection.vendor != "postgresql":
        return list(queryset)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{AGGREGATE_WORK_MEM}'")
        return list(queryset)


def roll_up(cells: Iterable[Cell]) -> Totals:
    """Sum cells into the city, their district and their pole.

    A cell whose district or pole is blank or unknown still counts for the city.
    """
    totals: Totals = {}
    scopes_of: dict[tuple[str | None, str | None], tuple[str, ...]] = {}
    for district, pole, year, metrics in cells:
        scopes = scopes_of.get((district, pole))
        if scopes is None:
            scopes = (CITY,)
            if district in _DISTRICTS:
                scopes += (district_scope(district),)
            if pole in _POLES:
                scopes += (pole_scope(pole),)
            scopes_of[district, pole] = scopes
        for name, amount in metrics.items():
            for scope in scopes:
                key = (name, scope, year)
                totals[key] = totals.get(key, 0) + amount
    return totals


def indicator_figures(indicator: Indicator, *, totals: Totals, years: range) -> list[ComputedValue]:
    """Every (year, scope) figure of one indicator; absent cells are zero."""
    figures = []
    for scope in indicator.scopes():
        for year in years:
            if indicator.is_ratio:
                numerator = totals.get((indicator.numerator, scope, year), 0)
                denominator: Number | None = totals.get((indicator.denominator, scope, year), 0)
            else:
                numerator = totals.get((indicator.metric, scope, year), 0)
                denominator = None
            figures.append(
                ComputedValue(
                    indicator.code,
                    year,
                    scope,
                    *indicator.figure(numerator=numerator, denominator=denominator),
                )
            )
    return figures


def compute_values(*, years: range, on_step: StepCallback | None = None) -> list[ComputedValue]:
    """Every indicator of the catalogue, for ``years`` and every scope.

    Issues one query per source (eight in all) and touches no row in Python. ``on_step`` is
    called with the source's name after each query, for progress reporting.
    """
    needed = {indicator.source for indicator in CATALOGUE}
    totals_by_source: dict[str, Totals] = {}
    for name, source in get_sources().items():
        if name not in needed:
            continue
        totals_by_source[name] = roll_up(source_cells(source, years=years))
        if on_step is not None:
            on_step(name)
    values: list[ComputedValue] = []
    for indicator in CATALOGUE:
        values.extend(
            indicator_figures(indicator, totals=totals_by_source[indicator.source], years=years)
        )
    return values


def source_names() -> list[str]:
    needed = {indicator.source for indicator in CATALOGUE}
    return [name for name in get_sources() if name in needed]
