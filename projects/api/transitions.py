"""The API's side of the transition tables: a request body for each transition, built from its
``Input`` rows, and the values a body may name.

A new transition in a workflow's table appears in the API (an action, its body and its schema)
without API code. Records a body names by id are looked up among those the requesting user may
see; the organisation a user acts for is never taken from the body on trust: it must be one of
the user's own organisations, unless the user holds the transition's staff permission.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from projects.models import Bottleneck, Organization, ResearchProject, TechnicalNeed
from projects.selectors.bottlenecks import bottleneck_list_for
from projects.selectors.memberships import organizations_for
from projects.selectors.needs import PUBLIC_STATES, need_list_for
from projects.selectors.projects import project_list_for
from projects.workflows._core import Input, InputKind, Transition
from projects.workflows.registry import Machine

_AMOUNT_DIGITS = 16  # the database's columns for amounts in yuan: 16 digits, 2 decimals


def acting_input(machine: Machine, transition: Transition) -> Input | None:
    """The input naming the organisation the actor acts for, in a creation its members may
    take (a need's proposer, an application's applicant, a contract's seller): the first
    organisation among its inputs."""
    if not transition.creates or transition.members_of is None:
        return None
    return next(
        (i for i in transition.inputs if i.kind is InputKind.RECORD and i.model is Organization),
        None,
    )


def _parameters(transition: Transition) -> Mapping[str, inspect.Parameter]:
    assert transition.function is not None
    return inspect.signature(transition.function).parameters


def takes_comment(transition: Transition) -> bool:
    return "comment" in _parameters(transition)


def _demanded(transition: Transition, name: str) -> bool:
    """Whether the function has no default for ``name`` (a correction's comment is its
    reason, and required)."""
    parameter = _parameters(transition).get(name)
    return parameter is not None and parameter.default is inspect.Parameter.empty


def request_serializer(machine: Machine, transition: Transition) -> type[serializers.Serializer]:
    """The body of ``transition``: an optional comment, then its inputs, typed."""
    fields: dict[str, serializers.Field] = {}
    acting = acting_input(machine, transition)
    if takes_comment(transition):
        demanded = _demanded(transition, "comment")
        fields["comment"] = serializers.CharField(
            required=demanded,
            allow_blank=not demanded,
            max_length=4000,
            help_text="Why: kept in the record's timeline (and e-mailed where it says so).",
        )
    for one in transition.inputs:
        fields[one.name] = _field(machine, transition, one, acting=one is acting)
    name = "".join(p.capitalize() for p in f"{machine.name}_{transition.name}".split("_"))
    # The schema names it "<name>Request" (drf-spectacular adds the suffix of request bodies).
    return type(name, (_TransitionRequest,), fields)


class _TransitionRequest(serializers.Serializer):
    """Keeps only the values the client sent: an optional input left out keeps the record's
    value (an amendment changes what it names)."""


def _max_length(model: type[models.Model], name: str) -> int | None:
    try:
        field = model._meta.get_field(name)
    except Exception:
        return None
    return getattr(field, "max_length", None)


def _field(
    machine: Machine, transition: Transition, one: Input, *, acting: bool
) -> serializers.Field:
    common: dict[str, Any] = {
        "required": one.required and not acting,
        "help_text": _help(one, acting=acting),
        "label": one.label,
    }
    optional = not one.required
    if one.kind in (InputKind.TEXT, InputKind.LONG_TEXT):
        length = _max_length(machine.model, one.name) or (200 if one.kind is InputKind.TEXT else 0)
        if length:
            common["max_length"] = length
        else:
            common["max_length"] = 10_000
        return serializers.CharField(allow_blank=optional, **common)
    if one.kind is InputKind.CHOICE:
        assert one.choices is not None
        return serializers.ChoiceField(choices=one.choices.choices, allow_blank=optional, **common)
    if one.kind is InputKind.DATE:
        return serializers.DateField(allow_null=optional, **common)
    if one.kind is InputKind.AMOUNT:
        return serializers.DecimalField(
            max_digits=_AMOUNT_DIGITS,
            decimal_places=2,
            min_value=0,
            allow_null=optional,
            coerce_to_string=False,
            **common,
        )
    if one.kind is InputKind.RECORD:
        return RecordField(
            one=one, transition=transition, acting=acting, allow_null=optional, **common
        )
    if not one.required and _demanded(transition, one.name):
        # Left out, none of them (the function takes the list, possibly empty).
        common["required"] = False
        common["default"] = list
    return RecordField(one=one, transition=transition, acting=False, many=True, **common)


def _help(one: Input, *, acting: bool) -> Any:
    """The input's help in the schema (English, as the schema is: see ``SchemaView``); the
    table's own help text stays lazy, so it reads in the schema's language."""
    if acting:
        return (
            "The id of the organisation you act for; left out, your organisation when you "
            "belong to one only."
        )
    extra = {
        InputKind.RECORDS: "A list of ids.",
        InputKind.RECORD: "An id.",
    }.get(one.kind, "")
    if not one.help_text:
        return extra
    return format_lazy("{} {}", one.help_text, extra) if extra else one.help_text


@extend_schema_field(OpenApiTypes.INT)
class RecordField(serializers.PrimaryKeyRelatedField):
    """An id of a record the requesting user may name for this input."""

    def __init__(self, *, one: Input, transition: Transition, acting: bool, **kwargs: Any) -> None:
        self.input = one
        self.transition = transition
        self.acting = acting
        super().__init__(**kwargs)

    def get_queryset(self) -> models.QuerySet[Any]:
        request = self.context.get("request")
        user = request.user if request is not None else None
        return choices_for(
            self.input,
            user=user,
            record=self.context.get("record"),
            transition=self.transition,
            acting=self.acting,
        )

    def __deepcopy__(self, memo: dict[int, Any]) -> RecordField:
        # DRF copies declared fields for each serializer instance from their init arguments.
        args = dict(self._kwargs)
        return type(self)(**args)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


def choices_for(
    one: Input, *, user: Any, record: Any, transition: Transition, acting: bool
) -> models.QuerySet[Any]:
    """The records ``user`` may name for ``one``: those the input allows (narrowed to the
    record's, e.g. the bottlenecks a project addresses), among those the user may see."""
    base = one.queryset(record)
    if acting:
        if transition.permission and user is not None and user.has_perm(transition.permission):
            return base
        return base.filter(pk__in=organizations_for(user=user).values("pk"))
    visible = _VISIBLE.get(one.model) if one.model is not None else None
    if visible is not None:
        base = base.filter(pk__in=visible(user).values("pk"))
    if one.model is get_user_model():
        base = base.filter(is_active=True)
    return base


def _needs(user: Any) -> models.QuerySet[TechnicalNeed]:
    # Needs seen in full, and those anybody may read the summary of.
    return TechnicalNeed.objects.filter(
        models.Q(pk__in=need_list_for(user=user).values("pk")) | models.Q(state__in=PUBLIC_STATES)
    )


_VISIBLE: dict[type[models.Model], Callable[[Any], models.QuerySet[Any]]] = {
    TechnicalNeed: _needs,
    ResearchProject: lambda user: project_list_for(user=user),
    Bottleneck: lambda user: bottleneck_list_for(user=user),
}


def acting_organization(
    one: Input, *, user: Any, transition: Transition, given: Organization | None
) -> Organization:
    """The organisation the user acts for in a creation: the one the body named (already
    checked to be theirs), or their only one."""
    if given is not None:
        return given
    own = list(organizations_for(user=user)[:2])
    if len(own) == 1:
        return own[0]
    message = (
        _("Name the organisation you act for: you belong to several.")
        if own
        else _("You act for no organisation: ask its administrator to add you.")
    )
    raise serializers.ValidationError({one.name: [message]})


def call(transition: Transition, *, values: dict[str, Any], actor: Any, **record: Any) -> Any:
    """Perform ``transition`` with the body's values through its workflow function."""
    assert transition.function is not None
    return transition.function(actor=actor, **record, **values)
