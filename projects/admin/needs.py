from __future__ import annotations

from django.contrib import admin

from projects.models import (
    ApplicationAttachment,
    NeedApplication,
    NeedAttachment,
    NeedIndicator,
    TechnicalNeed,
)

from .readonly import ReadOnlyAdmin, ReadOnlyInline
from .timeline import TimelineInline
from .workflow import WorkflowAdmin


class ProposersContentInline(ReadOnlyInline, admin.TabularInline):
    """What the proposer wrote: read here, changed only by the proposer (reviewers return the
    need with a comment instead)."""


class NeedIndicatorInline(ProposersContentInline):
    model = NeedIndicator
    fields = ("position", "metric", "target_value", "current_benchmark", "test_method")


class NeedAttachmentInline(ProposersContentInline):
    model = NeedAttachment
    fields = ("file", "description", "uploaded_by")


@admin.register(TechnicalNeed)
class TechnicalNeedAdmin(WorkflowAdmin):
    list_display = ("title", "proposer", "pole", "industrial_chain", "state", "open_until")
    list_filter = ("state", "pole", "industrial_chain", "proposer__kind")
    search_fields = ("title", "summary", "proposer__name", "proposer__credit_code")
    list_select_related = ("proposer",)
    inlines = [NeedIndicatorInline, NeedAttachmentInline, TimelineInline]
    date_hierarchy = "created_at"
    bulk_transitions = {"start_review": (), "publish": (), "return": (), "reject": ("reason",)}


class ApplicationAttachmentInline(ReadOnlyInline, admin.TabularInline):
    """The documents the applicant joined when it applied (changed by nobody)."""

    model = ApplicationAttachment
    fields = ("original_name", "file", "uploaded_by")


@admin.register(NeedApplication)
class NeedApplicationAdmin(WorkflowAdmin):
    list_display = ("need", "applicant", "state", "created_at")
    list_filter = ("state",)
    search_fields = ("need__title", "applicant__name")
    list_select_related = ("need", "applicant")
    bulk_transitions = {"shortlist": (), "decline": ()}
    inlines = [ApplicationAttachmentInline, TimelineInline]


@admin.register(NeedIndicator)
class NeedIndicatorAdmin(ReadOnlyAdmin):
    list_display = ("need", "position", "metric", "target_value", "current_benchmark")
    search_fields = ("metric", "need__title")
    list_select_related = ("need",)


@admin.register(NeedAttachment)
class NeedAttachmentAdmin(ReadOnlyAdmin):
    list_display = ("need", "file", "description", "uploaded_by", "created_at")
    search_fields = ("description", "need__title")
    list_select_related = ("need", "uploaded_by")


@admin.register(ApplicationAttachment)
class ApplicationAttachmentAdmin(ReadOnlyAdmin):
    list_display = ("application", "original_name", "uploaded_by", "created_at")
    search_fields = ("original_name", "application__need__title", "application__applicant__name")
    list_select_related = ("application__need", "application__applicant", "uploaded_by")
