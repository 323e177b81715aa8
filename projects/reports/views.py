"""The manager report pages: figures, drill-down, charts, exports, recompute and publication.

Every page reads stored values through ``projects.indicators.selectors`` (a fixed number of
queries: nothing is recomputed on a page) and the records behind a figure through
``projects.indicators.lineage``; a recompute goes through ``scheduling`` and a publication
through ``publication``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects import clock
from projects.indicators import scheduling
from projects.indicators.catalogue import CATALOGUE, Indicator, get_indicator, multiple
from projects.indicators.errors import IndicatorError
from projects.indicators.lineage import lineage, lineage_total
from projects.indicators.publication import can_publish, indicator_year_publish
from projects.indicators.scopes import (
    CITY,
    all_scopes,
    current_year,
    indicator_years,
    is_year_to_date,
)
from projects.indicators.selectors import (
    Figure,
    Report,
    latest_successful_run,
    publication_preview,
    published_years,
    report_read,
    revisions_of,
    run_active,
)
from projects.models import IndicatorRun, Pole

from . import exports
from .access import can_recompute, publisher_required, reader_required, recompute_required
from .presentation import (
    STATUS_LABELS,
    admin_url,
    figure_text,
    multiple_text,
    record_list_for,
    scope_choices,
    scope_label,
    unit_label,
)

LIST_PAGE_SIZE = 50


def default_year() -> int:
    """The latest year that is over on the calendar: the current one holds only its first
    weeks or months."""
    return max(indicator_years()[0], current_year() - 1)


class ReportForm(forms.Form):
    """The year and scope of a report; a value out of range gets a message, not an error page."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    scope = forms.ChoiceField(label=_("Scope"))

    def __init__(self, data: Any = None, *, prefix: str | None = None) -> None:
        super().__init__(data, prefix=prefix)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = [(y, _year_label(y)) for y in reversed(indicator_years())]
        scope_field = self.fields["scope"]
        assert isinstance(scope_field, forms.ChoiceField)
        scope_field.choices = scope_choices()

    def chosen(self, *, year: int | None = None, scope: str = CITY) -> tuple[int, str]:
        """The valid year and scope asked for, the defaults otherwise."""
        cleaned = self.cleaned_data if self.is_bound and self.is_valid() else {}
        chosen = cleaned.get("year") or year or default_year(), cleaned.get("scope") or scope
        if not self.is_bound:
            # The selects show what the page reads, not their first choice (the current year).
            self.initial = {"year": chosen[0], "scope": chosen[1]}
        return chosen


def _year_label(year: int) -> str:
    if year == current_year():
        return gettext("%(year)s (year to date)") % {"year": year}
    return str(year)


def _bound(request: HttpRequest, prefix: str | None = None) -> ReportForm:
    keys = ("year", "scope")
    names = [f"{prefix}-{k}" if prefix else k for k in keys]
    data = {name: request.GET[name] for name in names if name in request.GET}
    if not data:
        return ReportForm(prefix=prefix)
    # Fill the missing half with its default so one bad or missing field is named alone.
    defaults = {names[0]: str(default_year()), names[1]: CITY}
    return ReportForm({**defaults, **data}, prefix=prefix)


def _query(**params: Any) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


# --- cards --------------------------------------------------------------------------------


def _card(figure: Figure, report: Report) -> dict[str, Any]:
    indicator = figure.indicator
    target = indicator.target
    query = _query(year=figure.year, scope=figure.scope)
    return {
        "figure": figure,
        "indicator": indicator,
        "label": indicator.label,
        "text": figure_text(figure.value, indicator.unit),
        "unit": unit_label(indicator),
        "parts_text": _parts_text(figure),
        "multiple": multiple_text(figure.multiple) if figure.multiple is not None else "",
        "base_text": figure_text(figure.base_value, indicator.unit),
        "target_text": (
            ("≥ " if target.at_least else "≤ ") + figure_text(target.value, indicator.unit)
            if target
            else ""
        ),
        "status_label": STATUS_LABELS[figure.status],
        "published_text": figure_text(figure.published_value, indicator.unit),
        "records_url": reverse("reports:records", args=[indicator.code]) + "?" + query,
        "figure_url": reverse("reports:figure", args=[indicator.code]) + "?" + query,
        "run": report.run,
    }


def _parts_text(figure: Figure) -> str:
    """A ratio's numerator and denominator as read: 102 of 135, 9.00 亿元 of 13.00 亿元."""
    indicator = figure.indicator
    if not indicator.is_ratio or not figure.denominator or indicator.source == "statistics":
        return ""
    unit = "yuan" if indicator.lineage_metric("denominator").kind == "sum" else "count"
    return gettext("%(numerator)s of %(denominator)s") % {
        "numerator": figure_text(figure.numerator, unit),
        "denominator": figure_text(figure.denominator, unit),
    }


