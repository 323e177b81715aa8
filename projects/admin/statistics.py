from __future__ import annotations

from django.contrib import admin

from projects.models import Notification, TransitionLog, YearlyStatistic

from .figures import FiguresInputAdmin
from .readonly import ReadOnlyAdmin


@admin.register(YearlyStatistic)
class YearlyStatisticAdmin(FiguresInputAdmin):
    list_display = ("year", "gdp", "rd_expenditure", "population", "invention_patents", "source")
    search_fields = ("year", "source")


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyAdmin):
    list_display = (
        "at",
        "content_type",
        "object_id",
        "transition",
        "from_state",
        "to_state",
        "actor",
    )
    list_filter = ("content_type", "transition", "to_state")
    search_fields = ("comment", "actor__username")
    list_select_related = ("content_type", "actor")
    # One row per state change of every record: newest first by key, no date drill-down (it
    # scans them all).
    ordering = ("-id",)
    show_full_result_count = False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "email", "template", "state", "attempts", "sent_at")
    list_filter = ("state", "template")
    search_fields = ("email", "recipient__username", "last_error")
