from .bottlenecks import Bottleneck
from .choices import District, IndustrialChain, Pole
from .contracts import TransferContract
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
from .organizations import Certification, Membership, Organization
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
    "YearlyStatistic",
]
