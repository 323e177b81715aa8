"""The indicator engine's rows, read-only, with indicators and scopes shown by their labels
(数字智能, 北碚区, …) rather than the codes stored for the API and exports."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from projects.indicators.catalogue import CATALOGUE, get_indicator
from projects.indicators.scopes import CITY, parse_scope
from projects.models import (
    District,
    IndicatorRevision,
    IndicatorRun,
    IndicatorValue,
    Pole,
    PublishedFigure,
)

from .paging import LargeTableAdmin
from .readonly import ReadOnlyAdmin


def indicator_label(code: str) -> str:
    try:
        return str(get_indicator(code).label)
    except ValueError:
        return code


def scope_label(scope: str) -> str:
    try:
        parsed = parse_scope(scope)
    except ValueError:
        return scope
    if parsed.kind == "city":
        return gettext("Chongqing (whole city)")
    if parsed.kind == "district":
        return str(District(parsed.code).label)
    return str(Pole(parsed.code).label)


class IndicatorFilter(admin.SimpleListFilter):
    title = _("indicator")
    parameter_name = "code"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(indicator.code, indicator.label) for indicator in CATALOGUE]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(code=self.value()) if self.value() else queryset


class ScopeFilter(admin.SimpleListFilter):
    title = _("scope")
    parameter_name = "scope"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            (CITY, _("Chongqing (whole city)")),
            *((f"pole:{value}", label) for value, label in Pole.choices),
            *((f"district:{value}", label) for value, label in District.choices),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(scope=self.value()) if self.value() else queryset


class LabelledFiguresAdmin(ReadOnlyAdmin):
    @admin.display(description=_("indicator"), ordering="code")
    def indicator(self, row: Any) -> str:
        return indicator_label(row.code)

    @admin.display(description=_("scope"), ordering="scope")
    def scope_shown(self, row: Any) -> str:
        return scope_label(row.scope)


@admin.register(IndicatorRun)
class IndicatorRunAdmin(ReadOnlyAdmin):
    list_display = ("id", "trigger", "status", "progress", "actor", "started_at", "finished_at")
    list_filter = ("status", "trigger")
    list_select_related = ("actor",)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(LargeTableAdmin, LabelledFiguresAdmin):
    list_display = ("run", "indicator", "year", "scope_shown", "value", "numerator", "denominator")
    list_filter = (IndicatorFilter, "year", ScopeFilter)
    search_fields = ("code", "scope")
    list_select_related = ("run",)


@admin.register(PublishedFigure)
class PublishedFigureAdmin(LabelledFiguresAdmin):
    list_display = (
        "indicator",
        "year",
        "scope_shown",
        "value",
        "run",
        "published_at",
        "published_by",
    )
    list_filter = (IndicatorFilter, "year", ScopeFilter)
    list_select_related = ("run", "published_by")


@admin.register(IndicatorRevision)
class IndicatorRevisionAdmin(LabelledFiguresAdmin):
    list_display = (
        "run",
        "indicator",
        "year",
        "scope_shown",
        "published_value",
        "new_value",
        "created_at",
    )
    list_filter = (IndicatorFilter, "year", ScopeFilter)
    list_select_related = ("run",)
