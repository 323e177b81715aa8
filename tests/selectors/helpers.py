"""Records in a given state and users as a request loads them, for the visibility tests."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from projects.models import TechnicalNeed
from projects.selectors.errors import RecordNotFound
from tests import factories

S = TechnicalNeed.State
PUBLIC_STATES = [S.PUBLISHED, S.MATCHED, S.CLOSED, S.EXPIRED]
HIDDEN_STATES = [S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.RETURNED, S.REJECTED, S.WITHDRAWN]
PUBLISHED_AT = datetime.datetime(2025, 3, 3, 2, 0, tzinfo=datetime.UTC)


def need_in(state: str, **kwargs) -> TechnicalNeed:
    """A need already in ``state``, with the facts that state requires."""
    if state in PUBLIC_STATES:
        kwargs.setdefault("published_at", PUBLISHED_AT)
    if state != S.DRAFT:
        kwargs.setdefault("submitted_at", PUBLISHED_AT - datetime.timedelta(days=10))
    if state == S.REJECTED:
        kwargs.setdefault("rejection_reason", TechnicalNeed.RejectionReason.OUT_OF_SCOPE)
    return factories.TechnicalNeedFactory(state=state, **kwargs)


def fresh(user):
    """``user`` as a request would load it, with its permissions already read (once per
    request), so a query count measures the selector alone."""
    if not user.is_authenticated:
        return user
    user = type(user).objects.get(pk=user.pk)
    user.get_all_permissions()
    return user


def found(user, pk: int, *, listed: bool, get: Callable[..., Any]) -> bool:
    """Whether ``user`` finds the record ``pk``: ``listed`` says whether the list selector
    holds it, and the detail selector ``get`` must agree, or the test fails."""
    try:
        get(user=user, pk=pk)
    except RecordNotFound:
        opened = False
    else:
        opened = True
    assert listed == opened, f"list says {listed}, detail says {opened}"
    return listed
