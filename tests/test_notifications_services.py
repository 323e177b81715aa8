"""The outbox with real services: the commit enqueues on Redis, a real worker sends."""

from __future__ import annotations

import datetime
import time
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from projects.models import Notification, TechnicalNeed
from projects.workflows import needs
from tests import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("indicator_refreshes"),
]


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


def _published_need_with_member() -> TechnicalNeed:
    need = factories.TechnicalNeedFactory(
        state="in_review", open_until=timezone.localdate() + datetime.timedelta(days=30)
    )
    factories.NeedIndicatorFactory.create_batch(5, need=need)
    factories.MembershipFactory(organization=need.proposer)
    return need


@pytest.mark.redis
def test_the_commit_enqueues_one_send_task_per_email(broker: Any) -> None:
    _app, client, queue = broker
    need = _published_need_with_member()

    needs.need_publish(need=need, actor=factories.reviewer_user())

    # Autocommit: the transition's transaction has committed and its hooks have run.
    assert client.llen(queue) == 1
    assert Notification.objects.get().state == "queued"
    assert mail.outbox == []


@pytest.mark.redis
@pytest.mark.worker
def test_a_worker_sends_the_email_after_commit(broker: Any) -> None:
    from celery.contrib.testing.worker import start_worker

    app, _client, _queue = broker
    need = _published_need_with_member()

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        needs.need_publish(need=need, actor=factories.reviewer_user())
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if Notification.objects.filter(state="sent").exists():
                break
            time.sleep(0.2)

    notification = Notification.objects.get()
    assert (notification.state, notification.attempts) == ("sent", 1)
    assert [message.to for message in mail.outbox] == [[notification.email]]
