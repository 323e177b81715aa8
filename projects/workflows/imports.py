"""Records read from the registry's files (the back office's bulk import), before they are
written in bulk: the state each one enters in, and what that state needs.

Imported rows are written with ``bulk_create`` and carry no timeline row, so the state they
start in is decided here, with the machines, rather than by the importer: an organisation waits
for verification; a contract with its registration number and date is registered, one without
is submitted with its registration clock running from its submission.
"""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal

from projects.models import Organization, TransferContract

from .contracts import LARGE_CONTRACT_AMOUNT, registration_due_date


@functools.lru_cache(maxsize=4096)
def _due(submitted_on: datetime.date, large: bool) -> tuple[datetime.date, bool]:
    """The registration due date by day and size class (a file holds few distinct days)."""
    amount = LARGE_CONTRACT_AMOUNT if large else Decimal(0)
    return registration_due_date(submitted_on=submitted_on, contract_amount=amount)


def organization_imported(organization: Organization) -> None:
    organization.state = Organization.State.PENDING


def contract_imported(contract: TransferContract) -> None:
    """Set what the model's save would copy (the seller's district and pole) and the state
    with what it needs; the row's facts were checked with the submission's rules."""
    contract.district, contract.pole = contract.seller.district, contract.seller.pole
    contract.clock_started_on = contract.submitted_on
    if contract.registration_number:
        contract.state = TransferContract.State.REGISTERED
        return
    contract.state = TransferContract.State.SUBMITTED
    contract.registration_due_on, contract.registration_due_provisional = _due(
        contract.submitted_on, contract.contract_amount >= LARGE_CONTRACT_AMOUNT
    )
