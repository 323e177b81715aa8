from __future__ import annotations

from django.contrib import admin

from projects.models import TransferContract

from .workflow import WorkflowAdmin


@admin.register(TransferContract)
class TransferContractAdmin(WorkflowAdmin):
    list_display = (
        "registration_number",
        "title",
        "kind",
        "seller",
        "buyer",
        "contract_amount",
        "state",
        "submitted_on",
        "registration_due_on",
        "registered_on",
    )
    list_filter = ("state", "kind", "pole", "district", "registration_due_provisional")
    search_fields = ("registration_number", "title", "seller__name", "buyer__name")
    list_select_related = ("seller", "buyer")
    date_hierarchy = "submitted_on"
    show_full_result_count = False
    # The registration number is made per contract when left out.
    bulk_transitions = {"register": ("registered_on",), "request_supplements": ()}
