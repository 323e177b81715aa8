"""Records the indicators read, edited directly by staff: every save or deletion asks for a
(debounced) recompute, as the workflows do, so no figure stays stale until the nightly run."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from projects.indicators.scheduling import request_indicator_refresh

from .history import HistoryMixin


class FiguresInputAdmin(HistoryMixin, admin.ModelAdmin):
    change_form_template = "admin/projects/change_form.html"

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        request_indicator_refresh()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if any(formset.has_changed() for formset in formsets):
            request_indicator_refresh()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        request_indicator_refresh()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)
        request_indicator_refresh()
