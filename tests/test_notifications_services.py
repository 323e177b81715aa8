"""The outbox with real services: the commit enqueues on Redis, a real worker sends, and a
broker that is down neither slows a transition nor loses its e-mails."""

from __future__ import annotations

import datetime
import time
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from projects.indicators import scheduling
from projects.models import Notification, TechnicalNeed
from projects.notifications.tasks import notification_sweep_task
from projects.workflows import needs
from tests import factories, services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def broker() -> Any:
    """The Celery app on the Redis broker, its queue emptied before and after."""
    import redis

    from innovation.celery import app

    assert not app.conf.task_always_eager
    client = redis.Redis.from_url(settings.REDIS_URL)
    queue = app.conf.task_default_queue
    client.delete(queue)
    yield app, client, queue
    client.delete(queue)


def _need_in_review(*, members: int) -> TechnicalNeed:
    need = factories.TechnicalNeedFactory(
        state="in_review", open_until=timezone.localdate() + datetime.timedelta(days=30)
    )
    factories.NeedIndicatorFactory.create_batch(5, need=need)
    factories.MembershipFactory.create_batch(members, organization=need.proposer)
    return need


@pytest.mark.redis
@pytest.mark.usefixtures("indicator_refreshes")
def test_the_commit_enqueues_one_task_message_for_all_its_emails(broker: Any) -> None:
    _app, client, queue = broker
    need = _need_in_review(members=3)

    needs.need_publish(need=need, actor=factories.reviewer_user())

    # Autocommit: the transition's transaction has committed and its hooks have run.
    assert client.llen(queue) == 1
    assert Notification.objects.filter(state="queued").count() == 3
    assert mail.outbox == []


@pytest.mark.redis
@pytest.mark.worker
@pytest.mark.usefixtures("indicator_refreshes")
def test_a_worker_sends_the_emails_after_commit(worker: Any) -> None:
    need = _need_in_review(members=2)

    needs.need_publish(need=need, actor=factories.reviewer_user())
    services.wait_for(lambda: Notification.objects.filter(state="sent").count() == 2)

    assert set(Notification.objects.values_list("state", "attempts")) == {("sent", 1)}
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        Notification.objects.values_list("email", flat=True)
    )


@pytest.mark.redis
@pytest.mark.worker
def test_with_redis_down_publishing_for_ten_members_is_fast_and_they_are_mailed_once_it_is_back(
    private_redis: services.RedisServer,
) -> None:
    need = _need_in_review(members=10)
    reviewer = factories.reviewer_user(username="wang.reviewer")
    emails = sorted(need.proposer.memberships.values_list("user__email", flat=True))

    with services.celery_on_broker(private_redis.url) as app:
        # The indicator refresh asked for at commit talks to the same (stopped) Redis.
        scheduling._redis.cache_clear()
        private_redis.stop()

        started = time.monotonic()
        needs.need_publish(need=need, actor=reviewer)  # commit and its callbacks included
        elapsed = time.monotonic() - started

        print(f"need_publish for 10 members, broker down: {elapsed:.3f} s")
        assert elapsed < 0.5, f"publishing took {elapsed:.2f} s with the broker down"
        assert TechnicalNeed.objects.get(pk=need.pk).state == "published"
        assert set(Notification.objects.values_list("state", "attempts")) == {("queued", 0)}
        assert Notification.objects.count() == 10

        private_redis.start()
        # Past the sweep's grace period: the message sent at commit never reached a broker.
        Notification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))
        with services.celery_worker(app):
            notification_sweep_task.delay()
            services.wait_for(lambda: Notification.objects.filter(state="sent").count() == 10)
    scheduling._redis.cache_clear()

    assert set(Notification.objects.values_list("state", "attempts")) == {("sent", 1)}
    assert sorted(message.to[0] for message in mail.outbox) == emails
