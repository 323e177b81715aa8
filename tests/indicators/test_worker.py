"""A real Celery worker on Redis computes runs end to end, reading committed rows."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from projects.indicators import scheduling
from projects.models import IndicatorRun
from tests.indicators import dataset
from tests.services import wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def worker(worker: Any) -> Iterator[Any]:
    """The shared worker, with no refresh left pending from an earlier test."""
    scheduling._redis.cache_clear()
    scheduling._redis().delete(scheduling.REFRESH_KEY)
    yield worker
    scheduling._redis().delete(scheduling.REFRESH_KEY)
    scheduling._redis.cache_clear()


def _finished(run: IndicatorRun) -> bool:
    run.refresh_from_db()
    return run.status in (IndicatorRun.Status.SUCCEEDED, IndicatorRun.Status.FAILED)


def test_a_worker_computes_a_started_run(worker) -> None:
    dataset.build()
    run = scheduling.indicator_run_start(trigger=IndicatorRun.Trigger.MANUAL)
    wait_for(lambda: _finished(run))
    assert run.status == IndicatorRun.Status.SUCCEEDED, run.error
    assert run.progress == 100
    assert run.values.get(code="contract_volume", year=2024, scope="city").value == 3100000


def test_many_data_changes_lead_to_one_refresh_run(worker, settings) -> None:
    settings.INDICATOR_REFRESH_DELAY = 1
    dataset.build()
    for _ in range(5):
        scheduling.request_indicator_refresh()
    refreshes = IndicatorRun.objects.filter(trigger=IndicatorRun.Trigger.DATA_CHANGE)
    wait_for(lambda: refreshes.filter(status=IndicatorRun.Status.SUCCEEDED).exists())
    time.sleep(1.5)  # nothing else is on its way
    assert refreshes.count() == 1
