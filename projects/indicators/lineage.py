"""The records behind any figure: the drill-down of the report pages, API and exports.

``lineage(code=..., year=..., scope=...)`` returns the exact queryset the run aggregated for
that figure (contracts registered in 2024 in Yubei, certificates valid on 2024-12-31, …), built
from the same source definitions as the computation, so counting or summing it gives the
stored value. For a ratio it returns the population (the denominator's records); pass
``part="numerator"`` for the records counted above the line.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from django.db.models import QuerySet

from .catalogue import get_indicator

LineagePart = Literal["value", "numerator", "denominator"]


def lineage(*, code: str, year: int, scope: str, part: LineagePart | None = None) -> QuerySet[Any]:
    """The records behind indicator ``code`` for ``year`` in ``scope``.

    For certificates, one row per organisation (its latest valid certificate), so the count is
    the number of organisations.
    """
    return get_indicator(code).lineage(year=year, scope=scope, part=part)


def lineage_total(*, code: str, year: int, scope: str, part: LineagePart | None = None) -> Decimal:
    """What the lineage records add up to: their count, or the sum of the measured amount."""
    indicator = get_indicator(code)
    rows = indicator.source_rows(year=year, scope=scope)
    return indicator.lineage_metric(part).total(rows)
