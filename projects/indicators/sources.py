"""The record sets indicators are computed from, defined once for computation and lineage.

A source says which rows of a model count, how they fall into years and scopes, and which
figures (metrics) it yields per cell. The run aggregates each source once, grouped at the finest
grain (district × pole × year); lineage filters the same rows for one year and scope. Both read
the definitions here, so a drill-down always lists exactly the rows behind the figure.

Two kinds of source:

- an *event* source counts what happened in a year (a contract registered, a project approved);
  its rows are grouped by the year of a date or year column;
- a *stock* source counts what was in force on 31 December (a certificate, a platform); a row
  can count in several years, so the run evaluates one conditional aggregate per year instead,
  or, to count distinct organisations, one bit mask of years per organisation
  (``InForceYears``).
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, reduce
from typing import Any, Literal

from django.db import models
from django.db.models import Count, Exists, F, OrderBy, OuterRef, Q, QuerySet, Sum, Window
from django.db.models.expressions import Star
from django.db.models.functions import RowNumber
from django.db.models.lookups import LessThan

from projects.clock import BUREAU_TIME_ZONE
from projects.models import (
    Bottleneck,
    Certification,
    FundingAllocation,
    InnovationPlatform,
    Organization,
    ProjectParticipant,
    ResearchProject,
    TechnicalNeed,
    TransferContract,
    YearlyStatistic,
)
from projects.models.needs import PUBLISHED_STATES

from .scopes import PLAN_PERIODS, Scope, count_day

MetricKind = Literal["count", "count_distinct", "sum"]


class CountRows(models.Aggregate):
    """``COUNT(*)``, with an optional ``FILTER (WHERE ...)``.

    Django refuses ``Count("*", filter=...)`` because its fallback for databases without
    ``FILTER`` would be invalid SQL; PostgreSQL and SQLite both support ``FILTER``. Counting
    rows rather than a column keeps index-only scans possible (``COUNT(id)`` must read ``id``).
    """

    function = "COUNT"
    name = "CountRows"
    output_field = models.BigIntegerField()
    empty_result_set_value = 0

    def __init__(self, *, filter: Q | None = None) -> None:
        super().__init__(Star(), filter=filter)


class YearOf(models.Func):
    """The year of a date or timestamp known to fall within ``years``.

    On PostgreSQL ``first year + WIDTH_BUCKET(column, <1 January of each later year>)``: one
    binary search per row, where ``EXTRACT`` returns ``numeric`` (slow to build and to hash
    for a million rows) and a ``CASE`` tests up to one boundary per year. Elsewhere the
    ``CASE``. Timestamps are cut at midnight Beijing time (``projects.clock``), whatever
    settings.TIME_ZONE is: the bureau's year is Chongqing's.
    """

    output_field = models.IntegerField()

    def __init__(self, expression: Any, *, years: range, timestamp: bool) -> None:
        self.years = years
        self.boundary_field: models.DateField[Any, Any] = (
            models.DateTimeField() if timestamp else models.DateField()
        )
        self.boundaries = [_year_start(year, timestamp=timestamp) for year in years[1:]]
        super().__init__(expression)

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list[Any]]:
        column = self.source_expressions[0]
        case = models.Case(
            *(
                models.When(
                    LessThan(column, models.Value(boundary, output_field=self.boundary_field)),
                    then=models.Value(year),
                )
                for year, boundary in zip(self.years, self.boundaries, strict=False)
            ),
            default=models.Value(self.years[-1]),
            output_field=models.IntegerField(),
        )
        return compiler.compile(case)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.source_expressions[0])
        return f"({self.years[0]} + WIDTH_BUCKET({column}, %s))", [*params, self.boundaries]


class InForceYears(models.Aggregate):
    """A bit mask of the days (31 December of each year) on which some row of the group is in
    force, for rows in force from ``start`` to ``end``, both inclusive: bit ``k`` is set when
    ``days[k]`` is covered.

    One aggregate instead of one per day, and unlike ``COUNT(DISTINCT)`` it hashes and runs in
    parallel: grouping by the counted value (an organisation) gives that value's years, and
    counting the groups with bit ``k`` set counts distinct values for ``days[k]``.

    PostgreSQL: ``BIT_OR`` of each row's run of bits, from two binary searches of the days.
    Elsewhere: the sum over the days of ``MAX(<in force on that day> ? 2**k : 0)``.
    """

    name = "InForceYears"
    output_field = models.BigIntegerField()
    empty_result_set_value = 0

    def __init__(self, start: str, end: str, *, days: tuple[datetime.date, ...]) -> None:
        if len(days) > 62:
            raise ValueError("a bit mask holds at most 62 days")
        self.days = days
        super().__init__(F(start), F(end))

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list[Any]]:
        start, start_params = compiler.compile(self.source_expressions[0])
        end, end_params = compiler.compile(self.source_expressions[1])
        sqls, params = [], []
        for bit, day in enumerate(self.days):
            sqls.append(f"MAX(CASE WHEN {start} <= %s AND {end} >= %s THEN {1 << bit} ELSE 0 END)")
            params += [*start_params, connection.ops.adapt_datefield_value(day)]
            params += [*end_params, connection.ops.adapt_datefield_value(day)]
        return "(" + " + ".join(sqls) + ")", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        # Bits [first day on or after start, last day on or before end]; start <= end is a
        # constraint, so the difference is never negative.
        start, start_params = compiler.compile(self.source_expressions[0])
        end, end_params = compiler.compile(self.source_expressions[1])
        sql = (
            f"BIT_OR((1::bigint << WIDTH_BUCKET({end}, %s))"
            f" - (1::bigint << WIDTH_BUCKET({start} - 1, %s)))"
        )
        return sql, [*end_params, list(self.days), *start_params, list(self.days)]


@dataclass(frozen=True)
class Metric:
    """One figure a source yields per cell: a row count, a distinct count or a sum.

    ``where`` narrows the source's rows for this metric only (conditional aggregation: every
    metric of a source comes out of the same scan). ``representative`` orders the rows of one
    counted value so lineage lists one row for it (the latest certificate of an organisation).
    """

    kind: MetricKind
    field: str = ""
    where: Q | None = None
    representative: tuple[str, ...] = ("-pk",)
    # In a source split by a column, the value of that column this metric counts.
    split_value: str = ""

    def aggregate(self, *, also: Q | None = None) -> models.Aggregate:
        condition = _conjoin(self.where, also)
        if self.kind == "count":
            return CountRows(filter=condition)
        if self.kind == "count_distinct":
            return Count(self.field, distinct=True, filter=condition)
        return Sum(self.field, filter=condition)

    def records(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The rows behind this metric within ``queryset``; one per value for distinct counts."""
        if self.where is not None:
            queryset = queryset.filter(self.where)
        if self.kind == "count_distinct":
            # One ranking of the rows by value (a window function, a single sort) rather than
            # a correlated subquery per row: 75,000 certificates took a minute that way.
            first_of_value = (
                queryset.annotate(
                    value_rank=Window(
                        RowNumber(),
                        partition_by=[F(self.field)],
                        order_by=[_ordering(name) for name in self.representative],
                    )
                )
                .filter(value_rank=1)
                .values("pk")
            )
            queryset = queryset.model._default_manager.filter(pk__in=first_of_value)
        return queryset

    def total(self, rows: QuerySet[Any]) -> Decimal:
        """What :meth:`records` of ``rows`` adds up to, in one aggregate over ``rows``: a
        distinct count counts the values instead of ranking every row."""
        if self.where is not None:
            rows = rows.filter(self.where)
        if self.kind == "count_distinct":
            counted = rows.aggregate(total=Count(self.field, distinct=True))["total"]
            return Decimal(counted or 0)
        return self.measure(rows)

    def measure(self, records: QuerySet[Any]) -> Decimal:
        """The figure ``records`` (from :meth:`records`) add up to."""
        if self.kind == "sum":
            total = records.aggregate(total=Sum(self.field))["total"]
            return Decimal(total or 0)
        return Decimal(records.count())


