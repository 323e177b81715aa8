"""Indicator refreshes requested after the commit of the transitions that change an input."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from projects.workflows import needs, organizations
from tests import factories

pytestmark = pytest.mark.django_db


def _need_in_review(proposer: Any) -> Any:
    need = factories.TechnicalNeedFactory(proposer=proposer, state="in_review")
    factories.NeedIndicatorFactory.create_batch(5, need=need)
    return need


def test_publishing_requests_a_refresh_after_commit(
    enterprise: Any,
    reviewer: Any,
    indicator_refreshes: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        needs.need_publish(need=_need_in_review(enterprise), actor=reviewer)
        assert indicator_refreshes == []

    assert indicator_refreshes == ["refresh"]


def test_a_transition_outside_the_indicators_requests_none(
    enterprise: Any,
    reviewer: Any,
    indicator_refreshes: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        needs.need_return(need=_need_in_review(enterprise), actor=reviewer)

    assert indicator_refreshes == []


def test_a_rolled_back_transition_requests_none(
    reviewer: Any, indicator_refreshes: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    organization = factories.OrganizationFactory(state="pending")
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            organizations.organization_verify(organization=organization, actor=reviewer)
            raise RuntimeError

    assert indicator_refreshes == []
