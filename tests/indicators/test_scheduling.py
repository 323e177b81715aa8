"""Starting runs on demand, and the debounced refresh after data changes."""

from __future__ import annotations

from collections.abc import Iterator
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from projects.indicators import scheduling, tasks
from projects.models import IndicatorRun
from projects.workflows.needs import need_publish
from tests import factories


@pytest.fixture
def redis_client(settings) -> Iterator[object]:
    """The broker's Redis, with eager mode off as in production, and no refresh pending."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    scheduling._redis.cache_clear()
    client = scheduling._redis()
    client.delete(scheduling.REFRESH_KEY)
    yield client
    client.delete(scheduling.REFRESH_KEY)
    scheduling._redis.cache_clear()


def test_starting_a_run_enqueues_it_after_commit(crafted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = scheduling.indicator_run_start(trigger=IndicatorRun.Trigger.MANUAL)
    assert run.status == IndicatorRun.Status.PENDING
    assert run.task_id
    assert len(callbacks) == 1
    with mock.patch.object(tasks.recompute_indicators_task, "apply_async") as apply_async:
        callbacks[0]()
    apply_async.assert_called_once_with(args=[run.pk], task_id=run.task_id)


def test_in_eager_mode_the_started_run_computes_at_commit(
    crafted, eager_celery, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run = scheduling.indicator_run_start(trigger=IndicatorRun.Trigger.MANUAL)
    run.refresh_from_db()
    assert run.status == IndicatorRun.Status.SUCCEEDED
    assert run.values.exists()


def test_a_manager_with_the_start_permission_starts_a_run(
    publishing_manager, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        run = scheduling.indicator_run_start(
            trigger=IndicatorRun.Trigger.MANUAL, actor=publishing_manager
        )
    assert run.actor == publishing_manager


@pytest.mark.parametrize("persona", ["enterprise_user", "reviewer"])
def test_others_cannot_start_a_run(db, request, persona) -> None:
    with pytest.raises(PermissionDenied):
        scheduling.indicator_run_start(
            trigger=IndicatorRun.Trigger.MANUAL, actor=request.getfixturevalue(persona)
        )
    assert not IndicatorRun.objects.exists()


def test_in_eager_mode_a_refresh_request_does_nothing(
    db, settings, django_capture_on_commit_callbacks
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for _ in range(3):
            scheduling.request_indicator_refresh()
    assert callbacks == []
    assert not IndicatorRun.objects.exists()


def test_an_unreachable_broker_does_not_break_the_caller(
    db, settings, django_capture_on_commit_callbacks
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    scheduling._redis.cache_clear()
    try:
        with mock.patch.object(tasks.indicator_refresh_task, "apply_async") as apply_async:
            with django_capture_on_commit_callbacks(execute=True):
                scheduling.request_indicator_refresh()
    finally:
        scheduling._redis.cache_clear()
    apply_async.assert_not_called()


@pytest.mark.redis
def test_many_refresh_requests_enqueue_one_delayed_refresh(
    db, settings, redis_client, django_capture_on_commit_callbacks
) -> None:
    settings.INDICATOR_REFRESH_DELAY = 45
    with mock.patch.object(tasks.indicator_refresh_task, "apply_async") as apply_async:
        for _ in range(5):
            with django_capture_on_commit_callbacks(execute=True):
                scheduling.request_indicator_refresh()
    apply_async.assert_called_once_with(countdown=45)
    assert 45 < redis_client.ttl(scheduling.REFRESH_KEY) <= 45 + scheduling._KEY_GRACE


@pytest.mark.redis
def test_a_workflow_transition_schedules_the_refresh(
    db, enterprise, reviewer, redis_client, django_capture_on_commit_callbacks
) -> None:
    need = factories.TechnicalNeedFactory(proposer=enterprise, state="in_review")
    factories.NeedIndicatorFactory.create_batch(5, need=need)
    with mock.patch.object(tasks.indicator_refresh_task, "apply_async") as apply_async:
        with django_capture_on_commit_callbacks(execute=True):
            need_publish(need=need, actor=reviewer)
            assert not redis_client.exists(scheduling.REFRESH_KEY)
    apply_async.assert_called_once()
    assert redis_client.exists(scheduling.REFRESH_KEY)


@pytest.mark.redis
def test_a_rolled_back_change_requests_nothing(db, redis_client) -> None:
    with mock.patch.object(tasks.indicator_refresh_task, "apply_async") as apply_async:
        with pytest.raises(RuntimeError), transaction.atomic():
            scheduling.request_indicator_refresh()
            raise RuntimeError("the transition failed")
    apply_async.assert_not_called()
    assert not redis_client.exists(scheduling.REFRESH_KEY)


@pytest.mark.redis
def test_the_refresh_reopens_the_window_before_it_starts_the_run(
    db, redis_client, django_capture_on_commit_callbacks
) -> None:
    with mock.patch.object(tasks.indicator_refresh_task, "apply_async") as apply_async:
        with django_capture_on_commit_callbacks(execute=True):
            scheduling.request_indicator_refresh()
        with django_capture_on_commit_callbacks(execute=False):
            run = scheduling.indicator_refresh_fire()
        assert run.trigger == IndicatorRun.Trigger.DATA_CHANGE
        assert not redis_client.exists(scheduling.REFRESH_KEY)
        # A change made while that run computes schedules the next refresh.
        with django_capture_on_commit_callbacks(execute=True):
            scheduling.request_indicator_refresh()
    assert apply_async.call_count == 2


@pytest.mark.redis
def test_a_failed_enqueue_lets_the_next_change_try_again(
    db, redis_client, django_capture_on_commit_callbacks
) -> None:
    with mock.patch.object(
        tasks.indicator_refresh_task, "apply_async", side_effect=OSError("broker down")
    ):
        with django_capture_on_commit_callbacks(execute=True):
            scheduling.request_indicator_refresh()
    assert not redis_client.exists(scheduling.REFRESH_KEY)


def test_a_broker_that_is_down_fails_the_started_run_instead_of_the_request(
    db, django_capture_on_commit_callbacks
) -> None:
    with mock.patch.object(
        tasks.recompute_indicators_task, "apply_async", side_effect=OSError("connection refused")
    ):
        with django_capture_on_commit_callbacks(execute=True):
            run = scheduling.indicator_run_start(trigger=IndicatorRun.Trigger.MANUAL)
    run.refresh_from_db()
    assert run.status == IndicatorRun.Status.FAILED
    assert run.error == "not enqueued: connection refused"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_recompute_requests_at_once_start_one_run(monkeypatch) -> None:
    """Both requests look for an active run before either has created one (the barrier holds
    the first until the second has looked, or for two seconds when the second is waiting its
    turn): one run starts, the other request is given it."""
    import threading

    from django.db import connection

    from projects.indicators import runs

    manager = factories.manager_user(username="qian.manager")
    monkeypatch.setattr(scheduling, "_enqueue", lambda run: None)  # no broker in this test
    looked = threading.Barrier(2, timeout=2)
    find_active = runs.indicator_run_active

    def find_active_then_wait() -> IndicatorRun | None:
        found = find_active()
        try:
            looked.wait()
        except threading.BrokenBarrierError:
            pass
        return found

    monkeypatch.setattr(runs, "indicator_run_active", find_active_then_wait)
    answers: list[tuple[int, bool]] = []

    def request_recompute() -> None:
        try:
            run, started = scheduling.indicator_run_request(
                trigger=IndicatorRun.Trigger.MANUAL, actor=manager
            )
            answers.append((run.pk, started))
        finally:
            connection.close()

    threads = [threading.Thread(target=request_recompute) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert IndicatorRun.objects.count() == 1
    run = IndicatorRun.objects.get()
    assert sorted(answers, key=lambda a: a[1]) == [(run.pk, False), (run.pk, True)]