@dataclass(frozen=True)
class Source:
    name: str
    model: type[models.Model]
    where: Q
    metrics: Mapping[str, Metric]
    # Lookup paths to the scope columns; None for city-wide inputs (yearly statistics).
    district: str | None
    pole: str | None

    def scoped(self, queryset: QuerySet[Any], scope: Scope) -> QuerySet[Any]:
        if scope.kind == "city":
            return queryset
        path = self.district if scope.kind == "district" else self.pole
        if path is None:
            raise ValueError(f"{self.name} is only counted for the whole city")
        return queryset.filter(**{path: scope.code})

    def cell_keys(self) -> dict[str, F]:
        keys: dict[str, F] = {}
        if self.district:
            keys["cell_district"] = F(self.district)
        if self.pole:
            keys["cell_pole"] = F(self.pole)
        return keys

    def records(self, *, year: int, scope: Scope) -> QuerySet[Any]:
        raise NotImplementedError


@dataclass(frozen=True)
class EventSource(Source):
    """Rows that count in the year of ``year_field`` (a date, a timestamp or a year number)."""

    year_field: str = ""
    year_is_date: bool = True

    def in_years(self, years: range) -> Q:
        if self.is_timestamp:
            # Not ``__year``: it cuts years at midnight in the current time zone.
            return Q(
                **{
                    f"{self.year_field}__gte": _year_start(years[0], timestamp=True),
                    f"{self.year_field}__lt": _year_start(years[-1] + 1, timestamp=True),
                }
            )
        lookup = f"{self.year_field}__year" if self.year_is_date else self.year_field
        return Q(**{f"{lookup}__gte": years[0], f"{lookup}__lte": years[-1]})

    def in_year(self, year: int) -> Q:
        if self.is_timestamp:
            return self.in_years(range(year, year + 1))
        lookup = f"{self.year_field}__year" if self.year_is_date else self.year_field
        return Q(**{lookup: year})

    @property
    def is_timestamp(self) -> bool:
        return self.year_is_date and isinstance(
            self.model._meta.get_field(self.year_field), models.DateTimeField
        )

    def year_expression(self, years: range) -> F | models.Expression:
        """The year of a row already filtered by :meth:`in_years`."""
        if not self.year_is_date:
            return F(self.year_field)
        return YearOf(F(self.year_field), years=years, timestamp=self.is_timestamp)

    def records(self, *, year: int, scope: Scope) -> QuerySet[Any]:
        queryset = self.model._default_manager.filter(self.where, self.in_year(year))
        return self.scoped(queryset, scope)

    def records_in(self, *, years: range, scope: Scope) -> QuerySet[Any]:
        """The rows of ``years`` (consecutive) in ``scope``: a plan period's records."""
        queryset = self.model._default_manager.filter(self.where, self.in_years(years))
        return self.scoped(queryset, scope)


