"""Bulk decisions: a transition taken on every selected record, each through its workflow
function, which locks the record and checks its state and the user's right again.

A record refused (its state moved, a rule of the domain, no right) is reported with the
function's own words and left as it was; the others go ahead, each in its own transaction.
An intermediate page asks for what the decision needs (the comment, a date, a coded
reason) before anything is done.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from projects.workflows._core import state_label
from projects.workflows.errors import WorkflowError

from .forms import arguments_of, transition_form_class

if TYPE_CHECKING:
    from projects.workflows._core import Transition
    from projects.workflows.registry import Machine

ACTION_PREFIX = "transition_"


class BulkTransitionsMixin:
    """``bulk_transitions`` maps a transition's name to the inputs its bulk form asks for
    (a registration number, unique per record, is never one of them)."""

    bulk_transitions: dict[str, tuple[str, ...]] = {}
    admin_site: admin.AdminSite
    model: Any

    @property
    def machine(self) -> Machine:
        raise NotImplementedError

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions: dict[str, Any] = super().get_actions(request)  # type: ignore[misc]
        for name, inputs in self.bulk_transitions.items():
            transition = self.machine.on_records[name]
            if not (transition.permission and request.user.has_perm(transition.permission)):
                continue
            key = f"{ACTION_PREFIX}{name}"
            actions[key] = (
                _bulk_action(transition, inputs),
                key,
                _("%(action)s the selected %(kind)s…")
                % {
                    "action": capfirst(str(transition.button_label)),
                    "kind": self.model._meta.verbose_name_plural,
                },
            )
        return actions


def _bulk_action(transition: Transition, inputs: tuple[str, ...]) -> Callable[..., Any]:
    def action(
        modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]
    ) -> HttpResponse | None:
        return bulk_transition(modeladmin, request, queryset, transition, inputs)

    return action


def bulk_transition(
    modeladmin: Any,
    request: HttpRequest,
    queryset: QuerySet[Any],
    transition: Transition,
    inputs: tuple[str, ...],
) -> HttpResponse | None:
    form_class = transition_form_class(transition, None, modeladmin.admin_site, only=inputs)
    records = list(queryset.order_by("pk"))
    if request.POST.get("apply"):
        form = form_class(request.POST)
        if form.is_valid():
            _apply(modeladmin, request, records, transition, form)
            return None  # back to the list, with the report as messages
    else:
        form = form_class()
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("%(action)s: %(count)s selected %(kind)s")
        % {
            "action": capfirst(str(transition.button_label)),
            "count": len(records),
            "kind": opts.verbose_name_plural,
        },
        "opts": opts,
        "transition": transition,
        "records": [(record, state_label(record)) for record in records],
        "form": form,
        "action_name": f"{ACTION_PREFIX}{transition.name}",
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, "admin/projects/bulk_transition.html", context)


def _apply(
    modeladmin: Any,
    request: HttpRequest,
    records: list[Any],
    transition: Transition,
    form: Any,
) -> None:
    arguments = arguments_of(form, transition)
    done: list[str] = []
    for record in records:
        assert transition.function is not None
        try:
            transition.function(
                actor=request.user,
                comment=form.cleaned_data["comment"],
                **{modeladmin.machine.name: record},
                **arguments,
            )
        except WorkflowError as exc:
            reason = str(exc)
            # Most refusals already name their record ("“电池热管理” has 3 indicators").
            message = (
                _("Refused, nothing changed: %(reason)s")
                if str(record) in reason
                else _("Refused, nothing changed: “%(record)s”: %(reason)s")
            )
            modeladmin.message_user(
                request, message % {"record": record, "reason": reason}, messages.ERROR
            )
        else:
            done.append(str(record))
    if done:
        modeladmin.message_user(
            request,
            ngettext(
                "%(action)s — done for %(count)d record: %(records)s.",
                "%(action)s — done for %(count)d records: %(records)s.",
                len(done),
            )
            % {
                "action": capfirst(str(transition.button_label)),
                "count": len(done),
                "records": "、".join(f"“{name}”" for name in done),
            },
            messages.SUCCESS,
        )
