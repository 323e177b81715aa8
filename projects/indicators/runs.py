"""The life of an indicator run: claimed, computed, written in one transaction, or failed.

A run's values, its revisions against published figures and its ``succeeded`` status commit
together, so a run that fails or is killed part-way leaves no values behind. The aggregate
queries run before that transaction, in autocommit, so progress updates are visible to the
page polling the run while it computes.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

if TYPE_CHECKING:
    from django.contrib.auth.models import User

from projects.models import IndicatorRun, IndicatorValue, PublishedFigure

from . import computation, publication, selectors
from .scopes import indicator_years

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, str], None]

# Share of the progress bar taken by the aggregate queries; the write takes the rest.
_QUERIES_SHARE = 90
# Seconds between progress writes to the run row.
_PROGRESS_EVERY = 0.5
# Rows per INSERT where COPY is not available; Django lowers it to the database limit.
_INSERT_BATCH = 2_000
# A run pending or running longer than this lost its task (broker loss, worker killed by the
# hard time limit); the task's own limits are far below it.
STALE_AFTER = datetime.timedelta(hours=1)
# A running run beats at every step (the longest, one aggregate query, takes seconds even at
# ten million contracts); this much silence means its worker died.
HEARTBEAT_TIMEOUT = datetime.timedelta(minutes=2)
# A run nobody claimed for this long has no worker to run it: let the next request start one.
UNCLAIMED_AFTER = datetime.timedelta(minutes=10)


def indicator_run_create(
    *, trigger: str, actor: User | None = None, task_id: str = ""
) -> IndicatorRun:
    return IndicatorRun.objects.create(trigger=trigger, actor=actor, task_id=task_id)


def indicator_run_execute(
    *, run_id: int, on_progress: ProgressCallback | None = None, years: range | None = None
) -> IndicatorRun:
    """Compute and store every indicator for run ``run_id``.

    Claims the run first (pending, or running again after a redelivery when a worker died),
    so a run that already finished is left alone. On any error the run is marked failed and
    the error re-raised; no value of it is stored.
    """
    claimed = IndicatorRun.objects.filter(
        pk=run_id, status__in=[IndicatorRun.Status.PENDING, IndicatorRun.Status.RUNNING]
    ).update(
        status=IndicatorRun.Status.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        finished_at=None,
        progress=0,
        error="",
    )
    if not claimed:
        run = IndicatorRun.objects.get(pk=run_id)
        logger.info("indicator run %s is already %s: nothing to do", run_id, run.status)
        return run

    years = years or indicator_years()
    steps = computation.source_names()
    done: list[str] = []
    last_written = time.monotonic()

    def step_finished(name: str) -> None:
        nonlocal last_written
        done.append(name)
        percent = len(done) * _QUERIES_SHARE // len(steps)
        # Each write is a commit; small steps take milliseconds, so the bar moves in the
        # database at most every _PROGRESS_EVERY seconds (the task state gets every step).
        if time.monotonic() - last_written >= _PROGRESS_EVERY:
            IndicatorRun.objects.filter(pk=run_id, status=IndicatorRun.Status.RUNNING).update(
                progress=percent, heartbeat_at=timezone.now()
            )
            last_written = time.monotonic()
        if on_progress is not None:
            on_progress(percent, name)

    try:
        values = computation.compute_values(years=years, on_step=step_finished)
        with transaction.atomic():
            run = IndicatorRun.objects.select_for_update().get(pk=run_id)
            if run.status != IndicatorRun.Status.RUNNING:
                # A duplicate delivery finished first, or the stale sweep gave up on us.
                logger.info("indicator run %s became %s meanwhile", run_id, run.status)
                return run
            _store_values(run=run, values=values)
            publication.revisions_record(run=run, values=values)
            run.status = IndicatorRun.Status.SUCCEEDED
            run.progress = 100
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "progress", "finished_at"])
    except Exception as exc:
        _mark_failed(run_id, exc)
        raise
    if on_progress is not None:
        on_progress(100, "written")
    return run


def _store_values(*, run: IndicatorRun, values: list[computation.ComputedValue]) -> None:
    """Insert the run's values (in the caller's transaction).

    On PostgreSQL through COPY: ``bulk_create`` spends ~0.4 s building and preparing ~6,000
    model instances (a fifth of a whole run at a million contracts); COPY writes the same rows
    in ~0.05 s. Elsewhere (SQLite) ``bulk_create``.
    """
    if connection.vendor == "postgresql":
        # The run, then ComputedValue's fields in their order.
        columns = ", ".join(
            connection.ops.quote_name(computation.column_of(IndicatorValue, name))
            for name in ("run", *computation.ComputedValue._fields)
        )
        table = connection.ops.quote_name(IndicatorValue._meta.db_table)
        with connection.cursor() as cursor:
            # The wrapped psycopg cursor: Django's wrapper has no COPY.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                run_id = run.pk
                for v in values:
                    copy.write_row((run_id, *v))
        return
    IndicatorValue.objects.bulk_create(
        (IndicatorValue(run=run, **v._asdict()) for v in values),
        batch_size=_INSERT_BATCH,
    )


def _mark_failed(run_id: int, exc: BaseException) -> None:
    try:
        indicator_run_fail(run_id=run_id, error=f"{type(exc).__name__}: {exc}"[:2000])
    except DatabaseError:
        # The database itself failed; the stale sweep marks the run failed later.
        logger.exception("could not mark indicator run %s failed", run_id)


def indicator_run_fail(*, run_id: int, error: str) -> bool:
    """Mark a run that has not finished failed, with ``error``."""
    return bool(
        IndicatorRun.objects.filter(
            pk=run_id, status__in=[IndicatorRun.Status.PENDING, IndicatorRun.Status.RUNNING]
        ).update(status=IndicatorRun.Status.FAILED, finished_at=timezone.now(), error=error)
    )


def indicator_run_requeue(*, run_id: int) -> bool:
    """Put a failed run back to pending before its task retries it."""
    return bool(
        IndicatorRun.objects.filter(pk=run_id, status=IndicatorRun.Status.FAILED).update(
            status=IndicatorRun.Status.PENDING, finished_at=None
        )
    )


def indicator_runs_fail_stale(*, older_than: datetime.timedelta = STALE_AFTER) -> int:
    """Mark failed the runs whose task is gone; returns how many.

    Gone: running without a heartbeat for ``HEARTBEAT_TIMEOUT`` (its worker died), pending
    and unclaimed for ``UNCLAIMED_AFTER`` (no worker takes it), or either for longer than
    ``older_than`` whatever the heartbeat says.
    """
    now = timezone.now()
    cutoff = now - older_than
    stalled = IndicatorRun.objects.filter(
        Q(status=IndicatorRun.Status.PENDING, created_at__lt=now - min(older_than, UNCLAIMED_AFTER))
        | Q(status=IndicatorRun.Status.RUNNING, started_at__lt=cutoff)
        | Q(status=IndicatorRun.Status.RUNNING, heartbeat_at__lt=now - HEARTBEAT_TIMEOUT)
        | Q(
            status=IndicatorRun.Status.RUNNING,
            heartbeat_at__isnull=True,
            started_at__lt=now - HEARTBEAT_TIMEOUT,
        )
    )
    return stalled.update(
        status=IndicatorRun.Status.FAILED,
        finished_at=now,
        error=gettext("Abandoned: the worker computing this run stopped answering."),
    )


def indicator_run_active() -> IndicatorRun | None:
    """The run pending or running now, if any, after failing the ones whose worker died."""
    indicator_runs_fail_stale()
    return selectors.run_active()


def indicator_runs_prune(
    *, older_than: datetime.timedelta = datetime.timedelta(days=30), keep_latest: int = 10
) -> int:
    """Delete old runs nobody refers to, with their values; returns how many runs.

    Each run stores some 6,000 values and runs follow every burst of data changes, so old
    ones are dropped. Kept: the latest successful runs, runs a published figure comes from,
    and runs that recorded revisions (the history of changes to published figures).
    """
    latest = IndicatorRun.objects.filter(status=IndicatorRun.Status.SUCCEEDED).order_by(
        "-finished_at", "-id"
    )[:keep_latest]
    stale = (
        IndicatorRun.objects.filter(created_at__lt=timezone.now() - older_than)
        .exclude(pk__in=list(latest.values_list("pk", flat=True)))
        .exclude(pk__in=PublishedFigure.objects.values("run"))
        .exclude(revisions__isnull=False)
        .exclude(status__in=[IndicatorRun.Status.PENDING, IndicatorRun.Status.RUNNING])
    )
    stale_ids = list(stale.values_list("pk", flat=True))
    for stale_id in stale_ids:
        # One run at a time: each delete is a short transaction over ~6,000 rows.
        IndicatorRun.objects.filter(pk=stale_id).delete()
    return len(stale_ids)
