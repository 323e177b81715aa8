"""The forms of the transitions, made from their inputs: one page per transition on a record,
and the intermediate page of a bulk action (the inputs every selected record shares)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.auth import get_user_model
from django.db import models
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
from projects.workflows._core import Input, InputKind, Transition

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
    transition: Transition,
    record: Any,
    admin_site: admin.AdminSite,
    only: tuple[str, ...] | None = None,
) -> type[forms.Form]:
    """A form with one field per input of ``transition`` (those named in ``only``, if given),
    then the comment."""
    fields: dict[str, forms.Field] = {
        one.name: _field_for(one, record, admin_site)
        for one in transition.inputs
        if only is None or one.name in only
    }
    fields["comment"] = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Kept in the record's timeline; e-mailed where the transition notifies."),
    )
    return type("TransitionForm", (forms.Form,), fields)


def initial_values(transition: Transition, record: Any) -> dict[str, Any]:
    """A correction starts from the values recorded."""
    if record is None or transition.target is not None:
        return {}
    return {
        one.name: getattr(record, one.name)
        for one in transition.inputs
        if one.kind is not InputKind.RECORDS and hasattr(record, one.name)
    }


def arguments_of(form: forms.Form, transition: Transition) -> dict[str, Any]:
    """The inputs given; a blank one is left to the function (a date is today, a correction
    keeps the recorded value). A list of records is always passed, possibly empty."""
    values: dict[str, Any] = {}
    for one in transition.inputs:
        if one.name not in form.fields:
            continue
        value = form.cleaned_data.get(one.name)
        if one.kind is InputKind.RECORDS:
            values[one.name] = list(value or [])
        elif value not in (None, ""):
            values[one.name] = value
    return values
