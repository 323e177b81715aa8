from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from projects import clock
from projects.formatting import amount as yuan
from projects.models import TransferContract

from .imports import ImportExportAdmin, TransferContractResource
from .paging import LargeTableAdmin
from .queues import DUE_SOON_WORKING_DAYS, due_soon_until
from .workflow import WorkflowAdmin

S = TransferContract.State


class RegistrationClockFilter(admin.SimpleListFilter):
    """Contracts waiting for the registry, by how close their due date is (the clock runs
    only while a contract is submitted)."""

    title = _("registration clock")
    parameter_name = "clock"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("overdue", _("overdue")),
            (
                "due_soon",
                _("due within %(days)d working days") % {"days": DUE_SOON_WORKING_DAYS},
            ),
            ("running", _("clock running")),
            ("provisional", _("due date provisional")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        today = clock.today()
        submitted = queryset.filter(state=S.SUBMITTED)
        if self.value() == "overdue":
            return submitted.filter(registration_due_on__lt=today)
        if self.value() == "due_soon":
            return submitted.filter(registration_due_on__range=(today, due_soon_until(today)))
        if self.value() == "running":
            return submitted
        if self.value() == "provisional":
            return submitted.filter(registration_due_provisional=True)
        return queryset


@admin.register(TransferContract)
class TransferContractAdmin(ImportExportAdmin, LargeTableAdmin, WorkflowAdmin):
    resource_classes = [TransferContractResource]
    list_display = (
        "title",
        "seller",
        "buyer",
        "amount",
        "state",
        "submitted_on",
        "registration_clock",
        "registration_number",
    )
    list_display_links = ("title",)
    list_filter = (RegistrationClockFilter, "state", "kind", "pole", "district")
    search_fields = ("=registration_number", "title", "seller__name", "buyer__name")
    list_select_related = ("seller", "buyer")
    # Newest submission first, served by the model's index on that ordering.
    ordering = ("-submitted_on", "-id")
    # The registration number is made per contract when left out.
    bulk_transitions = {"register": ("registered_on",), "request_supplements": ()}

    @admin.display(description=_("contract amount"), ordering="contract_amount")
    def amount(self, contract: TransferContract) -> str:
        return yuan(contract.contract_amount)

    @admin.display(description=_("registration due on"), ordering="registration_due_on")
    def registration_clock(self, contract: TransferContract) -> SafeString | str:
        due = contract.registration_due_on
        if due is None or contract.state != S.SUBMITTED:
            return "—"
        provisional = (
            format_html(' <span class="provisional">({})</span>', _("provisional"))
            if contract.registration_due_provisional
            else ""
        )
        today = clock.today()
        if due < today:
            status, css = _("overdue"), "overdue"
        elif due <= due_soon_until(today):
            status, css = _("due soon"), "due-soon"
        else:
            return format_html(
                '<span class="registration-clock">{}{}</span>', date_format(due), provisional
            )
        return format_html(
            '<span class="registration-clock {}">{} · {}{}</span>',
            css,
            date_format(due),
            status,
            provisional,
        )
