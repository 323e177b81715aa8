"""Two people acting on the same record at the same moment: exactly one wins.

Each action runs in its own thread with its own PostgreSQL connection and transaction. Writing
the audit row is slowed down so that the first transaction still holds the row when the second
one arrives: without the row lock both would read the old state and both would succeed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection

from projects.models import NeedApplication, Notification, TechnicalNeed, TransitionLog
from projects.notifications.delivery import Delivery, notification_send
from projects.workflows import _core, applications, needs
from projects.workflows.errors import InvalidTransition
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_audit(monkeypatch: pytest.MonkeyPatch) -> None:
    write = _core.log_transition

    def write_slowly(**kwargs: Any) -> TransitionLog:
        row = write(**kwargs)
        time.sleep(0.5)
        return row

    monkeypatch.setattr(_core, "log_transition", write_slowly)


def race(*actions: Callable[[], Any]) -> list[Any]:
    """Start every action at once, each in its own thread; return results or exceptions."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[Any] = [None] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = action()
        except Exception as exc:
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _need_in_review() -> TechnicalNeed:
    need = factories.TechnicalNeedFactory(state="in_review")
    factories.NeedIndicatorFactory.create_batch(5, need=need)
    return need


def _publishing(need_id: int, reviewer: Any) -> Callable[[], Any]:
    # Each thread loads its own copy, as two requests would.
    return lambda: needs.need_publish(need=TechnicalNeed.objects.get(pk=need_id), actor=reviewer)


def test_two_reviewers_publishing_the_same_need_one_wins(slow_audit: None) -> None:
    need = _need_in_review()
    wang = factories.reviewer_user(username="wang.reviewer")
    zhou = factories.reviewer_user(username="zhou.reviewer")

    outcomes = race(_publishing(need.pk, wang), _publishing(need.pk, zhou))

    won = [o for o in outcomes if isinstance(o, TechnicalNeed)]
    lost = [o for o in outcomes if isinstance(o, InvalidTransition)]
    assert (len(won), len(lost)) == (1, 1), outcomes
    assert TransitionLog.objects.filter(object_id=need.pk, transition="publish").count() == 1
    assert TechnicalNeed.objects.get(pk=need.pk).state == "published"


def test_publishing_and_returning_at_once_leave_one_outcome(slow_audit: None) -> None:
    need = _need_in_review()
    reviewer = factories.reviewer_user()

    outcomes = race(
        _publishing(need.pk, reviewer),
        lambda: needs.need_return(need=TechnicalNeed.objects.get(pk=need.pk), actor=reviewer),
    )

    assert sum(isinstance(o, InvalidTransition) for o in outcomes) == 1, outcomes
    logged = TransitionLog.objects.filter(object_id=need.pk).values_list("to_state", flat=True)
    assert list(logged) == [TechnicalNeed.objects.get(pk=need.pk).state]


def test_two_applications_selected_at_once_match_the_need_once(slow_audit: None) -> None:
    need = factories.TechnicalNeedFactory(state="published")
    first, second = factories.NeedApplicationFactory.create_batch(2, need=need, state="shortlisted")
    reviewer = factories.reviewer_user()

    def selecting(application_id: int) -> Callable[[], Any]:
        return lambda: applications.application_select(
            application=NeedApplication.objects.get(pk=application_id), actor=reviewer
        )

    outcomes = race(selecting(first.pk), selecting(second.pk))

    assert sum(isinstance(o, InvalidTransition) for o in outcomes) == 1, outcomes
    assert sorted(NeedApplication.objects.values_list("state", flat=True)) == [
        "declined",
        "selected",
    ]
    assert TransitionLog.objects.filter(transition="match").count() == 1


def test_two_workers_never_send_the_same_email_twice(celery_eager: Any) -> None:
    need = factories.TechnicalNeedFactory()
    member = factories.MembershipFactory(organization=need.proposer)
    notification = Notification.objects.create(
        recipient=member.user,
        email=member.user.email,
        template="need_published",
        content_type=ContentType.objects.get_for_model(need),
        object_id=need.pk,
        context={"title": need.title, "url": "https://example.cn/"},
    )

    outcomes = race(*[lambda: notification_send(notification_id=notification.pk)] * 4)

    assert sorted(outcomes) == sorted(
        [Delivery.SENT, Delivery.SKIPPED, Delivery.SKIPPED, Delivery.SKIPPED]
    )
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == ("sent", 1)
    assert len(mail.outbox) == 1