def _card_groups(report: Report) -> list[list[dict[str, Any]]]:
    """Cards in catalogue order, an alternative definition beside its headline one."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for indicator in CATALOGUE:
        figure = report.figures.get(indicator.code)
        if figure is None:
            continue
        key = indicator.variant_of or indicator.code
        groups.setdefault(key, []).append(_card(figure, report))
    return list(groups.values())


def _report_context(report: Report) -> dict[str, Any]:
    return {
        "report": report,
        "scope_name": scope_label(report.scope),
        "year_to_date": is_year_to_date(report.year),
        "today": clock.today(),
        "query": _query(year=report.year, scope=report.scope),
    }


@require_GET
@reader_required
def report_index(request: HttpRequest) -> HttpResponse:
    form = _bound(request)
    year, scope = form.chosen()
    report = report_read(year=year, scope=scope)
    active = run_active()
    plan_cards: list[list[dict[str, Any]]] = []
    yearly_cards: list[list[dict[str, Any]]] = []
    for group in _card_groups(report):
        (plan_cards if group[0]["indicator"].plan_period else yearly_cards).append(group)
    context = {
        **_report_context(report),
        "form": form,
        "yearly_groups": yearly_cards,
        "plan_groups": plan_cards,
        "active_run": active,
        "followed_run": _followed_run(request, active),
        "can_recompute": can_recompute(request.user),
        "can_publish": can_publish(request.user),
        "published": published_years().get(year),
    }
    return render(request, "reports/index.html", context)


def _followed_run(request: HttpRequest, active: IndicatorRun | None) -> IndicatorRun | None:
    """The run the page shows progress for: the one running, or the one just asked for."""
    if active is not None:
        return active
    run_id = request.GET.get("run", "")
    if run_id.isdigit():
        return IndicatorRun.objects.filter(pk=int(run_id)).first()
    return None


# --- one indicator: trend and breakdowns ---------------------------------------------------


def _indicator_or_404(code: str) -> Indicator:
    try:
        return get_indicator(code)
    except ValueError:
        raise Http404(gettext("There is no indicator %(code)s.") % {"code": code}) from None


@require_GET
@reader_required
def figure_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator_or_404(code)
    form = _bound(request)
    year, scope = form.chosen()
    if scope not in indicator.scopes():
        scope = CITY
    report = report_read(year=year, scope=scope, breakdowns_of=code)
    figure = report.figures.get(code)
    trend: list[dict[str, Any]] = [
        {
            "year": y,
            "value": value,
            "text": figure_text(value, indicator.unit),
            "base": y == (figure.base_year if figure else None),
            "year_to_date": is_year_to_date(y),
        }
        for y, value in report.trends.get(code, [])
    ]
    by_scope = report.breakdowns.get(code, {})
    breakdowns: list[dict[str, Any]] = []
    if not indicator.city_only:
        for kind, title in (("district:", _("By district")), ("pole:", _("By innovation pole"))):
            rows: list[dict[str, Any]] = [
                {
                    "scope": s,
                    "label": scope_label(s) if kind == "district:" else Pole(s[5:]).label,
                    "value": by_scope.get(s),
                    "text": figure_text(by_scope.get(s), indicator.unit),
                    "records_url": reverse("reports:records", args=[code])
                    + "?"
                    + _query(year=year, scope=s),
                }
                for s in all_scopes()
                if s.startswith(kind)
            ]
            rows.sort(key=lambda r: (r["value"] is None, -(r["value"] or 0)))
            breakdowns.append({"kind": kind.rstrip(":"), "title": title, "rows": rows})
    axis_scale, axis_unit = _axis(indicator.unit)
    chart_data = {
        "unit": indicator.unit,
        "axisScale": axis_scale,
        "axisUnit": axis_unit,
        "label": str(indicator.label),
        "trend": {
            "years": [row["year"] for row in trend],
            "values": [_number(row["value"]) for row in trend],
            "texts": [row["text"] for row in trend],
            "baseYear": figure.base_year if figure else None,
            "target": _number(indicator.target.value) if indicator.target else None,
            "targetLabel": str(_("target")),
            "baseLabel": str(_("base year")),
            "currentYear": current_year(),
        },
        "breakdowns": [
            {
                "kind": b["kind"],
                "labels": [r["label"] for r in b["rows"]],
                "values": [_number(r["value"]) for r in b["rows"]],
                "texts": [r["text"] for r in b["rows"]],
            }
            for b in breakdowns
        ],
    }
    context = {
        **_report_context(report),
        "form": form,
        "indicator": indicator,
        "card": _card(figure, report) if figure else None,
        "trend": trend,
        "breakdowns": breakdowns,
        "chart_data": chart_data,
    }
    return render(request, "reports/figure.html", context)


def _axis(unit: str) -> tuple[float, str]:
    """What a chart's axis divides its figures by, and the unit it then reads in."""
    if unit == "yuan":
        if (translation.get_language() or "").startswith("zh"):
            return 1e8, "亿元"
        return 1e9, gettext("billion yuan")
    if unit == "fraction":
        return 0.01, "%"
    return 1, ""


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# --- drill-down -----------------------------------------------------------------------------


