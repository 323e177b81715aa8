from __future__ import annotations

from django.contrib import admin

from projects.models import NeedApplication, NeedAttachment, NeedIndicator, TechnicalNeed

from .timeline import StateReadOnlyAdmin


class NeedIndicatorInline(admin.TabularInline):
    model = NeedIndicator
    fields = ("position", "metric", "target_value", "current_benchmark", "test_method")
    extra = 0


class NeedAttachmentInline(admin.TabularInline):
    model = NeedAttachment
    fields = ("file", "description", "uploaded_by")
    autocomplete_fields = ("uploaded_by",)
    extra = 0


@admin.register(TechnicalNeed)
class TechnicalNeedAdmin(StateReadOnlyAdmin):
    list_display = ("title", "proposer", "pole", "industrial_chain", "state", "open_until")
    list_filter = ("state", "pole", "industrial_chain", "proposer__kind")
    search_fields = ("title", "summary", "proposer__name", "proposer__credit_code")
    autocomplete_fields = ("proposer", "bottleneck", "created_by")
    list_select_related = ("proposer",)
    workflow_fields = ("state", "rejection_reason", "submitted_at", "published_at")
    inlines = [NeedIndicatorInline, NeedAttachmentInline, *StateReadOnlyAdmin.inlines]
    date_hierarchy = "created_at"


@admin.register(NeedApplication)
class NeedApplicationAdmin(StateReadOnlyAdmin):
    list_display = ("need", "applicant", "state", "created_at")
    list_filter = ("state",)
    search_fields = ("need__title", "applicant__name")
    autocomplete_fields = ("need", "applicant", "project", "contract", "submitted_by")
    list_select_related = ("need", "applicant")


@admin.register(NeedIndicator)
class NeedIndicatorAdmin(admin.ModelAdmin):
    list_display = ("need", "position", "metric", "target_value", "current_benchmark")
    search_fields = ("metric", "need__title")
    autocomplete_fields = ("need",)
    list_select_related = ("need",)


@admin.register(NeedAttachment)
class NeedAttachmentAdmin(admin.ModelAdmin):
    list_display = ("need", "file", "description", "uploaded_by", "created_at")
    search_fields = ("description", "need__title")
    autocomplete_fields = ("need", "uploaded_by")
    list_select_related = ("need", "uploaded_by")