@dataclass(frozen=True)
class StockSource(Source):
    """Rows in force on a date: ``active_on(day)``; ``active_during(first, last)`` is the
    cheap pre-filter keeping rows in force on any day of the range."""

    active_on: Callable[[datetime.date], Q] = field(default=lambda day: Q())
    active_during: Callable[[datetime.date, datetime.date], Q] = field(
        default=lambda first, last: Q()
    )
    # The fields bounding each row's validity, both days included; when given, they define
    # active_on and active_during.
    validity: tuple[str, str] | None = None
    # A column the metrics are told apart by (each metric names its ``split_value``) instead
    # of a filter per metric. Split metrics count distinct values of one field, by the years
    # each value is in force (``InForceYears`` over ``validity``).
    split: str = ""

    def __post_init__(self) -> None:
        if self.validity:
            start, end = self.validity
            object.__setattr__(
                self, "active_on", lambda day: Q(**{f"{start}__lte": day, f"{end}__gte": day})
            )
            object.__setattr__(
                self,
                "active_during",
                lambda first, last: Q(**{f"{end}__gte": first, f"{start}__lte": last}),
            )
        if self.split:
            shapes = {(m.kind, m.field) for m in self.metrics.values()}
            if (
                len(shapes) != 1
                or next(iter(shapes))[0] != "count_distinct"
                or not all(
                    m.split_value and m.where == Q(**{self.split: m.split_value})
                    for m in self.metrics.values()
                )
                or not self.validity
                or not all(
                    path and path.startswith(f"{self.counted_field}__")
                    for path in (self.district, self.pole)
                )
            ):
                raise ValueError(
                    f"{self.name}: split metrics count distinct values of one field, each "
                    "metric for its split value (and filtered by it, for lineage), over the "
                    "source's validity, and the scope columns are the counted value's"
                )

    @property
    def counted_field(self) -> str:
        """The field split metrics count distinct values of."""
        return next(iter(self.metrics.values())).field

    def records(self, *, year: int, scope: Scope) -> QuerySet[Any]:
        queryset = self.model._default_manager.filter(self.where, self.active_on(count_day(year)))
        return self.scoped(queryset, scope)


def _year_start(year: int, *, timestamp: bool) -> datetime.date | datetime.datetime:
    day = datetime.date(year, 1, 1)
    if not timestamp:
        return day
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=BUREAU_TIME_ZONE)


def _ordering(name: str) -> OrderBy:
    return F(name[1:]).desc() if name.startswith("-") else F(name).asc()


def _in_the_same_plan(date_field: str, other_field: str) -> Q:
    """Both dates fall in the same five-year plan."""
    return reduce(
        operator.or_,
        (
            Q(
                **{
                    f"{date_field}__year__gte": first,
                    f"{date_field}__year__lte": last,
                    f"{other_field}__year__gte": first,
                    f"{other_field}__year__lte": last,
                }
            )
            for _number, first, last in PLAN_PERIODS
        ),
    )


def _conjoin(first: Q | None, second: Q | None) -> Q | None:
    if first is None:
        return second
    if second is None:
        return first
    return first & second


