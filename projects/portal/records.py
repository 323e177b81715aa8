"""Pages of a research project and a contract of one's organisation (read-only but for the
transitions the table offers its members), and the generic page of a transition.

The transition page is driven by the transition table: ``/<kind>/<pk>/transition/<name>/``
shows the record, a form made of the transition's inputs and a comment, and performs it
through its workflow function; a refusal is shown at the top of the form, nothing typed lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from projects.models import (
    NeedApplication,
    Organization,
    ResearchProject,
    TechnicalNeed,
    TransferContract,
)
from projects.selectors.applications import application_get_for
from projects.selectors.contracts import contract_get_for
from projects.selectors.needs import need_get_for
from projects.selectors.organizations import organization_get_for
from projects.selectors.projects import project_get_for
from projects.selectors.timelines import timeline_for
from projects.workflows.errors import WorkflowError
from projects.workflows.registry import available_transitions, machine_of

from .forms import (
    missing_parts,
    offered_in_portal,
    posted,
    transition_arguments,
    transition_form_class,
    transition_initial,
)
from .needs import part_url, tasks


def _offered(user: Any, record: models.Model) -> list[Any]:
    return [t for t in available_transitions(user=user, record=record) if offered_in_portal(t)]


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_get_for(user=request.user, pk=pk)
    return render(
        request,
        "portal/projects/detail.html",
        {
            "project": project,
            "timeline": list(timeline_for(record=project)),
            "transitions": _offered(request.user, project),
        },
    )


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_get_for(user=request.user, pk=pk)
    return render(
        request,
        "portal/contracts/detail.html",
        {
            "contract": contract,
            "timeline": list(timeline_for(record=contract)),
            "transitions": _offered(request.user, contract),
        },
    )


@dataclass(frozen=True)
class Kind:
    """A record type the portal acts on: how to read one for a user."""

    get: Callable[..., Any]


KINDS: dict[str, Kind] = {
    "needs": Kind(need_get_for),
    "projects": Kind(project_get_for),
    "contracts": Kind(contract_get_for),
    "applications": Kind(application_get_for),
    "organisations": Kind(organization_get_for),
}


_PAGES: dict[type[models.Model], str] = {
    TechnicalNeed: "need_detail",
    ResearchProject: "project_detail",
    TransferContract: "contract_detail",
}


def record_page(record: models.Model) -> str:
    """Where ``record`` is read in the portal."""
    if isinstance(record, Organization):
        return reverse("organisation")
    if isinstance(record, NeedApplication):
        return reverse("catalogue:application", kwargs={"pk": record.pk})
    return reverse(_PAGES[type(record)], kwargs={"pk": record.pk})


def _refusal_before_form(record: Any, name: str) -> list[tuple[str, str]]:
    """The parts still to finish before a need can be submitted, shown before the form with a
    link to each (link, message). The workflow refuses the submission all the same
    (``need_submit``); the page only says so before the person tries."""
    if isinstance(record, TechnicalNeed) and name in ("submit", "resubmit"):
        return [
            (
                part_url(record, part.slug),
                _("Finish this part first: %(part)s.") % {"part": capfirst(str(part.title))},
            )
            for part in missing_parts(record)
        ]
    return []


@login_required
def transition(request: HttpRequest, kind: str, pk: int, name: str) -> HttpResponse:
    chosen = KINDS.get(kind)
    if chosen is None:
        raise Http404
    record = chosen.get(user=request.user, pk=pk)
    machine = machine_of(record)
    available = available_transitions(user=request.user, record=record)
    offered = {t.name: t for t in available if offered_in_portal(t)}
    step = offered.get(name)
    if step is None:
        if name in machine.on_records:
            messages.error(
                request,
                _("You cannot %(action)s this %(kind)s now.")
                % {"action": machine.on_records[name].label, "kind": record._meta.verbose_name},
            )
            return HttpResponseRedirect(record_page(record))
        raise Http404
    form_class = transition_form_class(step, record)
    initial = {**transition_initial(step, record), **request.GET.dict()}
    form = form_class(posted(request), initial=initial)
    blocked = _refusal_before_form(record, name)
    if request.method == "POST" and not blocked and form.is_valid():
        function = machine.functions[name]
        try:
            function(
                **{machine.name: record},
                actor=request.user,
                comment=form.cleaned_data.get("comment", ""),
                **transition_arguments(form, step),
            )
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Done: %(action)s.") % {"action": capfirst(str(step.button_label))},
            )
            return HttpResponseRedirect(record_page(record))
    return render(
        request,
        "portal/transition.html",
        {
            "record": record,
            "transition": step,
            "title": capfirst(str(step.button_label)),
            "form": form,
            "blocked": blocked,
            "back": record_page(record),
            "need": record if isinstance(record, TechnicalNeed) else None,
            "tasks": tasks(record) if isinstance(record, TechnicalNeed) else None,
            # Check your answers, each with its change link while the need can be edited.
            "editable": any(t.name == "edit" for t in available),
        },
    )
