"""A record's history in one place: its timeline (the workflow's ``TransitionLog`` rows, in the
reader's language) and its field history (django-simple-history snapshots: who changed which
field from what to what), on the change page and on the admin's own History page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from projects.formatting import amount
from projects.models import WITH_HISTORY, TransitionLog
from projects.selectors.timelines import timeline_for
from projects.workflows.registry import (
    MACHINES,
    changes_shown,
    state_label_of,
    transition_label,
)

# Written with every save; a change of these alone is not a change anyone made.
_NOT_SHOWN = {"created_at", "updated_at", "search_text"}
_WORKFLOW_MODELS = {machine.model for machine in MACHINES.values()}


@dataclass(frozen=True)
class FieldChange:
    at: datetime.datetime
    user: Any
    created: bool
    changes: list[tuple[str, str, str]]


@dataclass(frozen=True)
class TimelineRow:
    at: datetime.datetime
    what: str
    from_state: str
    to_state: str
    actor: Any
    comment: str
    changes: list[tuple[str, Any, Any]]


def _shown(field: models.Field[Any, Any], value: Any, names: dict[Any, str]) -> str:
    if value in (None, ""):
        return "—"
    if field.is_relation:
        return names.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return amount(value)
    if isinstance(value, datetime.datetime):
        return date_format(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value)
    return str(value)


def field_history(record: models.Model, *, limit: int | None = None) -> list[FieldChange]:
    """The record's saved changes, newest first: one query for the snapshots, one per related
    record type named in them."""
    if type(record) not in WITH_HISTORY:
        return []
    snapshots = list(
        record.history.select_related("history_user").order_by("history_date", "history_id")  # type: ignore[attr-defined]
    )
    tracked = [
        f
        for f in type(record)._meta.concrete_fields
        if not f.primary_key and f.name not in _NOT_SHOWN
    ]
    deltas: list[tuple[Any, list[tuple[str, Any, Any]] | None]] = []
    for previous, snapshot in zip([None, *snapshots], snapshots, strict=False):
        if previous is None or snapshot.history_type == "+":
            deltas.append((snapshot, None))
            continue
        # Compared here rather than with ``diff_against``, which leaves out the fields that
        # are not editable in a form: the state, the dates and numbers the workflows set.
        moved = [
            (f.name, getattr(previous, f.attname), getattr(snapshot, f.attname))
            for f in tracked
            if getattr(previous, f.attname) != getattr(snapshot, f.attname)
        ]
        if moved:
            deltas.append((snapshot, moved))
    fields = {f.attname: f for f in type(record)._meta.concrete_fields}
    fields.update({f.name: f for f in type(record)._meta.concrete_fields})
    wanted: dict[Any, set[Any]] = {}
    for _snapshot, delta in deltas:
        for name, old, new in delta or []:
            field = fields[name]
            if field.is_relation:
                wanted.setdefault(field.related_model, set()).update({old, new})
    names = {
        (model, row.pk): str(row)
        for model, pks in wanted.items()
        for row in model._default_manager.filter(pk__in=[pk for pk in pks if pk is not None])
    }
    rows = [
        FieldChange(
            at=snapshot.history_date,
            user=snapshot.history_user,
            created=changes is None,
            changes=[
                (
                    capfirst(str(fields[name].verbose_name)),
                    _shown(fields[name], old, names),
                    _shown(fields[name], new, names),
                )
                for name, old, new in changes or []
            ],
        )
        for snapshot, changes in reversed(deltas)
    ]
    return rows[:limit] if limit else rows


def timeline_rows(record: models.Model) -> list[TimelineRow] | None:
    """The record's logged transitions, oldest first, in the reader's language; ``None`` for a
    record type without a workflow."""
    model = type(record)
    if model not in _WORKFLOW_MODELS:
        return None
    logs: list[TransitionLog] = list(timeline_for(record=record).select_related("actor"))
    return [
        TimelineRow(
            at=log.at,
            what=transition_label(model=model, name=log.transition),
            from_state=state_label_of(model=model, state=log.from_state) if log.from_state else "—",
            to_state=state_label_of(model=model, state=log.to_state),
            actor=log.actor,
            comment=log.comment,
            changes=changes_shown(model=model, changes=log.changes) if log.changes else [],
        )
        for log in logs
    ]


class HistoryMixin(admin.ModelAdmin):
    """The History page shows the timeline and the field history, then the admin's own log
    (a record changed only through the workflows has none of the latter)."""

    object_history_template = "admin/projects/object_history.html"
    # The change page shows the latest field changes; the History page shows all of them.
    field_history_on_change_page = 10

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        record = self.get_object(request, unquote(object_id))
        if record is None:
            raise Http404
        if not self.has_view_or_change_permission(request, record):
            raise PermissionDenied
        context = {
            "timeline": timeline_rows(record),
            "field_history": field_history(record),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra_context=context)

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
            context["field_history"] = field_history(obj, limit=self.field_history_on_change_page)
            context["field_history_more"] = len(context["field_history"]) == (
                self.field_history_on_change_page
            )
        return super().render_change_form(request, context, add, change, form_url, obj)
