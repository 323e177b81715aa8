"""The bureau's indicators, each named once.

An entry says what the figure means (label, unit, definition, the population it covers, base
year, target), how it is computed (a metric of a source, or a ratio of two metrics of the same
source) and, through the same source, which records lie behind it (see ``lineage``).

Codes are stable: stored values, the API and exports use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .scopes import CITY, PLAN_PERIODS, all_scopes, parse_scope
from .sources import EventSource, Metric, Source, get_sources

_CENT = Decimal("0.01")
_RATIO_QUANTUM = Decimal("0.000001")
_MULTIPLE_QUANTUM = Decimal("0.0001")


class Unit(models.TextChoices):
    YUAN = "yuan", _("yuan")
    COUNT = "count", _("number")
    FRACTION = "fraction", _("fraction (0.7 = 70 %)")
    PER_10K = "per_10k", _("per 10,000 residents")


@dataclass(frozen=True)
class Target:
    value: Decimal
    at_least: bool = True

    def met_by(self, value: Decimal | None) -> bool | None:
        if value is None:
            return None
        return value >= self.value if self.at_least else value <= self.value


@dataclass(frozen=True)
class Indicator:
    """One figure of the report.

    A plain figure reads ``metric``; a ratio reads ``numerator`` over ``denominator`` (both
    metrics of ``source``) times ``scale``. ``headline`` is False for the alternative
    definition of a figure (``variant_of`` names the headline one). A ``plan_period`` figure
    sums its metric over the years of the plan, from the plan's first year to the year of the
    value (the plan's total in its last year, the plan so far before).
    """

    code: str
    label: Promise
    unit: Unit
    definition: Promise
    population: Promise
    source: str
    metric: str = ""
    numerator: str = ""
    denominator: str = ""
    scale: Decimal = Decimal(1)
    target: Target | None = None
    city_only: bool = False
    variant_of: str = ""
    plan_period: bool = False

    def __post_init__(self) -> None:
        if self.plan_period and self.is_ratio:
            raise ValueError(f"{self.code}: plan-period figures are sums, not ratios")

    def base_year(self, year: int) -> int | None:
        """The year ``year``'s value is compared with: the base year of its plan (2020 for
        2021–2025, 2025 for 2026–2030); None for plan-period totals, which have no base."""
        if self.plan_period:
            return None
        return plan_base_year(year)

    def years_summed(self, year: int) -> range:
        """The years one value of ``year`` covers: the year itself, or for a plan-period
        figure the plan's years up to it."""
        if not self.plan_period:
            return range(year, year + 1)
        return range(plan_of(year)[1], year + 1)

    @property
    def headline(self) -> bool:
        """Whether this is the definition the report's headline uses."""
        return not self.variant_of

    @property
    def is_ratio(self) -> bool:
        return bool(self.denominator)

    @property
    def source_definition(self) -> Source:
        return get_sources()[self.source]

    def scopes(self) -> list[str]:
        return [CITY] if self.city_only else all_scopes()

    def metric_names(self) -> list[str]:
        return [self.numerator, self.denominator] if self.is_ratio else [self.metric]

    def figure(
        self, *, numerator: int | Decimal, denominator: int | Decimal | None
    ) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        """(value, numerator, denominator) as stored; a ratio over nothing has no value."""
        if denominator is None:
            if self.unit == Unit.YUAN:
                return Decimal(numerator).quantize(_CENT, ROUND_HALF_UP), None, None
            return Decimal(numerator), None, None
        numerator, denominator = Decimal(numerator), Decimal(denominator)
        if not denominator:
            return None, numerator, denominator
        value = (numerator * self.scale / denominator).quantize(_RATIO_QUANTUM, ROUND_HALF_UP)
        return value, numerator, denominator

    def lineage_metric(self, part: str | None = None) -> Metric:
        """The metric behind ``part``: ``value`` (default; the population for a ratio),
        ``numerator`` or ``denominator``."""
        if not self.is_ratio:
            if part not in (None, "value"):
                raise ValueError(f"{self.code} is not a ratio: it has no {part}")
            name = self.metric
        elif part == "numerator":
            name = self.numerator
        elif part in (None, "value", "denominator"):
            name = self.denominator
        else:
            raise ValueError(f"unknown lineage part {part!r}")
        return self.source_definition.metrics[name]

    def source_rows(self, *, year: int, scope: str) -> QuerySet[Any]:
        """The source's rows of ``year`` (or the plan's years) in ``scope``, before a metric
        narrows them."""
        parsed = parse_scope(scope)
        if self.city_only and scope != CITY:
            raise ValueError(f"{self.code} is only computed for the whole city")
        source = self.source_definition
        if self.plan_period:
            assert isinstance(source, EventSource)
            return source.records_in(years=self.years_summed(year), scope=parsed)
        return source.records(year=year, scope=parsed)

    def lineage(self, *, year: int, scope: str, part: str | None = None) -> QuerySet[Any]:
        metric = self.lineage_metric(part)
        return metric.records(self.source_rows(year=year, scope=scope))


