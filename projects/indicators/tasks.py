"""Celery tasks of the indicator engine: thin wrappers over ``runs`` and ``scheduling``."""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

from projects.models import IndicatorRun

from . import runs, scheduling

logger = logging.getLogger(__name__)

# A full recompute takes about a second per million contracts; these only stop a stuck one.
SOFT_TIME_LIMIT = 10 * 60
TIME_LIMIT = SOFT_TIME_LIMIT + 60
# Connection loss or a failover: worth trying again on the same run.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


@shared_task(
    bind=True,
    acks_late=True,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
    max_retries=3,
)
def recompute_indicators_task(self: Task, run_id: int) -> None:
    """Compute run ``run_id``; progress goes to the task state and ``IndicatorRun.progress``."""

    def report(percent: int, step: str) -> None:
        # A no-op without a result backend (the default); IndicatorRun.progress always works.
        self.update_state(
            state="PROGRESS", meta={"run_id": run_id, "progress": percent, "step": step}
        )

    if self.request.retries:
        runs.indicator_run_requeue(run_id=run_id)
    try:
        runs.indicator_run_execute(run_id=run_id, on_progress=report)
    except TRANSIENT_ERRORS as exc:
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def nightly_indicator_run_task() -> int:
    """The nightly run, after clearing runs whose task vanished and pruning old ones."""
    stale = runs.indicator_runs_fail_stale()
    pruned = runs.indicator_runs_prune()
    run = scheduling.indicator_run_start(trigger=IndicatorRun.Trigger.NIGHTLY)
    logger.info("nightly indicator run #%s (%s stale failed, %s pruned)", run.pk, stale, pruned)
    return run.pk


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def indicator_refresh_task() -> int:
    """The debounced refresh a short while after data changes (see ``scheduling``)."""
    return scheduling.indicator_refresh_fire().pk


@shared_task(acks_late=True, soft_time_limit=30, time_limit=60)
def indicator_runs_sweep_task() -> int:
    """Every minute: fail the runs whose worker died (no heartbeat), so a new one can start."""
    return runs.indicator_runs_fail_stale()
