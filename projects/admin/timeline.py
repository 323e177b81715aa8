from __future__ import annotations

from django.contrib.contenttypes.admin import GenericTabularInline
from django.http import HttpRequest

from projects.models import TransitionLog


class TimelineInline(GenericTabularInline):
    """The record's state history, newest last; written only by the workflows."""

    model = TransitionLog
    ct_field = "content_type"
    ct_fk_field = "object_id"
    fields = ("at", "transition", "from_state", "to_state", "actor", "comment", "changes")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("at", "id")
    verbose_name_plural = "timeline"

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("actor")
