"""Starting indicator runs: on demand, nightly, and shortly after data changes.

``request_indicator_refresh()`` is what the workflows and imports call after they change an
input of the indicators. It is cheap and safe to call any number of times:

- With a broker (``REDIS_URL`` set), the first call after the transaction commits sets a Redis
  key (``SET NX`` with an expiry) and enqueues ``indicator_refresh_task`` with a countdown of
  ``INDICATOR_REFRESH_DELAY`` seconds (default 60). Calls while the key exists do nothing: the
  pending refresh will read their changes. The task deletes the key *before* it starts the run,
  so a change committed while the run computes schedules the next one. Many changes, one run,
  and no change is left without a run that starts after it.
- In eager mode (no broker: the quick start and the SQLite tests) it does nothing. There is no
  worker to run anything "a short while later"; running the recompute synchronously would make
  every transition wait for it and a bulk import or the demo seed recompute once per record.
  Figures there are refreshed by ``manage.py recompute_indicators`` or a manager's
  "recompute" (``indicator_run_start``).

The key expires on its own (delay + ``_KEY_GRACE``), so a lost task message cannot suppress
refreshes for long; the nightly run catches up with anything missed.
"""

from __future__ import annotations

import logging
import uuid
from functools import cache
from typing import Any

import redis
from celery import Task, current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from projects.models import IndicatorRun

from . import runs

logger = logging.getLogger(__name__)

REFRESH_KEY = "projects:indicators:refresh-pending"
START_PERMISSION = "projects.add_indicatorrun"
_KEY_GRACE = 15 * 60
# The PostgreSQL advisory lock a recompute request holds while it looks for an active run.
_REQUEST_LOCK = 7_412_001


def refresh_delay() -> int:
    """Seconds between the first change and the refresh run."""
    return int(settings.INDICATOR_REFRESH_DELAY)


def indicator_run_start(*, trigger: str, actor: Any = None) -> IndicatorRun:
    """Create a pending run and enqueue its computation once the transaction commits.

    ``actor`` is the person asking (report page, API, admin) and needs the permission to start
    runs; ``None`` is the system (schedule, data changes). The run's ``task_id`` is set before
    the task is sent so a page can follow the task at once.
    """
    if actor is not None and not actor.has_perm(START_PERMISSION):
        raise PermissionDenied(_("Only managers can start an indicator recompute."))
    run = runs.indicator_run_create(trigger=trigger, actor=actor, task_id=str(uuid.uuid4()))
    transaction.on_commit(lambda: _enqueue(run))
    return run


def indicator_run_request(*, trigger: str, actor: Any = None) -> tuple[IndicatorRun, bool]:
    """The run a person's "recompute" leads to, and whether it is new: the run already
    pending or running (after failing any whose worker died), or a new one."""
    if actor is not None and not actor.has_perm(START_PERMISSION):
        raise PermissionDenied(_("Only managers can start an indicator recompute."))
    with transaction.atomic():
        # Two requests at once (a double click, two managers) would both find no active run
        # and start one each: they take turns. SQLite's transactions already do (they begin
        # by taking its write lock).
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_REQUEST_LOCK])
        active = runs.indicator_run_active()
        if active is not None:
            return active, False
        return indicator_run_start(trigger=trigger, actor=actor), True


def _enqueue(run: IndicatorRun) -> None:
    try:
        _task("recompute_indicators_task").apply_async(args=[run.pk], task_id=run.task_id)
    except Exception as exc:
        # After the commit, the person who asked should not get an error page for a broker
        # that is down; the run says what happened instead. (In eager mode the task itself
        # runs here and has already marked its run failed.)
        logger.exception("could not enqueue indicator run %s", run.pk)
        runs.indicator_run_fail(run_id=run.pk, error=f"not enqueued: {exc}")


def request_indicator_refresh() -> None:
    """Ask for a recompute a short while from now; see the module docstring.

    Call it inside or outside a transaction: the refresh is scheduled only if and when the
    transaction commits, so a rolled-back change schedules nothing.
    """
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    transaction.on_commit(_schedule_refresh)


def _schedule_refresh() -> None:
    delay = refresh_delay()
    try:
        first = _redis().set(REFRESH_KEY, "1", nx=True, ex=delay + _KEY_GRACE)
    except redis.RedisError:
        # The change is committed whatever happens here; the nightly run will include it.
        logger.exception("could not schedule an indicator refresh")
        return
    if not first:
        return
    try:
        _task("indicator_refresh_task").apply_async(countdown=delay)
    except Exception:
        logger.exception("could not enqueue the indicator refresh")
        # Let the next change try again instead of waiting for the key to expire.
        _reopen_window()


def indicator_refresh_fire() -> IndicatorRun:
    """The debounced refresh itself: reopen the window, then start a run."""
    _reopen_window()
    return indicator_run_start(trigger=IndicatorRun.Trigger.DATA_CHANGE)


def _reopen_window() -> None:
    try:
        _redis().delete(REFRESH_KEY)
    except redis.RedisError:
        # The key expires on its own; until then changes ride on the pending refresh.
        logger.exception("could not clear the indicator refresh key")


def _task(name: str) -> Task:
    """A task of ``tasks`` by name, from the Celery app's registry: ``tasks`` calls this module,
    so this one does not import it back."""
    full_name = f"projects.indicators.tasks.{name}"
    if full_name not in current_app.tasks:
        # A worker imports the tasks modules when it starts (autodiscovery); a web process
        # has not necessarily done so when the report page starts its first run.
        current_app.loader.import_default_modules()
    return current_app.tasks[full_name]


@cache
def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
