"""Side effects the transitions schedule for after their commit."""

from __future__ import annotations

from django.db import transaction

from projects.indicators.scheduling import request_indicator_refresh


def refresh_indicators_on_commit() -> None:
    """Ask for a (debounced) indicator recompute once this transaction commits.

    ``robust``: the transition has committed by then; a broker that is down must not turn a
    successful transition into an error for the person who made it.
    """
    # Looked up at commit time, so tests can record the requests instead.
    transaction.on_commit(lambda: request_indicator_refresh(), robust=True)
