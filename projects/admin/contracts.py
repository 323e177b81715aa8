from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from projects import clock
from projects.formatting import amount as yuan
from projects.models import Organization, TransferContract

from .imports import ImportExportAdmin, TransferContractResource
from .paging import LargeTableAdmin
from .queues import DUE_SOON_WORKING_DAYS, due_soon_until
from .workflow import WorkflowAdmin

S = TransferContract.State
# A search naming more organisations than this looks at the first ones only.
PARTIES_SEARCHED = 200


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
    # Six columns, so that titles stay readable at 1366 px beside the menu and the filters.
    list_display = (
        "contract",
        "parties",
        "amount",
        "state",
        "submitted_on",
        "registration_clock",
    )
    list_display_links = ("contract",)
    list_filter = (RegistrationClockFilter, "state", "kind", "pole", "district")
    search_fields = ("=registration_number", "title", "seller__name", "buyer__name")
    search_help_text = _("A registration number, or words of a title or of a party's name.")
    list_select_related = ("seller", "buyer")
    # Newest submission first, served by the model's index on that ordering.
    ordering = ("-submitted_on", "-id")
    # The registration number is made per contract when left out.
    bulk_transitions = {"register": ("registered_on",), "request_supplements": ()}

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        """A registration number finds its contract; anything else the contracts whose title
        holds it or whose seller or buyer it names. Each part has its index (the number's
        unique one, the title's trigram index on PostgreSQL, the parties' keys), where the
        admin's own search would OR three joined ``LIKE`` over a million rows."""
        term = search_term.strip()
        if not term:
            return queryset, False
        by_number = queryset.filter(registration_number=term)
        if by_number.exists():
            return by_number, False
        parties = list(
            Organization.objects.filter(Q(name__icontains=term) | Q(credit_code=term.upper()))
            .order_by()
            .values_list("pk", flat=True)[:PARTIES_SEARCHED]
        )
        found = Q(title__icontains=term)
        if parties:
            found |= Q(seller_id__in=parties) | Q(buyer_id__in=parties)
        return queryset.filter(found), False

    @admin.display(description=_("contract"), ordering="title")
    def contract(self, contract: TransferContract) -> SafeString:
        if not contract.registration_number:
            return format_html("{}", contract.title)
        return format_html(
            '{}<div class="registration-number">{}</div>',
            contract.title,
            contract.registration_number,
        )

    @admin.display(description=_("seller → buyer"))
    def parties(self, contract: TransferContract) -> SafeString:
        return format_html(
            '{}<div class="buyer">→ {}</div>', contract.seller.name, contract.buyer.name
        )

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
