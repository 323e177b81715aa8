"""The Celery tasks, run eagerly: thin wrappers with their limits, retries and progress."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone

from projects.indicators import computation, runs, scheduling, tasks
from projects.models import IndicatorRevision, IndicatorRun, IndicatorValue, PublishedFigure
from tests import factories


def test_the_recompute_task_declares_late_acks_limits_and_retries() -> None:
    task = tasks.recompute_indicators_task
    assert task.name == "projects.indicators.tasks.recompute_indicators_task"
    assert task.acks_late is True
    assert task.soft_time_limit < task.time_limit
    assert task.max_retries == 3


def test_the_nightly_task_has_the_name_beat_schedules(settings) -> None:
    scheduled = settings.CELERY_BEAT_SCHEDULE["recompute-indicators-nightly"]["task"]
    assert tasks.nightly_indicator_run_task.name == scheduled


def test_the_recompute_task_reports_progress_in_its_state(crafted) -> None:
    run = factories.IndicatorRunFactory()
    with mock.patch.object(tasks.recompute_indicators_task, "update_state") as update_state:
        tasks.recompute_indicators_task.apply(args=[run.pk])
    run.refresh_from_db()
    assert run.status == IndicatorRun.Status.SUCCEEDED
    metas = [call.kwargs["meta"] for call in update_state.call_args_list]
    assert {call.kwargs["state"] for call in update_state.call_args_list} == {"PROGRESS"}
    assert metas[-1] == {"run_id": run.pk, "progress": 100, "step": "written"}
    assert len(metas) == len(computation.source_names()) + 1


def test_a_lost_database_connection_is_retried_on_the_same_run(crafted) -> None:
    real = computation.compute_values
    attempts: list[int] = []

    def flaky(**kwargs):
        attempts.append(1)
        if len(attempts) == 1:
            raise OperationalError("server closed the connection")
        return real(**kwargs)

    run = factories.IndicatorRunFactory()
    with mock.patch.object(computation, "compute_values", side_effect=flaky):
        # throw=False: an eager task applies its retry in place instead of raising Retry.
        tasks.recompute_indicators_task.apply(args=[run.pk], throw=False)
    run.refresh_from_db()
    assert len(attempts) == 2
    assert run.status == IndicatorRun.Status.SUCCEEDED
    assert run.values.exists()


def test_other_errors_fail_the_run_without_retrying(crafted) -> None:
    with mock.patch.object(computation, "compute_values", side_effect=ValueError("bad data")):
        run = factories.IndicatorRunFactory()
        with pytest.raises(ValueError):
            tasks.recompute_indicators_task.apply(args=[run.pk])
    run.refresh_from_db()
    assert run.status == IndicatorRun.Status.FAILED
    assert run.error == "ValueError: bad data"


def test_the_nightly_task_starts_a_nightly_run(
    crafted, eager_celery, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run_id = tasks.nightly_indicator_run_task.apply().get()
    run = IndicatorRun.objects.get(pk=run_id)
    assert (run.trigger, run.status) == (
        IndicatorRun.Trigger.NIGHTLY,
        IndicatorRun.Status.SUCCEEDED,
    )


def test_runs_whose_task_vanished_are_marked_failed(db) -> None:
    long_ago = timezone.now() - runs.STALE_AFTER - datetime.timedelta(minutes=1)
    lost = factories.IndicatorRunFactory()
    killed = factories.IndicatorRunFactory(status=IndicatorRun.Status.RUNNING)
    IndicatorRun.objects.filter(pk=lost.pk).update(created_at=long_ago)
    IndicatorRun.objects.filter(pk=killed.pk).update(started_at=long_ago)
    recent = factories.IndicatorRunFactory(
        status=IndicatorRun.Status.RUNNING, started_at=timezone.now()
    )
    assert runs.indicator_runs_fail_stale() == 2
    statuses = dict(IndicatorRun.objects.values_list("pk", "status"))
    assert statuses == {
        lost.pk: IndicatorRun.Status.FAILED,
        killed.pk: IndicatorRun.Status.FAILED,
        recent.pk: IndicatorRun.Status.RUNNING,
    }


def test_pruning_keeps_recent_published_and_revised_runs(db, publishing_manager) -> None:
    def old_run() -> IndicatorRun:
        run = factories.IndicatorRunFactory(
            status=IndicatorRun.Status.SUCCEEDED, finished_at=timezone.now()
        )
        IndicatorRun.objects.filter(pk=run.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=90)
        )
        IndicatorValue.objects.create(run=run, code="platforms", year=2024, scope="city", value=1)
        return run

    published, revised, plain = old_run(), old_run(), old_run()
    PublishedFigure.objects.create(
        code="platforms",
        year=2024,
        scope="city",
        value=1,
        run=published,
        published_at=timezone.now(),
    )
    IndicatorRevision.objects.create(
        run=revised, code="platforms", year=2024, scope="city", published_value=1, new_value=2
    )
    latest = factories.IndicatorRunFactory(
        status=IndicatorRun.Status.SUCCEEDED, finished_at=timezone.now()
    )
    assert runs.indicator_runs_prune(keep_latest=1) == 1
    assert set(IndicatorRun.objects.values_list("pk", flat=True)) == {
        published.pk,
        revised.pk,
        latest.pk,
    }
    assert not IndicatorValue.objects.filter(run_id=plain.pk).exists()


def test_the_refresh_task_starts_a_data_change_run(db, settings) -> None:
    with mock.patch.object(scheduling, "_redis") as client:
        with mock.patch.object(tasks.recompute_indicators_task, "apply_async"):
            run_id = tasks.indicator_refresh_task.apply().get()
    client.return_value.delete.assert_called_once_with(scheduling.REFRESH_KEY)
    assert IndicatorRun.objects.get(pk=run_id).trigger == IndicatorRun.Trigger.DATA_CHANGE
