"""Celery tasks of the notifications: ids in, the work in ``delivery``.

The names are explicit and those of the module the tasks lived in before (``projects.tasks``):
a deployed beat schedule and messages already in the broker still find them.
"""

from __future__ import annotations

from celery import shared_task

from projects.notifications.delivery import notification_send_many, notification_sweep


# No Celery retries: a row that could not be sent is back in the queue with its error and the
# periodic sweep tries it again, up to the row's own attempt limit.
@shared_task(name="projects.tasks.notification_send_task", soft_time_limit=120, time_limit=150)
def notification_send_task(*notification_ids: int) -> int:
    """Send the rows one transaction queued (messages of earlier versions carry one id)."""
    return notification_send_many(notification_ids=notification_ids)


@shared_task(name="projects.tasks.notification_sweep_task", soft_time_limit=600, time_limit=660)
def notification_sweep_task() -> int:
    return notification_sweep()
