"""E-mail notifications through the outbox (``Notification`` rows).

The modules import one way, each only from those after it:

- ``queue``: what a transition calls inside its transaction (``queue_for_members``);
- ``tasks``: the thin Celery tasks;
- ``delivery``: rendering and sending one row or many, and the periodic sweep;
- ``outbox``: the compare-and-set steps of a row (``queued`` → ``sent`` | ``failed``).
"""

from __future__ import annotations

from projects.notifications.queue import queue_for_members

__all__ = ["queue_for_members"]
