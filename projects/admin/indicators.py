from __future__ import annotations

from django.contrib import admin

from projects.models import IndicatorRevision, IndicatorRun, IndicatorValue, PublishedFigure

from .readonly import ReadOnlyAdmin


@admin.register(IndicatorRun)
class IndicatorRunAdmin(ReadOnlyAdmin):
    list_display = ("id", "trigger", "status", "progress", "actor", "started_at", "finished_at")
    list_filter = ("status", "trigger")
    list_select_related = ("actor",)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    list_display = ("run", "code", "year", "scope", "value", "numerator", "denominator")
    list_filter = ("code", "year")
    search_fields = ("code", "scope")
    list_select_related = ("run",)
    show_full_result_count = False


@admin.register(PublishedFigure)
class PublishedFigureAdmin(ReadOnlyAdmin):
    list_display = ("code", "year", "scope", "value", "run", "published_at", "published_by")
    list_filter = ("code", "year")
    list_select_related = ("run", "published_by")


@admin.register(IndicatorRevision)
class IndicatorRevisionAdmin(ReadOnlyAdmin):
    list_display = ("run", "code", "year", "scope", "published_value", "new_value", "created_at")
    list_filter = ("code", "year")
    list_select_related = ("run",)
