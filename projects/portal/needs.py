"""A technical need in the portal: its page, its form in parts, its indicators and its
attachments. Every change goes through ``projects.workflows.needs``; every read through
``projects.selectors.needs``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projects.attachments import download
from projects.models import MIN_NEED_INDICATORS, TechnicalNeed
from projects.selectors.errors import RecordNotFound
from projects.selectors.memberships import organizations_for
from projects.selectors.needs import need_attachment_get_for, need_get_for, need_summary_get
from projects.selectors.timelines import timeline_for
from projects.workflows.errors import WorkflowError
from projects.workflows.needs import (
    need_attachment_add,
    need_attachment_remove,
    need_create,
    need_edit,
    need_indicators_set,
)
from projects.workflows.registry import available_transitions

from .forms import (
    PARTS,
    PARTS_BY_SLUG,
    AttachmentForm,
    IndicatorForm,
    NeedPartForm,
    PartStatus,
    acting,
    missing_parts,
    offered_in_portal,
    part_status,
    posted,
    posted_with_files,
)

RETURN = "return"


def _editable(user: Any, need: TechnicalNeed) -> bool:
    return any(t.name == "edit" for t in available_transitions(user=user, record=need))


def _return_comment(timeline: list[Any], need: TechnicalNeed) -> Any:
    """The reviewer's last return, while the need is back with its proposer."""
    if need.state != TechnicalNeed.State.RETURNED:
        return None
    returns = [entry for entry in timeline if entry.transition == RETURN]
    return returns[-1] if returns else None


def tasks(need: TechnicalNeed) -> list[dict[str, Any]]:
    return [
        {
            "part": part,
            "status": (status := part_status(part, need)),
            "status_label": PartStatus.LABELS[status],
            "url": part_url(need, part.slug),
        }
        for part in PARTS
    ]


def part_url(need: TechnicalNeed, slug: str) -> str:
    if slug == "indicators":
        return reverse("need_indicators", args=[need.pk])
    if slug == "attachments":
        return reverse("need_attachments", args=[need.pk])
    return reverse("need_part", args=[need.pk, slug])


def _next_url(need: TechnicalNeed, slug: str) -> str:
    slugs = [part.slug for part in PARTS]
    index = slugs.index(slug)
    if index + 1 < len(slugs):
        return part_url(need, slugs[index + 1])
    return reverse("need_detail", args=[need.pk])


def _after_save(request: HttpRequest, need: TechnicalNeed, slug: str) -> HttpResponse:
    if request.POST.get("then") == "next":
        return HttpResponseRedirect(_next_url(need, slug))
    messages.success(request, _("Draft saved."))
    return HttpResponseRedirect(reverse("need_detail", args=[need.pk]))


