"""Who sees a technical need, and how much of it.

- In full (confidential details, indicators, attachments, contact): members of the proposer,
  members of the organisation whose application was selected, and staff with
  ``projects.view_technicalneed``.
- Through its public summary only: anybody, anonymous visitors included, once the need is
  published or later (``PUBLIC_STATES``).
- Not at all: everybody else, and everybody but the above while it is a draft, under review,
  returned, rejected or withdrawn.

The summary is a ``NeedSummary`` built from the summary columns alone, never a model instance:
a deferred field of an instance would load on access, so a template or serializer could reach
the confidential fields by mistake.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, overload

from django.db.models import Q, QuerySet

from projects.models import IndustrialChain, NeedApplication, NeedAttachment, Pole, TechnicalNeed
from projects.models.needs import PUBLISHED_STATES

from ._core import get_or_not_found, scoped, sees_all
from .errors import RecordNotFound
from .memberships import organization_ids_for

if TYPE_CHECKING:
    from .memberships import Viewer

S = TechnicalNeed.State
# Published or later: what anybody may read the public summary of.
PUBLIC_STATES = frozenset(PUBLISHED_STATES)


class NeedVisibility(enum.Enum):
    FULL = "full"
    SUMMARY = "summary"
    NONE = "none"


def _members_see(user: Viewer) -> Q:
    organizations = organization_ids_for(user=user)
    solved_by_them = NeedApplication.objects.filter(
        state=NeedApplication.State.SELECTED, applicant_id__in=organizations
    ).values("need_id")
    return Q(proposer_id__in=organizations) | Q(pk__in=solved_by_them)


def need_list_for(*, user: Viewer, own: bool = False) -> QuerySet[TechnicalNeed]:
    """The needs ``user`` sees in full, most recently changed first, with their proposer."""
    needs = TechnicalNeed.objects.select_related("proposer", "bottleneck").order_by(
        "-updated_at", "-pk"
    )
    return scoped(needs, user=user, members_see=_members_see(user), own=own)


def need_get_for(*, user: Viewer, pk: Any) -> TechnicalNeed:
    """The need in full, with its indicators and attachments, or ``RecordNotFound``.

    A visitor who may see only the summary gets ``RecordNotFound`` here: pages fall back to
    ``need_summary_get`` (see ``need_visibility_for``).
    """
    needs = need_list_for(user=user).prefetch_related("indicators", "attachments")
    return get_or_not_found(needs, pk=pk)


def need_visibility_for(*, user: Viewer, need: TechnicalNeed) -> NeedVisibility:
    """How much of ``need`` ``user`` may see; the workflows use it to refuse an action
    without describing a need the actor may not see."""
    if sees_all(user=user, model=TechnicalNeed):
        return NeedVisibility.FULL
    if TechnicalNeed.objects.filter(_members_see(user), pk=need.pk).exists():
        return NeedVisibility.FULL
    if need.state in PUBLIC_STATES:
        return NeedVisibility.SUMMARY
    return NeedVisibility.NONE


def need_attachment_get_for(*, user: Viewer, pk: Any, need_pk: Any = None) -> NeedAttachment:
    """An attachment, only for those who see its need in full; with ``need_pk``, only if it
    is that need's (an address naming it under another need finds nothing)."""
    attachments = NeedAttachment.objects.select_related("need").filter(
        need__in=need_list_for(user=user).values("pk")
    )
    if need_pk is not None:
        try:
            attachments = attachments.filter(need_id=need_pk)
        except (ValueError, TypeError):
            raise RecordNotFound(NeedAttachment) from None
    return get_or_not_found(attachments, pk=pk)


# The public summary -------------------------------------------------------------------------

_SUMMARY_COLUMNS = (
    "pk",
    "title",
    "summary",
    "pole",
    "industrial_chain",
    "budget",
    "open_until",
    "published_at",
    "state",
    "proposer__name",
)


@dataclass(frozen=True, slots=True)
class NeedSummary:
    """What anybody may know of a published need, and nothing more."""

    pk: int
    title: str
    summary: str
    pole: str
    industrial_chain: str
    budget: Decimal | None
    open_until: datetime.date | None
    published_at: datetime.datetime | None
    state: str
    proposer_name: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> NeedSummary:
        values = dict(row)
        values["proposer_name"] = values.pop("proposer__name")
        return cls(**values)

    @property
    def pole_label(self) -> str:
        return str(Pole(self.pole).label)

    @property
    def industrial_chain_label(self) -> str:
        return str(IndustrialChain(self.industrial_chain).label)

    @property
    def state_label(self) -> str:
        return str(S(self.state).label)


class NeedSummaries:
    """A lazy, sliceable sequence of ``NeedSummary``: Django's ``Paginator`` (and so DRF's
    pagination) pages it with one ``count()`` and one query per page."""

    ordered = True  # the rows are ordered, so Paginator has nothing to warn about

    def __init__(self, rows: QuerySet[TechnicalNeed, dict[str, Any]]) -> None:
        self._rows = rows

    def count(self) -> int:
        return self._rows.count()

    def __len__(self) -> int:
        return self._rows.count()

    @overload
    def __getitem__(self, index: int) -> NeedSummary: ...
    @overload
    def __getitem__(self, index: slice) -> list[NeedSummary]: ...
    def __getitem__(self, index: int | slice) -> NeedSummary | list[NeedSummary]:
        if isinstance(index, slice):
            return [NeedSummary.from_row(row) for row in self._rows[index]]
        return NeedSummary.from_row(self._rows[index])

    def __iter__(self) -> Iterator[NeedSummary]:
        return (NeedSummary.from_row(row) for row in self._rows)


def _summary_rows() -> QuerySet[TechnicalNeed, dict[str, Any]]:
    rows: QuerySet[TechnicalNeed, dict[str, Any]] = TechnicalNeed.objects.filter(
        state__in=PUBLIC_STATES
    ).values(*_SUMMARY_COLUMNS)
    return rows


def need_summary_list(
    *,
    user: Viewer = None,
    pole: str | None = None,
    industrial_chain: str | None = None,
) -> NeedSummaries:
    """The public summaries of the needs published or later, newest publication first.

    ``user`` is accepted for symmetry with the other selectors: everybody sees the same
    summaries. Filters are limited to public columns, so a filter can never be used to probe
    a confidential field.
    """
    rows = _summary_rows()
    if pole:
        rows = rows.filter(pole=pole)
    if industrial_chain:
        rows = rows.filter(industrial_chain=industrial_chain)
    return NeedSummaries(rows.order_by("-published_at", "-pk"))


def need_summary_get(*, user: Viewer = None, pk: Any) -> NeedSummary:
    """The public summary of one need published or later, or ``RecordNotFound``."""
    try:
        row = _summary_rows().get(pk=pk)
    except (TechnicalNeed.DoesNotExist, ValueError, TypeError):
        raise RecordNotFound(TechnicalNeed) from None
    return NeedSummary.from_row(row)
