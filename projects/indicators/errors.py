from __future__ import annotations


class IndicatorError(Exception):
    """An indicator request that cannot be honoured; the message is for the person asking."""
