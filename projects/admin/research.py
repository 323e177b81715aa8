from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from projects.models import Bottleneck, FundingAllocation, ProjectParticipant, ResearchProject

from .figures import FiguresInputAdmin
from .timeline import TimelineInline
from .workflow import WorkflowAdmin


class OrganizationRowsInline(admin.TabularInline):
    """Rows labelled by their organisation: read with it, not one query per row."""

    autocomplete_fields = ("organization",)
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related("organization")


class ProjectParticipantInline(OrganizationRowsInline):
    model = ProjectParticipant


class FundingAllocationInline(OrganizationRowsInline):
    model = FundingAllocation
    fields = ("organization", "source", "year", "amount")


@admin.register(ResearchProject)
class ResearchProjectAdmin(WorkflowAdmin, FiguresInputAdmin):
    list_display = ("code", "title", "programme", "lead", "pole", "state", "approved_on")
    list_filter = ("state", "programme", "pole")
    search_fields = ("code", "title", "lead__name")
    autocomplete_fields = ("lead", "bottlenecks", "needs")
    list_select_related = ("lead",)
    # The project's description and team; its dates and outcome are the workflow's.
    editable_fields = (
        "title",
        "programme",
        "pole",
        "lead",
        "start_on",
        "end_on",
        "bottlenecks",
        "needs",
    )
    inlines = [ProjectParticipantInline, FundingAllocationInline, TimelineInline]
    date_hierarchy = "approved_on"
    bulk_transitions = {"approve": ("approved_on",), "start": ()}


@admin.register(ProjectParticipant)
class ProjectParticipantAdmin(FiguresInputAdmin):
    list_display = ("project", "organization", "role")
    list_filter = ("role", "organization__kind")
    search_fields = ("project__code", "project__title", "organization__name")
    autocomplete_fields = ("project", "organization")
    list_select_related = ("project", "organization")


@admin.register(FundingAllocation)
class FundingAllocationAdmin(FiguresInputAdmin):
    list_display = ("project", "organization", "source", "year", "amount")
    list_filter = ("source", "year", "organization__kind")
    search_fields = ("project__code", "organization__name")
    autocomplete_fields = ("project", "organization")
    list_select_related = ("project", "organization")


@admin.register(Bottleneck)
class BottleneckAdmin(WorkflowAdmin, FiguresInputAdmin):
    list_display = ("title", "industrial_chain", "pole", "state", "identified_on", "resolved_on")
    list_filter = ("state", "pole", "industrial_chain")
    search_fields = ("title", "description")
    editable_fields = ("title", "industrial_chain", "pole", "description", "resolution_criteria")
    date_hierarchy = "identified_on"
