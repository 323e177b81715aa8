"""The admin as a client of the workflows.

Each record type with a state machine gets, from its transition table: the buttons of the
transitions the user may take now on its change page, a page per transition
(``<id>/transition/<name>/``) with a form made of the transition's inputs and a comment, and
an add page that is the form of the creation transition (a contract added here is submitted,
with its due date and its ``submit`` row). Nothing else of a workflow record is edited in a
form: its facts change only through these functions, which log what they change.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from projects import formatting
from projects.workflows._core import Transition, authorize, check_state, state_label
from projects.workflows.errors import WorkflowError
from projects.workflows.registry import (
    Machine,
    available_transitions,
    machine_of,
    state_label_of,
)

from .bulk import BulkTransitionsMixin
from .forms import arguments_of, initial_values, transition_form_class
from .history import HistoryMixin
from .timeline import TimelineInline


def _is_amount(field: Any) -> bool:
    """An amount of yuan (the models keep them with two decimals)."""
    return isinstance(field, models.DecimalField) and field.decimal_places == 2


@cache
def _amount_shown(field: Any) -> Callable[[Any], str]:
    """A read-only amount as its readers write it (208.48 万元 / 2,084,800 yuan), where the
    admin would print the stored digits (2084800.00)."""

    @admin.display(description=field.verbose_name)
    def shown(record: Any) -> str:
        return formatting.amount(getattr(record, field.attname))

    shown.__name__ = field.name
    return shown


class WorkflowAdmin(BulkTransitionsMixin, HistoryMixin, admin.ModelAdmin):
    """A record type with a state machine. Its change form shows every field read-only but
    those in ``editable_fields`` (details no workflow decides); its transitions are
    buttons, and those in ``bulk_transitions`` also actions on the selected rows."""

    inlines = [TimelineInline]
    editable_fields: tuple[str, ...] = ()
    change_form_template = "admin/projects/workflow_change_form.html"

    class Media:
        css = {"all": ["projects/workflow.css"]}

    @property
    def machine(self) -> Machine:
        return machine_of(self.model)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        opts = self.model._meta
        fields = [f for f in [*opts.concrete_fields, *opts.many_to_many] if not f.primary_key]
        return [
            _amount_shown(f) if _is_amount(f) else f.name
            for f in fields
            if f.name not in self.editable_fields
        ]

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The amounts shown by ``_amount_shown`` are left out of the form under their names.
        return [
            *(super().get_exclude(request, obj) or ()),
            *(
                f.name
                for f in self.model._meta.concrete_fields
                if _is_amount(f) and f.name not in self.editable_fields
            ),
        ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        permission = self.machine.creation.permission
        return bool(permission and request.user.has_perm(permission))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # With nothing editable, the change form only shows the record: a POST to it is
        # refused (403) rather than saving the row as it was read. Its facts change through
        # the transitions, which check their own permissions.
        if not self.editable_fields:
            return False
        return super().has_change_permission(request, obj)

    def get_urls(self) -> list[Any]:
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "<path:object_id>/transition/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name=f"{info[0]}_{info[1]}_transition",
            ),
            *super().get_urls(),
        ]

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        if obj is not None:
            context["transitions"] = available_transitions(user=request.user, record=obj)
            context["state_label"] = state_label(obj)
        if not self.editable_fields:
            # Nothing to save: every change of such a record is one of its transitions.
            context.update(
                show_save=False, show_save_and_continue=False, show_save_and_add_another=False
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        return self._transition_page(request, self.machine.creation, None)

    def transition_view(self, request: HttpRequest, object_id: str, name: str) -> HttpResponse:
        record = self.get_object(request, object_id)
        transition = self.machine.on_records.get(name)
        if record is None or transition is None:
            raise Http404(_("There is no such record or transition."))
        if not self.has_view_permission(request, record):
            raise PermissionDenied
        try:
            # Refused before the form is filled in, with the same words as the function's.
            authorize(transition, record, request.user)
            check_state(transition, record)
        except WorkflowError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(self._change_url(record))
        return self._transition_page(request, transition, record)

    def _change_url(self, record: Any) -> str:
        opts = self.model._meta
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=[record.pk],
            current_app=self.admin_site.name,
        )

    def _transition_page(
        self, request: HttpRequest, transition: Transition, record: Any
    ) -> HttpResponse:
        form_class = transition_form_class(transition, record, self.admin_site)
        form = form_class(request.POST or None, initial=initial_values(transition, record))
        if request.method == "POST" and form.is_valid():
            arguments = arguments_of(form, transition)
            if record is not None:
                arguments[self.machine.name] = record
            try:
                result = transition.function(  # type: ignore[misc]
                    actor=request.user, comment=form.cleaned_data["comment"], **arguments
                )
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                done = record if record is not None else result
                self.message_user(request, self._done(transition, done), messages.SUCCESS)
                return HttpResponseRedirect(self._change_url(done))
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": self._title(transition, record),
            "opts": opts,
            "original": record,
            "transition": transition,
            "from_state": state_label(record) if record is not None else "",
            "to_state": (
                state_label_of(model=self.model, state=transition.target)
                if transition.target
                else ""
            ),
            "form": form,
            "media": self.media + form.media,
            "has_view_permission": self.has_view_permission(request, record),
        }
        return TemplateResponse(request, "admin/projects/transition_form.html", context)

    def _title(self, transition: Transition, record: Any) -> str:
        kind = self.model._meta.verbose_name
        if record is None:
            return _("%(action)s: new %(kind)s") % {
                "action": capfirst(str(transition.button_label)),
                "kind": kind,
            }
        return _("%(action)s the %(kind)s “%(record)s”") % {
            "action": capfirst(str(transition.label)),
            "kind": kind,
            "record": record,
        }

    def _done(self, transition: Transition, record: Any) -> str:
        if transition.target is None:
            return _("“%(record)s”: %(action)s — done.") % {
                "record": record,
                "action": transition.button_label,
            }
        # The workflow function moved ``record`` itself (it reloads the row it locks).
        return _("“%(record)s” is now %(state)s.") % {
            "record": record,
            "state": state_label(record),
        }
