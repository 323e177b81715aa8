"""Who sees a technology contract: members of its seller and of its buyer (read-only), and
staff with ``projects.view_transfercontract``. Nobody else, anonymous visitors included.

The linked need and project are not loaded with the contract: a party may not see them; a
page that shows them reads each through its own selector.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from projects.models import TransferContract

from ._core import get_or_not_found, scoped
from .memberships import organization_ids_for

if TYPE_CHECKING:
    from .memberships import Viewer


def contract_list_for(*, user: Viewer, own: bool = False) -> QuerySet[TransferContract]:
    """The contracts ``user`` sees, latest submission first, with seller and buyer."""
    organizations = organization_ids_for(user=user)
    contracts = TransferContract.objects.select_related("seller", "buyer").order_by(
        "-submitted_on", "-pk"
    )
    members_see = Q(seller_id__in=organizations) | Q(buyer_id__in=organizations)
    return scoped(contracts, user=user, members_see=members_see, own=own)


def contract_get_for(*, user: Viewer, pk: Any) -> TransferContract:
    return get_or_not_found(contract_list_for(user=user), pk=pk)
