"""A record's timeline, as the portal and the admin show it."""

from __future__ import annotations

import datetime

import pytest

from projects.models import TransitionLog
from projects.selectors.timelines import timeline_for
from projects.workflows._core import log_transition
from tests import factories

from .helpers import need_in

pytestmark = pytest.mark.django_db


def test_timeline_lists_the_records_transitions_oldest_first_with_their_actor(
    enterprise, enterprise_user, reviewer, django_assert_num_queries
) -> None:
    need = need_in("in_review", proposer=enterprise)
    other = need_in("submitted", proposer=enterprise)
    submitted = log_transition(
        record=need,
        transition="submit",
        from_state="draft",
        to_state="submitted",
        actor=enterprise_user,
    )
    taken = log_transition(
        record=need,
        transition="start_review",
        from_state="submitted",
        to_state="in_review",
        actor=reviewer,
    )
    log_transition(
        record=other,
        transition="submit",
        from_state="draft",
        to_state="submitted",
        actor=enterprise_user,
    )
    # Logged later but dated earlier (an imported record): the date orders the timeline.
    TransitionLog.objects.filter(pk=taken.pk).update(at=submitted.at - datetime.timedelta(days=1))
    with django_assert_num_queries(1):
        rows = [(row.transition, row.actor.username) for row in timeline_for(record=need)]
    assert rows == [("start_review", "wang.reviewer"), ("submit", "chen.enterprise")]


def test_a_contracts_timeline_holds_only_the_contracts_rows(enterprise) -> None:
    contract = factories.TransferContractFactory(seller=enterprise)
    need = need_in("submitted", pk=contract.pk, proposer=enterprise)
    log_transition(
        record=need, transition="submit", from_state="draft", to_state="submitted", actor=None
    )
    assert list(timeline_for(record=contract)) == []
