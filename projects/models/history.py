"""Field history of the records staff and the workflows change (django-simple-history): every
save writes a snapshot with who made it, so the back office shows which field changed from
what to what. The state changes themselves are read from ``TransitionLog``; rows created in
bulk (imports, the demo) start their history at their first change.
"""

from __future__ import annotations

import simple_history
from simple_history.models import HistoricalRecords

from .bottlenecks import Bottleneck
from .contracts import TransferContract
from .needs import NeedApplication, TechnicalNeed
from .organizations import Certification, Organization
from .platforms import InnovationPlatform
from .research import FundingAllocation, ResearchProject
from .statistics import YearlyStatistic

WITH_HISTORY = (
    Organization,
    Certification,
    InnovationPlatform,
    Bottleneck,
    TechnicalNeed,
    NeedApplication,
    ResearchProject,
    FundingAllocation,
    TransferContract,
    YearlyStatistic,
)

for _model in WITH_HISTORY:
    simple_history.register(
        _model,
        app="projects",
        # Only the change's time and author: the snapshot's own timestamps repeat it.
        excluded_fields=["updated_at"],
        # A record's history stays readable after the user who made a change is deleted.
        user_related_name="+",
        cascade_delete_history=False,
    )

__all__ = ["WITH_HISTORY", "HistoricalRecords"]