PART_LABELS = {
    "value": _("the records counted"),
    "numerator": _("the records above the line (numerator)"),
    "denominator": _("the whole population (denominator)"),
}


@require_GET
@reader_required
def figure_records(request: HttpRequest, code: str) -> HttpResponseBase:
    indicator = _indicator_or_404(code)
    form = _bound(request)
    year, scope = form.chosen()
    if scope not in indicator.scopes():
        scope = CITY
    part = request.GET.get("part", "")
    if part not in PART_LABELS or (part != "value") != indicator.is_ratio:
        part = "denominator" if indicator.is_ratio else "value"
    metric = indicator.lineage_metric(part)
    records = lineage(code=code, year=year, scope=scope, part=part)  # type: ignore[arg-type]
    listing = record_list_for(records.model)
    search = request.GET.get("q", "")[:100]
    shown = listing.searched(records, search).select_related(*listing.related).order_by("-pk")
    if request.GET.get("format") == "csv":
        return exports.records_csv(
            indicator=indicator, year=year, scope=scope, listing=listing, records=shown
        )
    report = report_read(year=year, scope=scope)
    figure = report.figures.get(code)
    total = lineage_total(code=code, year=year, scope=scope, part=part)  # type: ignore[arg-type]
    paginator = Paginator(shown, LIST_PAGE_SIZE)
    if not search and metric.kind != "sum":
        # The figure is the number of rows listed: one count instead of two (a distinct count
        # ranks every certificate of the year).
        paginator.__dict__["count"] = int(total)
    page = paginator.get_page(request.GET.get("page"))
    filtered_total = metric.measure(shown) if search else total
    expected = None
    if figure is not None:
        expected = {"value": figure.value, "numerator": figure.numerator}.get(
            part, figure.denominator
        )
    rows = [
        {
            "cells": [
                {
                    "text": figure_text(column.value(record), "yuan")
                    if column.amount
                    else column.value(record),
                    "amount": column.amount,
                }
                for column in listing.columns
            ],
            "url": admin_url(record),
        }
        for record in page.object_list
    ]
    is_sum = metric.kind == "sum"
    context = {
        **_report_context(report),
        "form": form,
        "indicator": indicator,
        "card": _card(figure, report) if figure else None,
        "part": part,
        "parts": (
            [(p, PART_LABELS[p]) for p in ("numerator", "denominator")]
            if indicator.is_ratio
            else []
        ),
        "part_label": PART_LABELS[part],
        "columns": listing.columns,
        "rows": rows,
        "page": page,
        "search": search,
        "is_sum": is_sum,
        "total": total,
        "total_text": figure_text(total, "yuan") if is_sum else figure_text(total, "count"),
        "filtered_total_text": (
            figure_text(filtered_total, "yuan") if is_sum else figure_text(filtered_total, "count")
        ),
        "matches_figure": expected is not None and total == expected,
        "csv_url": "?" + _query(year=year, scope=scope, part=part, q=search, format="csv"),
        "page_query": _query(year=year, scope=scope, part=part, q=search),
    }
    return render(request, "reports/records.html", context)


# --- recompute ------------------------------------------------------------------------------


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _run_state(run: IndicatorRun) -> dict[str, Any]:
    finished = run.status in (IndicatorRun.Status.SUCCEEDED, IndicatorRun.Status.FAILED)
    return {
        "id": run.pk,
        "status": run.status,
        "status_label": run.get_status_display(),
        "progress": run.progress,
        "finished": finished,
        "error": run.error,
        "message": _run_message(run),
        "status_url": reverse("reports:run_status", args=[run.pk]),
    }


def _run_message(run: IndicatorRun) -> str:
    if run.status == IndicatorRun.Status.SUCCEEDED:
        return gettext(
            "Run #%(run)s finished: the figures below are up to date after a reload."
        ) % {"run": run.pk}
    if run.status == IndicatorRun.Status.FAILED:
        return gettext("Run #%(run)s failed: %(error)s") % {"run": run.pk, "error": run.error}
    return gettext("Run #%(run)s is computing: %(progress)s %% done.") % {
        "run": run.pk,
        "progress": run.progress,
    }


