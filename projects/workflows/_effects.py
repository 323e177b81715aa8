"""Side effects the transitions schedule for after their commit."""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger(__name__)

_SCHEDULING_MODULE = "projects.indicators.scheduling"


def refresh_indicators_on_commit() -> None:
    """Ask for a (debounced) indicator recompute once this transaction commits.

    ``robust``: the transition has committed by then; a broker that is down must not turn a
    successful transition into an error for the person who made it.
    """
    transaction.on_commit(_request_indicator_refresh, robust=True)


def _request_indicator_refresh() -> None:
    # Imported here: the indicator engine is developed alongside the workflows and may not be
    # installed yet; until it is, the nightly run picks up the changes.
    try:
        from projects.indicators.scheduling import request_indicator_refresh
    except ImportError as exc:
        if exc.name not in (_SCHEDULING_MODULE, "projects.indicators"):
            raise
        logger.debug("%s is not available: no indicator refresh requested", _SCHEDULING_MODULE)
        return
    request_indicator_refresh()