_ENTERPRISE_SHARE_TARGET = Target(Decimal("0.70"))

CATALOGUE: tuple[Indicator, ...] = (
    Indicator(
        code="contract_volume",
        label=_("technology contract volume"),
        unit=Unit.YUAN,
        definition=_(
            "Sum of the contract amounts of technology contracts registered in the year "
            "(registration date in the year; contracts cancelled since are left out)."
        ),
        population=_(
            "Technology contracts registered with the bureau, placed in the seller's "
            "(technology provider's) district and innovation pole."
        ),
        source="contracts",
        metric="amount",
    ),
    Indicator(
        code="tech_transaction_amount",
        label=_("technology transaction amount"),
        unit=Unit.YUAN,
        definition=_(
            "Sum of the technology transaction amounts (contract amount less equipment, "
            "materials and other non-technical costs) of technology contracts registered in "
            "the year."
        ),
        population=_(
            "Technology contracts registered with the bureau, placed in the seller's "
            "district and innovation pole."
        ),
        source="contracts",
        metric="tech_amount",
    ),
    Indicator(
        code="contracts_registered",
        label=_("technology contracts registered"),
        unit=Unit.COUNT,
        definition=_("Number of technology contracts registered in the year and not cancelled."),
        population=_(
            "Technology contracts registered with the bureau, placed in the seller's "
            "district and innovation pole."
        ),
        source="contracts",
        metric="count",
    ),
    Indicator(
        code="high_tech_enterprises",
        label=_("high-tech enterprises"),
        unit=Unit.COUNT,
        definition=_(
            "Organisations holding a high-tech enterprise certificate valid on 31 December "
            "(valid from ≤ 31 December ≤ valid until; for the current year, today); "
            "overlapping certificates of one organisation count once."
        ),
        population=_("Certified organisations, in their own district and innovation pole."),
        source="certifications",
        metric="high_tech",
    ),
    Indicator(
        code="tech_enterprises",
        label=_("technology-based enterprises"),
        unit=Unit.COUNT,
        definition=_(
            "Organisations with a technology-based SME registration valid on 31 December "
            "(for the current year, today); overlapping registrations of one organisation "
            "count once."
        ),
        population=_("Registered organisations, in their own district and innovation pole."),
        source="certifications",
        metric="tech_enterprise",
    ),
    Indicator(
        code="platforms",
        label=_("innovation platforms at municipal level and above"),
        unit=Unit.COUNT,
        definition=_(
            "National and municipal innovation platforms established on or before "
            "31 December (for the current year, today) and not closed on or before that day."
        ),
        population=_(
            "Innovation platforms, placed in the host organisation's district and the "
            "platform's innovation pole."
        ),
        source="platforms",
        metric="count",
    ),
    Indicator(
        code="projects_approved",
        label=_("research projects approved"),
        unit=Unit.COUNT,
        definition=_(
            "Major and key research projects approved in the year (approval date in the "
            "year), including projects terminated after approval."
        ),
        population=_(
            "Research projects, placed in the lead organisation's district and the project's "
            "innovation pole."
        ),
        source="projects",
        metric="approved",
    ),
    Indicator(
        code="bottlenecks_resolved",
        label=_("industrial-chain bottlenecks resolved"),
        unit=Unit.COUNT,
        definition=_("Bottlenecks resolved in the year (state resolved, resolution date in it)."),
        population=_(
            "Bottlenecks, in their innovation pole and the district of the lead organisation "
            "of the project that resolved them (without a recorded project: city and pole "
            "only)."
        ),
        source="bottlenecks",
        metric="resolved",
    ),
    Indicator(
        code="plan_projects_approved",
        label=_("research projects approved during the plan"),
        unit=Unit.COUNT,
        definition=_(
            "Major and key research projects approved from the first year of the five-year "
            "plan to the year shown (the plan's total in its last year), including projects "
            "terminated after approval."
        ),
        population=_(
            "Research projects, placed in the lead organisation's district and the project's "
            "innovation pole."
        ),
        source="projects",
        metric="approved",
        plan_period=True,
    ),
    Indicator(
        code="plan_bottlenecks_resolved",
        label=_("industrial-chain bottlenecks resolved during the plan"),
        unit=Unit.COUNT,
        definition=_(
            "Bottlenecks resolved from the first year of the five-year plan to the year shown, "
            "whenever the resolving project was approved. Headline definition (the report's "
            "'resolved 304 bottlenecks' over 2021–2025)."
        ),
        population=_(
            "Bottlenecks, in their innovation pole and the district of the lead organisation "
            "of the project that resolved them (without a recorded project: city and pole "
            "only)."
        ),
        source="bottlenecks",
        metric="resolved",
        plan_period=True,
    ),
    Indicator(
        code="plan_bottlenecks_resolved_by_plan_projects",
        label=_("bottlenecks resolved by projects approved during the plan"),
        unit=Unit.COUNT,
        definition=_(
            "Bottlenecks resolved during the five-year plan, up to the year shown, by a "
            "research project approved during the same plan. Narrower alternative to the "
            "headline 'resolved during the plan', which also counts projects approved before it."
        ),
        population=_(
            "Bottlenecks, in their innovation pole and the district of the lead organisation "
            "of the project that resolved them."
        ),
        source="bottlenecks",
        metric="resolved_by_plan_project",
        plan_period=True,
        variant_of="plan_bottlenecks_resolved",
    ),
    Indicator(
        code="plan_contract_volume",
        label=_("technology contract volume during the plan"),
        unit=Unit.YUAN,
        definition=_(
            "Sum of the contract amounts of technology contracts registered from the first "
            "year of the five-year plan to the year shown, and not cancelled."
        ),
        population=_(
            "Technology contracts registered with the bureau, placed in the seller's "
            "(technology provider's) district and innovation pole."
        ),
        source="contracts",
        metric="amount",
        plan_period=True,
    ),
    Indicator(
        code="needs_enterprise_share",
        label=_("share of technical needs proposed by enterprises"),
        unit=Unit.FRACTION,
        definition=_(
            "Technical needs published in the year (Beijing time) and now published, "
            "matched, closed or expired, that enterprises proposed, over all such needs."
        ),
        population=_(
            "Accepted technical needs, placed in the proposer's district and the need's "
            "innovation pole."
        ),
        source="needs",
        numerator="enterprise",
        denominator="accepted",
        target=_ENTERPRISE_SHARE_TARGET,
    ),
    Indicator(
        code="projects_enterprise_share",
        label=_("share of projects led by or involving enterprises"),
        unit=Unit.FRACTION,
        definition=_(
            "Research projects approved in the year with at least one enterprise as lead or "
            "participant, over all projects approved in the year. Headline definition (the "
            "report's 'led by, or involve, enterprises')."
        ),
        population=_(
            "Research projects approved in the year, placed in the lead organisation's "
            "district and the project's innovation pole."
        ),
        source="projects",
        numerator="enterprise_involved",
        denominator="approved",
        target=_ENTERPRISE_SHARE_TARGET,
    ),
    Indicator(
        code="projects_enterprise_led_share",
        label=_("share of projects led by enterprises"),
        unit=Unit.FRACTION,
        definition=_(
            "Research projects approved in the year whose lead organisation is an "
            "enterprise, over all projects approved in the year. Narrower alternative to the "
            "headline 'led by or involving enterprises'."
        ),
        population=_(
            "Research projects approved in the year, placed in the lead organisation's "
            "district and the project's innovation pole."
        ),
        source="projects",
        numerator="enterprise_led",
        denominator="approved",
        variant_of="projects_enterprise_share",
    ),
    Indicator(
        code="public_funds_enterprise_share",
        label=_("share of public project funds going to enterprises"),
        unit=Unit.FRACTION,
        definition=_(
            "Public funding allocated to enterprises for the year over all public funding "
            "allocated for the year."
        ),
        population=_(
            "Funding allocations of research projects, placed in the receiving "
            "organisation's district and the project's innovation pole."
        ),
        source="funding",
        numerator="public_enterprise",
        denominator="public",
        target=_ENTERPRISE_SHARE_TARGET,
    ),
    Indicator(
        code="project_funds_enterprise_share",
        label=_("share of project R&D funds invested by enterprises"),
        unit=Unit.FRACTION,
        definition=_(
            "Self-raised funds of enterprises for the year over all funding allocations "
            "(public and self-raised) for the year."
        ),
        population=_(
            "Funding allocations of research projects, placed in the receiving "
            "organisation's district and the project's innovation pole."
        ),
        source="funding",
        numerator="self_raised_enterprise",
        denominator="all",
        target=_ENTERPRISE_SHARE_TARGET,
    ),
    Indicator(
        code="rd_intensity",
        label=_("R&D expenditure intensity"),
        unit=Unit.FRACTION,
        definition=_("R&D expenditure over gross domestic product for the year."),
        population=_("The city's yearly statistics entered by staff; city only."),
        source="statistics",
        numerator="rd_expenditure",
        denominator="gdp",
        city_only=True,
    ),
    Indicator(
        code="patents_per_10k",
        label=_("invention patents per 10,000 residents"),
        unit=Unit.PER_10K,
        definition=_("Invention patents in force over the resident population, times 10,000."),
        population=_("The city's yearly statistics entered by staff; city only."),
        source="statistics",
        numerator="invention_patents",
        denominator="population",
        scale=Decimal(10_000),
        city_only=True,
    ),
)

_BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in CATALOGUE}


def get_indicator(code: str) -> Indicator:
    try:
        return _BY_CODE[code]
    except KeyError:
        raise ValueError(f"unknown indicator {code!r}") from None


def plan_of(year: int) -> tuple[int, int, int]:
    """(number, first year, last year) of the five-year plan ``year`` falls in."""
    for plan in PLAN_PERIODS:
        if plan[1] <= year <= plan[2]:
            return plan
    raise ValueError(f"{year} is outside the known plan periods")


def plan_base_year(year: int) -> int:
    """The base year of the plan period ``year`` falls in (2020 for 2021–2025, 2025 for
    2026–2030): the last year of the plan before."""
    return plan_of(year)[1] - 1


def multiple(*, value: Decimal | None, base: Decimal | None) -> Decimal | None:
    """How many times ``base`` the ``value`` is (5.0 for '5× 2020').

    Multiples are never stored: they are derived wherever they are shown from the two stored
    values, so a revised base year changes every multiple consistently.
    """
    if value is None or base is None or base <= 0:
        return None
    return (value / base).quantize(_MULTIPLE_QUANTUM, ROUND_HALF_UP)
