from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from projects.models import (
    Certification,
    InnovationPlatform,
    Membership,
    MembershipRequest,
    Organization,
)

from .figures import FiguresInputAdmin
from .imports import CertificationResource, ImportExportAdmin, OrganizationResource
from .paging import LargeTableAdmin
from .readonly import ReadOnlyAdmin, ReadOnlyInline
from .timeline import TimelineInline
from .workflow import WorkflowAdmin


class MembershipInline(ReadOnlyInline, admin.TabularInline):
    """Who acts for the organisation; changed by the add/remove member buttons, logged."""

    model = Membership
    fields = ("user", "role", "language", "created_at")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # Each row's label names its user and organisation.
        return super().get_queryset(request).select_related("user", "organization")


@admin.register(Organization)
class OrganizationAdmin(ImportExportAdmin, WorkflowAdmin):
    resource_classes = [OrganizationResource]
    list_display = ("name", "credit_code", "kind", "district", "pole", "state")
    list_filter = ("state", "kind", "pole", "district")
    search_fields = ("name", "credit_code", "industry")
    inlines = [MembershipInline, TimelineInline]
    list_per_page = 50
    show_full_result_count = False
    bulk_transitions = {"verify": ()}


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email", "organization__name")
    list_select_related = ("user", "organization")


@admin.register(MembershipRequest)
class MembershipRequestAdmin(ReadOnlyAdmin):
    """Requests to join, from the portal's sign-up; decided on the organisation's page
    (approve / refuse a membership request)."""

    list_display = ("user", "organization", "state", "created_at", "decided_by")
    list_filter = ("state",)
    search_fields = ("user__username", "user__email", "organization__name")
    list_select_related = ("user", "organization", "decided_by")


@admin.register(Certification)
class CertificationAdmin(ImportExportAdmin, LargeTableAdmin, FiguresInputAdmin):
    resource_classes = [CertificationResource]
    list_display = ("number", "kind", "organization", "valid_from", "valid_until")
    list_filter = ("kind", "organization__district")
    search_fields = ("number", "organization__name", "organization__credit_code")
    autocomplete_fields = ("organization",)
    list_select_related = ("organization",)
    # Hundreds of thousands of rows: newest first by key, no date drill-down (it scans them all).
    ordering = ("-id",)
    show_full_result_count = False


@admin.register(InnovationPlatform)
class InnovationPlatformAdmin(FiguresInputAdmin):
    list_display = ("name", "kind", "level", "host", "pole", "established_on", "closed_on")
    list_filter = ("level", "kind", "pole")
    search_fields = ("name", "host__name")
    autocomplete_fields = ("host",)
    list_select_related = ("host",)
    date_hierarchy = "established_on"