@require_POST
@recompute_required
def recompute(request: HttpRequest) -> HttpResponse:
    run, started = scheduling.indicator_run_request(
        trigger=IndicatorRun.Trigger.MANUAL, actor=request.user
    )
    run.refresh_from_db()
    if _wants_json(request):
        return JsonResponse({**_run_state(run), "started": started}, status=202 if started else 200)
    if started:
        messages.info(request, gettext("Recompute started as run #%(run)s.") % {"run": run.pk})
    else:
        messages.info(
            request,
            gettext("Run #%(run)s is already computing; its progress is shown below.")
            % {"run": run.pk},
        )
    # Back to the report the button was on (only its year and scope), following the run.
    back = QueryDict(urlsplit(request.POST.get("next", "")).query)
    query = _query(year=back.get("year"), scope=back.get("scope"), run=run.pk)
    return redirect(reverse("reports:index") + "?" + query)


@require_GET
@reader_required
def run_status(request: HttpRequest, run_id: int) -> JsonResponse:
    run = IndicatorRun.objects.filter(pk=run_id).first()
    if run is None:
        raise Http404
    # A run whose worker died is failed by the beat sweep within a minute; the poll only reads.
    return JsonResponse(_run_state(run))


# --- publication ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@publisher_required
def publish(request: HttpRequest) -> HttpResponse:
    form = _bound(request) if request.method == "GET" else ReportForm(request.POST)
    year, _scope = form.chosen()
    run = latest_successful_run()
    error = ""
    if request.method == "POST":
        posted_run = request.POST.get("run", "")
        if run is None or str(run.pk) != posted_run:
            error = gettext(
                "The figures changed since this page was shown (a newer run finished): "
                "check them again below before publishing."
            )
        else:
            try:
                figures = indicator_year_publish(run=run, year=year, actor=request.user)
            except IndicatorError as exc:
                error = str(exc)
            else:
                messages.success(
                    request,
                    gettext("%(count)s figures of %(year)s published from run #%(run)s.")
                    % {"count": len(figures), "year": year, "run": run.pk},
                )
                return redirect(reverse("reports:index") + "?" + _query(year=year))
    report = report_read(year=year, scope=CITY, run=run)
    values = publication_preview(run=run, year=year) if run else None
    context = {
        **_report_context(report),
        "form": form,
        "run": run,
        "error": error,
        "cards": [c for group in _card_groups(report) for c in group],
        "value_count": values.count() if values is not None else 0,
        "published": published_years().get(year),
    }
    return render(request, "reports/publish.html", context, status=400 if error else 200)


@require_GET
@reader_required
def revisions(request: HttpRequest) -> HttpResponse:
    form = _bound(request)
    year, _scope = form.chosen()
    listed = revisions_of(year=year)
    page = Paginator(listed, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for revision in page.object_list:
        try:
            indicator = get_indicator(revision.code)
        except ValueError:
            continue
        rows.append(
            {
                "revision": revision,
                "label": indicator.label,
                "scope": scope_label(revision.scope),
                "old": figure_text(revision.published_value, indicator.unit),
                "new": figure_text(revision.new_value, indicator.unit),
                "who": (
                    revision.run.actor.get_username()
                    if revision.run.actor
                    else revision.run.get_trigger_display()
                ),
            }
        )
    context = {
        "form": form,
        "year": year,
        "rows": rows,
        "page": page,
        "published": published_years().get(year),
        "query": _query(year=year),
    }
    return render(request, "reports/revisions.html", context)


# --- exports and comparison -----------------------------------------------------------------


@require_GET
@reader_required
def export(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ("csv", "xlsx"):
        raise Http404
    form = _bound(request)
    year, scope = form.chosen()
    report = report_read(year=year, scope=scope)
    if kind == "xlsx":
        return exports.report_xlsx(report)
    return exports.report_csv(report)


@require_GET
@reader_required
def compare(request: HttpRequest) -> HttpResponse:
    left_form = _bound(request)
    right_form = _bound(request, prefix="other")
    left_year, left_scope = left_form.chosen()
    right_year, right_scope = right_form.chosen(year=left_year - 1, scope=left_scope)
    run = latest_successful_run()
    left = report_read(year=left_year, scope=left_scope, run=run)
    right = report_read(year=right_year, scope=right_scope, run=run)
    rows = []
    for indicator in CATALOGUE:
        a, b = left.figures.get(indicator.code), right.figures.get(indicator.code)
        if a is None and b is None:
            continue
        change = multiple(value=a.value if a else None, base=b.value if b else None)
        rows.append(
            {
                "indicator": indicator,
                "left": figure_text(a.value if a else None, indicator.unit),
                "right": figure_text(b.value if b else None, indicator.unit),
                "change": multiple_text(change),
            }
        )
    context = {
        "form": left_form,
        "other_form": right_form,
        "left_title": f"{scope_label(left_scope)} · {_year_label(left_year)}",
        "right_title": f"{scope_label(right_scope)} · {_year_label(right_year)}",
        "rows": rows,
        "run": run,
        "query": _query(year=left_year, scope=left_scope),
    }
    return render(request, "reports/compare.html", context)
