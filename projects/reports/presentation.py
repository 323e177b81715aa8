"""How the report names scopes, writes figures and lists the records behind them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from projects import formatting
from projects.indicators.catalogue import Indicator, Unit
from projects.indicators.scopes import CITY, all_scopes, parse_scope
from projects.models import (
    Bottleneck,
    Certification,
    District,
    FundingAllocation,
    InnovationPlatform,
    Pole,
    ResearchProject,
    TechnicalNeed,
    TransferContract,
    YearlyStatistic,
)

STATUS_LABELS: dict[str, Promise] = {
    "provisional": _("provisional"),
    "published": _("published"),
    "revised": _("revised since publication"),
}


def scope_label(scope: str) -> str:
    """The city, a district or a pole, by name in the reader's language."""
    parsed = parse_scope(scope)
    if parsed.kind == "city":
        return str(_("Chongqing (whole city)"))
    if parsed.kind == "district":
        return str(District(parsed.code).label)
    return str(_("pole: %(pole)s") % {"pole": Pole(parsed.code).label})


def scope_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Scopes grouped for a <select>: the city, the districts, the poles."""
    scopes = all_scopes()
    return [
        (str(_("City")), [(CITY, scope_label(CITY))]),
        (
            str(_("Districts and counties")),
            [(s, scope_label(s)) for s in scopes if s.startswith("district:")],
        ),
        (
            str(_("Innovation poles")),
            [(s, scope_label(s)) for s in scopes if s.startswith("pole:")],
        ),
    ]


def unit_label(indicator: Indicator) -> str:
    return str(Unit(indicator.unit).label)


def figure_text(value: Decimal | None, unit: str) -> str:
    """A figure in readable units: 974.24 亿元 / 97.42 billion yuan, 71.2 %, 9,123."""
    if value is None:
        return "—"
    if unit == Unit.YUAN:
        return formatting.amount_compact(value)
    if unit == Unit.FRACTION:
        return formatting.percent(value)
    if unit == Unit.PER_10K:
        return str(
            _("%(number)s per 10,000 residents")
            % {"number": formats.number_format(value, 2, use_l10n=True)}
        )
    return formatting.number(value)


def multiple_text(multiple: Decimal | None) -> str:
    if multiple is None:
        return "—"
    rounded = multiple.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{formats.number_format(rounded, 2, use_l10n=True)}×"


def neutralise(cell: Any) -> Any:
    """A text cell a spreadsheet would read as a formula (= + - @, or a tab or carriage
    return before one) gets a leading apostrophe; numbers and dates pass unchanged."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


# --- the records behind a figure ------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    label: Promise
    value: Callable[[Any], Any]
    amount: bool = False


@dataclass(frozen=True)
class RecordList:
    """How one model's lineage rows are listed: columns, joins, what the filter searches."""

    columns: tuple[Column, ...]
    related: tuple[str, ...]
    search: tuple[str, ...]

    def searched(self, records: QuerySet[Any], text: str) -> QuerySet[Any]:
        text = text.strip()
        if not text:
            return records
        condition = Q()
        for path in self.search:
            condition |= Q(**{f"{path}__icontains": text})
        return records.filter(condition)


def _display(name: str) -> Callable[[Any], Any]:
    return lambda record: getattr(record, f"get_{name}_display")()


RECORD_LISTS: dict[type[Model], RecordList] = {
    TransferContract: RecordList(
        columns=(
            Column(_("registration number"), lambda c: c.registration_number),
            Column(_("title"), lambda c: c.title),
            Column(_("seller"), lambda c: c.seller.name),
            Column(_("registered on"), lambda c: c.registered_on),
            Column(_("contract amount"), lambda c: c.contract_amount, amount=True),
            Column(
                _("technology transaction amount"),
                lambda c: c.technology_transaction_amount,
                amount=True,
            ),
        ),
        related=("seller",),
        search=("title", "registration_number", "seller__name"),
    ),
    Certification: RecordList(
        columns=(
            Column(_("organisation"), lambda c: c.organization.name),
            Column(_("certificate number"), lambda c: c.number),
            Column(_("kind"), _display("kind")),
            Column(_("valid from"), lambda c: c.valid_from),
            Column(_("valid until"), lambda c: c.valid_until),
        ),
        related=("organization",),
        search=("organization__name", "number"),
    ),
    InnovationPlatform: RecordList(
        columns=(
            Column(_("name"), lambda p: p.name),
            Column(_("kind"), _display("kind")),
            Column(_("level"), _display("level")),
            Column(_("host"), lambda p: p.host.name),
            Column(_("established on"), lambda p: p.established_on),
        ),
        related=("host",),
        search=("name", "host__name"),
    ),
    ResearchProject: RecordList(
        columns=(
            Column(_("code"), lambda p: p.code),
            Column(_("title"), lambda p: p.title),
            Column(_("lead organisation"), lambda p: p.lead.name),
            Column(_("programme"), _display("programme")),
            Column(_("approved on"), lambda p: p.approved_on),
            Column(_("state"), _display("state")),
        ),
        related=("lead",),
        search=("code", "title", "lead__name"),
    ),
    Bottleneck: RecordList(
        columns=(
            Column(_("title"), lambda b: b.title),
            Column(_("industrial chain"), _display("industrial_chain")),
            Column(_("resolved on"), lambda b: b.resolved_on),
            Column(_("resolved by"), lambda b: b.resolved_by.code if b.resolved_by_id else "—"),
        ),
        related=("resolved_by",),
        search=("title", "resolved_by__code"),
    ),
    TechnicalNeed: RecordList(
        columns=(
            Column(_("title"), lambda n: n.title),
            Column(_("proposer"), lambda n: n.proposer.name),
            Column(_("proposer kind"), lambda n: n.proposer.get_kind_display()),
            Column(_("published at"), lambda n: n.published_at),
            Column(_("state"), _display("state")),
        ),
        related=("proposer",),
        search=("title", "proposer__name"),
    ),
    FundingAllocation: RecordList(
        columns=(
            Column(_("project"), lambda f: f.project.code),
            Column(_("organisation"), lambda f: f.organization.name),
            Column(_("source"), _display("source")),
            Column(_("year"), lambda f: f.year),
            Column(_("amount"), lambda f: f.amount, amount=True),
        ),
        related=("project", "organization"),
        search=("project__code", "organization__name"),
    ),
    YearlyStatistic: RecordList(
        columns=(
            Column(_("year"), lambda s: s.year),
            Column(_("GDP"), lambda s: s.gdp, amount=True),
            Column(_("R&D expenditure"), lambda s: s.rd_expenditure, amount=True),
            Column(_("population"), lambda s: s.population),
            Column(_("invention patents"), lambda s: s.invention_patents),
            Column(_("source"), lambda s: s.source),
        ),
        related=(),
        search=("source",),
    ),
}


def record_list_for(model: type[Model]) -> RecordList:
    return RECORD_LISTS[model]


def admin_url(record: Model) -> str:
    """The record's page in the back office ('' when it has none)."""
    meta = record._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return ""
