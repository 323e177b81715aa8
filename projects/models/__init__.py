from .bottlenecks import Bottleneck
from .choices import District, IndustrialChain, Pole
from .contracts import TransferContract

# Last: it adds a history model to the models above.
from .history import WITH_HISTORY  # noqa: E402, I001
from .indicators import IndicatorRevision, IndicatorRun, IndicatorValue, PublishedFigure
from .needs import (
    MIN_NEED_INDICATORS,
    ApplicationAttachment,
    NeedApplication,
    NeedAttachment,
    NeedIndicator,
    TechnicalNeed,
)
from .notifications import Notification
from .organizations import Certification, Membership, MembershipRequest, Organization
from .platforms import InnovationPlatform
from .research import FundingAllocation, ProjectParticipant, ResearchProject
from .statistics import YearlyStatistic
from .transitions import TransitionLog

__all__ = [
    "MIN_NEED_INDICATORS",
    "ApplicationAttachment",
    "Bottleneck",
    "Certification",
    "District",
    "FundingAllocation",
    "IndicatorRevision",
    "IndicatorRun",
    "IndicatorValue",
    "IndustrialChain",
    "InnovationPlatform",
    "Membership",
    "MembershipRequest",
    "NeedApplication",
    "NeedAttachment",
    "NeedIndicator",
    "Notification",
    "Organization",
    "Pole",
    "PublishedFigure",
    "ProjectParticipant",
    "ResearchProject",
    "TechnicalNeed",
    "TransferContract",
    "TransitionLog",
    "WITH_HISTORY",
    "YearlyStatistic",
]
