from __future__ import annotations

from typing import Any

from django.contrib.admin import display
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from projects.models import TransitionLog
from projects.workflows.registry import changes_shown, state_label_of, transition_label

from .readonly import ReadOnlyInline


class TimelineInline(ReadOnlyInline, GenericTabularInline):
    """The record's timeline, oldest first, in the reader's language; written only by the
    workflows."""

    model = TransitionLog
    ct_field = "content_type"
    ct_fk_field = "object_id"
    fields = ("at", "what", "from_label", "to_label", "actor", "comment", "changes_list")
    readonly_fields = fields
    ordering = ("at", "id")
    verbose_name_plural = _("timeline")
    classes = ("timeline",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[TransitionLog]:
        return super().get_queryset(request).select_related("actor", "content_type")

    @staticmethod
    def _model(row: TransitionLog) -> Any:
        return row.content_type.model_class()

    @display(description=_("transition"))
    def what(self, row: TransitionLog) -> str:
        return transition_label(model=self._model(row), name=row.transition)

    @display(description=_("from state"))
    def from_label(self, row: TransitionLog) -> str:
        if not row.from_state:
            return "—"
        return state_label_of(model=self._model(row), state=row.from_state)

    @display(description=_("to state"))
    def to_label(self, row: TransitionLog) -> str:
        return state_label_of(model=self._model(row), state=row.to_state)

    @display(description=_("changes"))
    def changes_list(self, row: TransitionLog) -> SafeString | str:
        if not row.changes:
            return "—"
        return format_html_join(
            "",
            "<div>{}: {} → {}</div>",
            (
                (label, "—" if old in (None, "") else old, "—" if new in (None, "") else new)
                for label, old, new in changes_shown(model=self._model(row), changes=row.changes)
            ),
        )
