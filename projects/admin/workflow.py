"""The admin as a client of the workflows.

Each record type with a state machine gets, from its transition table: the buttons of the
transitions the user may take now on its change page, a page per transition
(``<id>/transition/<name>/``) with a form made of the transition's inputs and a comment, and
an add page that is the form of the creation transition (a contract added here is submitted,
with its due date and its ``submit`` row). Nothing else of a workflow record is edited in a
form: its facts change only through these functions, which log what they change.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from projects.models import (
    Bottleneck,
    Membership,
    Organization,
    ResearchProject,
    TechnicalNeed,
    TransferContract,
)
from projects.workflows._core import (
    Input,
    InputKind,
    Transition,
    authorize,
    check_state,
    state_label,
)
from projects.workflows.errors import WorkflowError
from projects.workflows.registry import (
    Machine,
    available_transitions,
    machine_of,
    state_label_of,
)

from .timeline import TimelineInline

# A foreign key to each record type an input may name, for the admin's search-as-you-type
# widget (it needs a model field to know what to search).
_AUTOCOMPLETE_THROUGH: dict[type[models.Model], tuple[type[models.Model], str]] = {
    Organization: (TransferContract, "seller"),
    TechnicalNeed: (TransferContract, "need"),
    ResearchProject: (TransferContract, "project"),
    Bottleneck: (TechnicalNeed, "bottleneck"),
}


def _field_for(one: Input, record: Any, admin_site: admin.AdminSite) -> forms.Field:
    common: dict[str, Any] = {
        "label": capfirst(str(one.label)),
        "required": one.required,
        "help_text": one.help_text,
    }
    if one.kind is InputKind.LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 60}), **common)
    if one.kind is InputKind.CHOICE:
        assert one.choices is not None
        return forms.ChoiceField(choices=[("", "---------"), *one.choices.choices], **common)
    if one.kind is InputKind.DATE:
        return forms.DateField(widget=widgets.AdminDateWidget, **common)
    if one.kind is InputKind.AMOUNT:
        return forms.DecimalField(max_digits=16, decimal_places=2, min_value=0, **common)
    if one.kind in (InputKind.RECORD, InputKind.RECORDS):
        queryset = one.queryset(record)
        many = one.kind is InputKind.RECORDS
        field_class = forms.ModelMultipleChoiceField if many else forms.ModelChoiceField
        return field_class(
            queryset=queryset, widget=_record_widget(one, many, admin_site), **common
        )
    return forms.CharField(max_length=200, **common)


def _record_widget(one: Input, many: bool, admin_site: admin.AdminSite) -> forms.Widget:
    if one.options is not None:
        # A short list bound to the record (its bottlenecks, its members).
        return forms.CheckboxSelectMultiple() if many else forms.Select()
    assert one.model is not None
    if many:
        return widgets.AutocompleteSelectMultiple(
            ResearchProject._meta.get_field("bottlenecks"), admin_site
        )
    if one.model is get_user_model():
        return widgets.AutocompleteSelect(Membership._meta.get_field("user"), admin_site)
    through = _AUTOCOMPLETE_THROUGH.get(one.model)
    if through is None:
        return forms.Select()
    model, name = through
    return widgets.AutocompleteSelect(model._meta.get_field(name), admin_site)


def transition_form_class(
    transition: Transition, record: Any, admin_site: admin.AdminSite
) -> type[forms.Form]:
    """A form with one field per input of ``transition``, then the comment."""
    fields: dict[str, forms.Field] = {
        one.name: _field_for(one, record, admin_site) for one in transition.inputs
    }
    fields["comment"] = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Kept in the record's timeline; e-mailed where the transition notifies."),
    )
    return type("TransitionForm", (forms.Form,), fields)


def _initial(transition: Transition, record: Any) -> dict[str, Any]:
    """A correction starts from the values recorded."""
    if record is None or transition.target is not None:
        return {}
    return {
        one.name: getattr(record, one.name)
        for one in transition.inputs
        if one.kind is not InputKind.RECORDS and hasattr(record, one.name)
    }


def _arguments(form: forms.Form, transition: Transition) -> dict[str, Any]:
    """The inputs given; a blank one is left to the function (a date is today, a correction
    keeps the recorded value). A list of records is always passed, possibly empty."""
    values: dict[str, Any] = {}
    for one in transition.inputs:
        value = form.cleaned_data.get(one.name)
        if one.kind is InputKind.RECORDS:
            values[one.name] = list(value or [])
        elif value not in (None, ""):
            values[one.name] = value
    return values


class WorkflowAdmin(admin.ModelAdmin):
    """A record type with a state machine. Its change form shows every field read-only but
    those in ``editable_fields`` (details no workflow decides); its transitions are
    buttons."""

    inlines = [TimelineInline]
    editable_fields: tuple[str, ...] = ()
    change_form_template = "admin/projects/workflow_change_form.html"

    class Media:
        css = {"all": ["projects/workflow.css"]}

    @property
    def machine(self) -> Machine:
        return machine_of(self.model)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        opts = self.model._meta
        names = [f.name for f in [*opts.concrete_fields, *opts.many_to_many] if not f.primary_key]
        return [name for name in names if name not in self.editable_fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        permission = self.machine.creation.permission
        return bool(permission and request.user.has_perm(permission))

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
        form = form_class(request.POST or None, initial=_initial(transition, record))
        if request.method == "POST" and form.is_valid():
            arguments = _arguments(form, transition)
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