def _open_on(day: datetime.date) -> Q:
    return Q(established_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


@cache
def get_sources() -> dict[str, Source]:
    """Every source by name (built on first use: the querysets need the app registry)."""
    enterprise = Organization.Kind.ENTERPRISE
    enterprise_participant = Exists(
        ProjectParticipant.objects.filter(project=OuterRef("pk"), organization__kind=enterprise)
    )
    sources: list[Source] = [
        EventSource(
            name="contracts",
            model=TransferContract,
            # Cancelled contracts leave the figures; their registration date stays on the row.
            where=Q(state=TransferContract.State.REGISTERED),
            year_field="registered_on",
            # The seller's district and pole, copied onto the contract (no join per scan).
            district="district",
            pole="pole",
            metrics={
                "count": Metric("count"),
                "amount": Metric("sum", "contract_amount"),
                "tech_amount": Metric("sum", "technology_transaction_amount"),
            },
        ),
        StockSource(
            name="certifications",
            model=Certification,
            where=Q(),
            district="organization__district",
            pole="organization__pole",
            validity=("valid_from", "valid_until"),
            split="kind",
            # Distinct organisations: a renewed certificate can overlap the old one. An
            # organisation has one district and one pole, so it falls in exactly one cell and
            # the per-cell distinct counts add up exactly to pole and city.
            metrics={
                "high_tech": Metric(
                    "count_distinct",
                    "organization",
                    where=Q(kind=Certification.Kind.HIGH_TECH),
                    representative=("-valid_until", "-pk"),
                    split_value=Certification.Kind.HIGH_TECH,
                ),
                "tech_enterprise": Metric(
                    "count_distinct",
                    "organization",
                    where=Q(kind=Certification.Kind.TECH_ENTERPRISE),
                    representative=("-valid_until", "-pk"),
                    split_value=Certification.Kind.TECH_ENTERPRISE,
                ),
            },
        ),
        StockSource(
            name="platforms",
            model=InnovationPlatform,
            where=Q(
                level__in=[InnovationPlatform.Level.NATIONAL, InnovationPlatform.Level.MUNICIPAL]
            ),
            district="host__district",
            pole="pole",
            active_on=_open_on,
            active_during=lambda first, last: (
                Q(established_on__lte=last) & (Q(closed_on__isnull=True) | Q(closed_on__gt=first))
            ),
            metrics={"count": Metric("count")},
        ),
        EventSource(
            name="projects",
            model=ResearchProject,
            # A project terminated after approval keeps its approval date and still counts.
            where=~Q(state=ResearchProject.State.PROPOSED),
            year_field="approved_on",
            district="lead__district",
            pole="pole",
            metrics={
                "approved": Metric("count"),
                "enterprise_led": Metric("count", where=Q(lead__kind=enterprise)),
                "enterprise_involved": Metric(
                    "count", where=Q(lead__kind=enterprise) | Q(enterprise_participant)
                ),
            },
        ),
        EventSource(
            name="bottlenecks",
            model=Bottleneck,
            where=Q(state=Bottleneck.State.RESOLVED),
            year_field="resolved_on",
            # The resolving project's lead places it in a district; without a recorded
            # project it counts for its pole and the city only.
            district="resolved_by__lead__district",
            pole="pole",
            metrics={
                "resolved": Metric("count"),
                "resolved_by_plan_project": Metric(
                    "count", where=_in_the_same_plan("resolved_on", "resolved_by__approved_on")
                ),
            },
        ),
        EventSource(
            name="needs",
            model=TechnicalNeed,
            # Accepted by the bureau: published, or later.
            where=Q(state__in=PUBLISHED_STATES),
            year_field="published_at",
            district="proposer__district",
            pole="pole",
            metrics={
                "accepted": Metric("count"),
                "enterprise": Metric("count", where=Q(proposer__kind=enterprise)),
            },
        ),
        EventSource(
            name="funding",
            model=FundingAllocation,
            where=Q(),
            year_field="year",
            year_is_date=False,
            # Money is placed where it goes (the receiving organisation's district), in the
            # pole of the project it funds.
            district="organization__district",
            pole="project__pole",
            metrics={
                "public": Metric("sum", "amount", where=Q(source=FundingAllocation.Source.PUBLIC)),
                "public_enterprise": Metric(
                    "sum",
                    "amount",
                    where=Q(source=FundingAllocation.Source.PUBLIC, organization__kind=enterprise),
                ),
                "all": Metric("sum", "amount"),
                "self_raised_enterprise": Metric(
                    "sum",
                    "amount",
                    where=Q(
                        source=FundingAllocation.Source.SELF_RAISED,
                        organization__kind=enterprise,
                    ),
                ),
            },
        ),
        EventSource(
            name="statistics",
            model=YearlyStatistic,
            where=Q(),
            year_field="year",
            year_is_date=False,
            district=None,
            pole=None,
            metrics={
                "rd_expenditure": Metric("sum", "rd_expenditure"),
                "gdp": Metric("sum", "gdp"),
                "invention_patents": Metric("sum", "invention_patents"),
                "population": Metric("sum", "population"),
            },
        ),
    ]
    return {source.name: source for source in sources}
