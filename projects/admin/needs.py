from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

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


# Media files are not served: an attachment is downloaded through the portal's view, which
# checks that the reader sees its record (staff with the record's view permission do), under
# the uploader's own file name rather than the random name it is stored under.
class NeedAttachmentLink:
    @admin.display(description=_("file"))
    def download(self, attachment: NeedAttachment) -> SafeString:
        url = reverse("need_attachment", args=[attachment.need_id, attachment.pk])
        return format_html('<a href="{}">{}</a>', url, attachment.download_name)


class ApplicationAttachmentLink:
    @admin.display(description=_("file"))
    def download(self, attachment: ApplicationAttachment) -> SafeString:
        url = reverse("catalogue:application_attachment", args=[attachment.pk])
        return format_html('<a href="{}">{}</a>', url, attachment.download_name)


class NeedIndicatorInline(ProposersContentInline):
    model = NeedIndicator
    fields = ("position", "metric", "target_value", "current_benchmark", "test_method")


class NeedAttachmentInline(NeedAttachmentLink, ProposersContentInline):
    model = NeedAttachment
    fields = ("download", "description", "uploaded_by")
    readonly_fields = ("download",)


@admin.register(TechnicalNeed)
class TechnicalNeedAdmin(WorkflowAdmin):
    list_display = ("title", "proposer", "pole", "industrial_chain", "state", "open_until")
    list_filter = ("state", "pole", "industrial_chain", "proposer__kind")
    search_fields = ("title", "summary", "proposer__name", "proposer__credit_code")
    list_select_related = ("proposer",)
    inlines = [NeedIndicatorInline, NeedAttachmentInline, TimelineInline]
    date_hierarchy = "created_at"
    bulk_transitions = {"start_review": (), "publish": (), "return": (), "reject": ("reason",)}


class ApplicationAttachmentInline(ApplicationAttachmentLink, ProposersContentInline):
    """The documents the applicant joined when it applied (changed by nobody)."""

    model = ApplicationAttachment
    fields = ("download", "uploaded_by")
    readonly_fields = ("download",)


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
class NeedAttachmentAdmin(NeedAttachmentLink, ReadOnlyAdmin):
    list_display = ("need", "download", "description", "uploaded_by", "created_at")
    search_fields = ("description", "need__title")
    list_select_related = ("need", "uploaded_by")
    fields = ("need", "download", "description", "uploaded_by")
    readonly_fields = ("download",)


@admin.register(ApplicationAttachment)
class ApplicationAttachmentAdmin(ApplicationAttachmentLink, ReadOnlyAdmin):
    list_display = ("application", "download", "uploaded_by", "created_at")
    search_fields = ("original_name", "application__need__title", "application__applicant__name")
    list_select_related = ("application__need", "application__applicant", "uploaded_by")
    fields = ("application", "download", "uploaded_by")
    readonly_fields = ("download",)
