from __future__ import annotations

from django.contrib import admin

from projects.models import Bottleneck, FundingAllocation, ProjectParticipant, ResearchProject

from .timeline import StateReadOnlyAdmin


class OrganizationRowsInline(admin.TabularInline):
    """Rows labelled by their organisation: read with it, not one query per row."""

    autocomplete_fields = ("organization",)
    extra = 0

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).select_related("organization")


class ProjectParticipantInline(OrganizationRowsInline):
    model = ProjectParticipant


class FundingAllocationInline(OrganizationRowsInline):
    model = FundingAllocation
    fields = ("organization", "source", "year", "amount")


@admin.register(ResearchProject)
class ResearchProjectAdmin(StateReadOnlyAdmin):
    list_display = ("code", "title", "programme", "lead", "pole", "state", "approved_on")
    list_filter = ("state", "programme", "pole")
    search_fields = ("code", "title", "lead__name")
    autocomplete_fields = ("lead", "bottlenecks", "needs")
    list_select_related = ("lead",)
    workflow_fields = ("state", "approved_on", "completed_on", "rectification_used")
    inlines = [ProjectParticipantInline, FundingAllocationInline, *StateReadOnlyAdmin.inlines]
    date_hierarchy = "approved_on"


@admin.register(ProjectParticipant)
class ProjectParticipantAdmin(admin.ModelAdmin):
    list_display = ("project", "organization", "role")
    list_filter = ("role", "organization__kind")
    search_fields = ("project__code", "project__title", "organization__name")
    autocomplete_fields = ("project", "organization")
    list_select_related = ("project", "organization")


@admin.register(FundingAllocation)
class FundingAllocationAdmin(admin.ModelAdmin):
    list_display = ("project", "organization", "source", "year", "amount")
    list_filter = ("source", "year", "organization__kind")
    search_fields = ("project__code", "organization__name")
    autocomplete_fields = ("project", "organization")
    list_select_related = ("project", "organization")


@admin.register(Bottleneck)
class BottleneckAdmin(StateReadOnlyAdmin):
    list_display = ("title", "industrial_chain", "pole", "state", "identified_on", "resolved_on")
    list_filter = ("state", "pole", "industrial_chain")
    search_fields = ("title", "description")
    workflow_fields = ("state", "resolved_on", "resolved_by")
    date_hierarchy = "identified_on"
