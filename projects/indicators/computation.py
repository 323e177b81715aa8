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

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection, models, transaction
from django.db.models import F, QuerySet

from projects.models import District, Pole

from .catalogue import CATALOGUE, Indicator
from .scopes import CITY, count_day, district_scope, pole_scope
from .sources import EventSource, InForceYears, Source, StockSource, get_sources

StepCallback = Callable[[str], None]
Number = int | Decimal
# (metric, scope, year) -> total over the cells of that scope and year
Totals = dict[tuple[str, str, int], Number]

# Session settings for the aggregate queries on PostgreSQL (see aggregate_session).
AGGREGATE_SETTINGS = {
    # The cells are a few thousand groups; the headroom is for the planner's overestimate.
    "work_mem": "'64MB'",
    "parallel_setup_cost": "10",
    "parallel_tuple_cost": "0.001",
    "random_page_cost": "1.1",
}

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
    rows = _fetch(queryset)
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
    if source.split:
        return _distinct_stock_cells(source, years=years)
    # A platform open for three years counts in each of them, so rows cannot be grouped by one
    # year: each (metric, year) is a conditional aggregate of the same scan.
    rows = _fetch(
        source.model._default_manager.filter(
            source.where, source.active_during(count_day(years[0]), count_day(years[-1]))
        )
        .values(**source.cell_keys())
        .annotate(
            **{
                f"{name}_y{year}": metric.aggregate(also=source.active_on(count_day(year)))
                for name, metric in source.metrics.items()
                for year in years
            }
        )
        .order_by(),
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


def _distinct_stock_cells(source: StockSource, *, years: range) -> list[Cell]:
    """Distinct values (organisations) in force on 31 December, per split value, cell and year.

    Two levels in one query: the ORM groups the rows by split value and counted value, with
    the years each value is in force as a bit mask (``InForceYears``); the outer query counts
    those groups per cell and year, joining the counted value's row for its district and pole
    (after the grouping: one join per organisation, not per certificate). Django cannot
    aggregate over an aggregate, so the outer level is written here, around the ORM's SQL.
    """
    days = tuple(count_day(year) for year in years)
    metric_of = {metric.split_value: name for name, metric in source.metrics.items()}
    # Checked by StockSource: split sources have a validity and scope columns on the counted
    # value, a foreign key.
    assert source.validity is not None and source.district and source.pole
    counted = source.model._meta.get_field(source.counted_field)
    assert isinstance(counted, models.ForeignKey)
    per_value = (
        source.model._default_manager.filter(
            source.where,
            source.active_during(days[0], days[-1]),
            **{f"{source.split}__in": list(metric_of)},
        )
        .values(cell_split=F(source.split), counted_value=F(counted.name))
        .annotate(in_force=InForceYears(*source.validity, days=days))
        .order_by()
    )
    inner_sql, params = per_value.query.sql_with_params()
    related_model = counted.related_model
    assert isinstance(related_model, type)  # not "self": resolved when the models loaded
    related = related_model._meta
    quote = connection.ops.quote_name
    prefix = f"{counted.name}__"
    district = column_of(related_model, source.district.removeprefix(prefix))
    pole = column_of(related_model, source.pole.removeprefix(prefix))
    counts = ", ".join(
        f"COUNT(*) FILTER (WHERE per_value.in_force & {1 << bit} <> 0)" for bit in range(len(days))
    )
    # Identifiers from the models' metadata, quoted; every value is a bound parameter.
    sql = (
        f"SELECT per_value.cell_split, counted.{quote(district)}, "  # noqa: S608
        f"counted.{quote(pole)}, {counts} "
        f"FROM ({inner_sql}) AS per_value "
        f"JOIN {quote(related.db_table)} AS counted "
        f"ON counted.{quote(related.pk.column)} = per_value.counted_value "
        "GROUP BY 1, 2, 3"
    )
    with aggregate_session() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        Cell(district=row_district, pole=row_pole, year=year, metrics={metric_of[split]: count})
        for split, row_district, row_pole, *counts_by_year in rows
        for year, count in zip(years, counts_by_year, strict=True)
    ]


def column_of(model: type[models.Model], name: str) -> str:
    """The column of ``model``'s concrete field ``name``."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column is not None
    return field.column


@contextmanager
def aggregate_session() -> Iterator[Any]:
    """A cursor for one aggregate query; on PostgreSQL, in a short transaction whose
    ``SET LOCAL`` settings suit aggregates over large tables.

    - ``work_mem``: the planner cannot estimate how many district × pole × year groups there
      are (a few thousand) and assumes ~100,000; with the default 4 MB it then sorts a million
      contracts on disk instead of hashing them, three times slower.
    - Cheaper parallel workers: the default costs keep a million-row aggregate on one core,
      about twice as slow as two workers each aggregating half.
    - ``random_page_cost`` for data in memory rather than on a spinning disk: the planner then
      reads the covering index of contracts (a third of the table) instead of the table.

    The settings end with the transaction, so progress updates between queries stay visible.
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "; ".join(f"SET LOCAL {name} = {value}" for name, value in AGGREGATE_SETTINGS.items())
        )
        yield cursor


def _fetch(queryset: QuerySet[Any]) -> list[dict[str, Any]]:
    """Run one aggregate queryset in an aggregate session."""
    with aggregate_session():
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
            elif indicator.plan_period:
                # The plan so far; its years before the run's first are not known.
                numerator = sum(
                    (
                        totals.get((indicator.metric, scope, summed), 0)
                        for summed in indicator.years_summed(year)
                    ),
                    start=0,
                )
                denominator = None
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
    sources = get_sources()
    totals_by_source: dict[str, Totals] = {}
    for name in source_names():
        totals_by_source[name] = roll_up(source_cells(sources[name], years=years))
        if on_step is not None:
            on_step(name)
    values: list[ComputedValue] = []
    for indicator in CATALOGUE:
        values.extend(
            indicator_figures(indicator, totals=totals_by_source[indicator.source], years=years)
        )
    return values


def source_names() -> list[str]:
    """The sources the catalogue reads, in query order (the run's progress steps)."""
    needed = {indicator.source for indicator in CATALOGUE}
    return [name for name in get_sources() if name in needed]
