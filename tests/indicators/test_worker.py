"""A real Celery worker on Redis computes runs end to end, reading committed rows."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from innovation.celery import app as celery_app
from projects.indicators import scheduling
from projects.models import IndicatorRun
from tests.indicators import dataset

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


def _close_worker_connections(**_kwargs: Any) -> None:
    # The worker thread opens its own connections (CONN_MAX_AGE keeps them); close them so
    # the test database can be flushed and dropped afterwards.
    connections.close_all()


@pytest.fixture
def worker(settings) -> Iterator[None]:
    """A solo worker thread consuming the Redis broker, with eager mode off."""
    previous = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = settings.REDIS_URL
    celery_app.control.purge()
    scheduling._redis.cache_clear()
    scheduling._redis().delete(scheduling.REFRESH_KEY)
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        task_postrun.disconnect(_close_worker_connections)
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = previous
        scheduling._redis().delete(scheduling.REFRESH_KEY)
        scheduling._redis.cache_clear()


def _wait_for(predicate: Any, *, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the worker")


def _finished(run: IndicatorRun) -> bool:
    run.refresh_from_db()
    return run.status in (IndicatorRun.Status.SUCCEEDED, IndicatorRun.Status.FAILED)


def test_a_worker_computes_a_started_run(worker) -> None:
    dataset.build()
    run = scheduling.indicator_run_start(trigger=IndicatorRun.Trigger.MANUAL)
    _wait_for(lambda: _finished(run))
    assert run.status == IndicatorRun.Status.SUCCEEDED, run.error
    assert run.progress == 100
    assert run.values.get(code="contract_volume", year=2024, scope="city").value == 3100000


def test_many_data_changes_lead_to_one_refresh_run(worker, settings) -> None:
    settings.INDICATOR_REFRESH_DELAY = 1
    dataset.build()
    for _ in range(5):
        scheduling.request_indicator_refresh()
    refreshes = IndicatorRun.objects.filter(trigger=IndicatorRun.Trigger.DATA_CHANGE)
    _wait_for(lambda: refreshes.filter(status=IndicatorRun.Status.SUCCEEDED).exists())
    time.sleep(1.5)  # nothing else is on its way
    assert refreshes.count() == 1
