"""Celery tasks of the workflows: ids in, the work in plain functions the tests call directly.

The notification tasks live in ``projects.notifications.tasks`` (under their old names).
"""

from __future__ import annotations

from celery import shared_task

from projects.workflows.needs import need_expire_overdue


@shared_task(soft_time_limit=600, time_limit=660)
def need_expire_overdue_task() -> int:
    return need_expire_overdue()
