"""Celery tasks of the workflows: ids in, the work in plain functions the tests call directly."""

from __future__ import annotations

from celery import shared_task

from projects.notifications import (
    MAX_ATTEMPTS,
    RETRYABLE_ERRORS,
    notification_send,
    notification_sweep,
)
from projects.workflows.needs import need_expire_overdue


@shared_task(
    autoretry_for=RETRYABLE_ERRORS,
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    # The row's own attempt counter decides when to give up (the sweep adds attempts too);
    # this only stops Celery from retrying past it.
    max_retries=MAX_ATTEMPTS,
    soft_time_limit=60,
    time_limit=90,
)
def notification_send_task(notification_id: int) -> str:
    return notification_send(notification_id=notification_id)


@shared_task(soft_time_limit=600, time_limit=660)
def notification_sweep_task() -> int:
    return notification_sweep()


@shared_task(soft_time_limit=600, time_limit=660)
def need_expire_overdue_task() -> int:
    return need_expire_overdue()