def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The need in full for those who may see it; its public summary for anybody once it is
    published; 404 for everybody else."""
    try:
        need = need_get_for(user=request.user, pk=pk)
    except RecordNotFound:
        summary = need_summary_get(user=request.user, pk=pk)
        return render(request, "portal/needs/summary.html", {"need": summary})
    timeline = list(timeline_for(record=need))
    available = available_transitions(user=request.user, record=need)
    transitions = [t for t in available if t.name != "edit" and offered_in_portal(t)]
    editable = any(t.name == "edit" for t in available)
    return render(
        request,
        "portal/needs/detail.html",
        {
            "need": need,
            "timeline": timeline,
            "transitions": transitions,
            "editable": editable,
            "tasks": tasks(need),
            "missing": missing_parts(need),
            "returned": _return_comment(timeline, need),
            "minimum": MIN_NEED_INDICATORS,
        },
    )


@login_required
def need_new(request: HttpRequest) -> HttpResponse:
    organizations = list(organizations_for(user=request.user))
    if not organizations:
        messages.error(
            request, _("Your account acts for no organisation yet: it cannot propose a need.")
        )
        return HttpResponseRedirect(reverse("home"))
    part = PARTS_BY_SLUG["overview"]
    form = NeedPartForm(posted(request), part=part)
    if request.method == "POST" and form.is_valid():
        try:
            need = need_create(proposer=organizations[0], actor=acting(request), **form.content())
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            return _after_save(request, need, part.slug)
    return render(
        request,
        "portal/needs/part.html",
        {"form": form, "part": part, "need": None, "organization": organizations[0]},
    )


def _need_to_edit(request: HttpRequest, pk: int) -> tuple[TechnicalNeed, list[Any]]:
    need = need_get_for(user=request.user, pk=pk)
    if not _editable(request.user, need):
        raise _Locked(need)
    return need, list(timeline_for(record=need))


class _Locked(Exception):
    def __init__(self, need: TechnicalNeed) -> None:
        self.need = need


def _locked(request: HttpRequest, need: TechnicalNeed) -> HttpResponse:
    messages.error(
        request,
        _("This need is %(state)s: it can no longer be changed.")
        % {"state": need.get_state_display()},
    )
    return HttpResponseRedirect(reverse("need_detail", args=[need.pk]))


def _page(request: HttpRequest, template: str, need: TechnicalNeed, timeline: list[Any], **more):
    return render(
        request,
        template,
        {
            "need": need,
            "returned": _return_comment(timeline, need),
            "tasks": tasks(need),
            **more,
        },
    )


@login_required
def need_part(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    chosen = PARTS_BY_SLUG.get(part)
    if chosen is None or not chosen.fields:
        raise Http404
    try:
        need, timeline = _need_to_edit(request, pk)
    except _Locked as locked:
        return _locked(request, locked.need)
    initial = {name: getattr(need, name) for name in chosen.fields}
    form = NeedPartForm(posted(request), part=chosen, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {
            name: value for name, value in form.content().items() if getattr(need, name) != value
        }
        try:
            if changes:
                need_edit(need=need, actor=acting(request), **changes)
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            return _after_save(request, need, chosen.slug)
    return _page(request, "portal/needs/part.html", need, timeline, form=form, part=chosen)


def _indicator_rows(request: HttpRequest, need: TechnicalNeed) -> list[dict[str, str]]:
    if request.method == "POST":
        try:
            count = min(int(request.POST.get("rows", "0")), 50)
        except ValueError:
            count = 0
        return [
            {name: request.POST.get(f"indicator-{i}-{name}", "") for name in IndicatorForm.FIELDS}
            for i in range(count)
        ]
    return [
        {name: getattr(row, name) for name in IndicatorForm.FIELDS} for row in need.indicators.all()
    ]


def _padded(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    blank = dict.fromkeys(IndicatorForm.FIELDS, "")
    return rows + [dict(blank) for _ in range(max(0, MIN_NEED_INDICATORS - len(rows)))]


@login_required
def need_indicators(request: HttpRequest, pk: int) -> HttpResponse:
    """The technical indicators as rows of one form: add a row or remove one with buttons
    (no script needed); blank rows are left out when saved."""
    try:
        need, timeline = _need_to_edit(request, pk)
    except _Locked as locked:
        return _locked(request, locked.need)
    rows = _indicator_rows(request, need)
    bound = False
    if request.method == "POST" and "add_row" in request.POST:
        rows.append(dict.fromkeys(IndicatorForm.FIELDS, ""))
    elif request.method == "POST" and "remove_row" in request.POST:
        try:
            rows.pop(int(request.POST["remove_row"]))
        except (ValueError, IndexError):
            pass
    elif request.method == "POST":
        bound = True
    rows = _padded(rows)
    forms_ = [
        IndicatorForm(
            {f"indicator-{i}-{k}": v for k, v in row.items()} if bound else None,
            initial=row,
            prefix=f"indicator-{i}",
        )
        for i, row in enumerate(rows)
    ]
    errors: list[tuple[str, str]] = []
    if bound:
        for number, form in enumerate(forms_, start=1):
            if not form.is_valid():
                for field in form:
                    for message in field.errors:
                        errors.append(
                            (
                                field.id_for_label,
                                _("Indicator %(number)d: %(message)s")
                                % {"number": number, "message": message},
                            )
                        )
        if not errors:
            kept = [form.cleaned_data for form in forms_ if not form.is_blank]
            try:
                need_indicators_set(need=need, actor=acting(request), indicators=kept)
            except WorkflowError as error:
                errors.append(("", error.message))
            else:
                return _after_save(request, need, "indicators")
    return _page(
        request,
        "portal/needs/indicators.html",
        need,
        timeline,
        part=PARTS_BY_SLUG["indicators"],
        rows=forms_,
        error_summary=errors,
        minimum=MIN_NEED_INDICATORS,
    )


@login_required
def need_attachments(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        need, timeline = _need_to_edit(request, pk)
    except _Locked as locked:
        return _locked(request, locked.need)
    form = AttachmentForm(*posted_with_files(request))
    if request.method == "POST":
        if "then" in request.POST and not request.FILES:
            return _after_save(request, need, "attachments")
        if form.is_valid():
            try:
                need_attachment_add(
                    need=need,
                    actor=acting(request),
                    file=form.cleaned_data["file"],
                    description=form.cleaned_data["description"],
                )
            except WorkflowError as error:
                form.add_error("file", error.message)
            else:
                messages.success(request, _("The document is attached."))
                return HttpResponseRedirect(reverse("need_attachments", args=[need.pk]))
    return _page(
        request,
        "portal/needs/attachments.html",
        need,
        timeline,
        part=PARTS_BY_SLUG["attachments"],
        form=form,
    )


@login_required
@require_POST
def need_attachment_delete(request: HttpRequest, pk: int, attachment: int) -> HttpResponse:
    found = need_attachment_get_for(user=request.user, pk=attachment, need_pk=pk)
    try:
        need_attachment_remove(attachment=found, actor=acting(request))
    except WorkflowError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(reverse("need_detail", args=[pk]))
    messages.success(request, _("The document is removed."))
    return HttpResponseRedirect(reverse("need_attachments", args=[pk]))


def need_attachment_download(request: HttpRequest, pk: int, attachment: int) -> FileResponse:
    """The file, for those who see the need in full; 404 for anybody else."""
    found = need_attachment_get_for(user=request.user, pk=attachment, need_pk=pk)
    return download(found.file, found.download_name)
