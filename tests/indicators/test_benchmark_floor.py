"""The benchmark's hand-written floor computes the same aggregates as the run, source by source.

The floor's ratio is only honest if both sides compute the same thing: each hand-written query
must give exactly the cells of the run's query for its source.
"""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.indicators import _floor_queries
from projects.indicators import computation
from projects.indicators.scopes import indicator_years
from projects.indicators.sources import EventSource, get_sources
from projects.models import District, Pole
from tests import factories
from tests.indicators.test_sources import VALIDITIES

pytestmark = pytest.mark.postgres

Cells = dict[tuple[Any, ...], tuple[Any, ...]]


def _floor_rows(name: str) -> list[tuple[Any, ...]]:
    position = list(get_sources()).index(name)
    sql, params = _floor_queries(indicator_years())[position]
    with computation.aggregate_session() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _run_cells(name: str) -> Cells:
    source = get_sources()[name]
    cells = computation.source_cells(source, years=indicator_years())
    if getattr(source, "split", ""):
        # One metric per cell, named after the split value (the certificate kind).
        return {
            (split, c.district, c.pole, c.year): (value,)
            for c in cells
            for split, value in c.metrics.items()
        }
    return {
        (c.district, c.pole, c.year): tuple(c.metrics[metric] for metric in source.metrics)
        for c in cells
    }


def _floor_cells(name: str) -> Cells:
    source = get_sources()[name]
    years = indicator_years()
    rows = _floor_rows(name)
    if isinstance(source, EventSource):
        if source.district is None:
            # City-wide statistics: the year, then the metrics.
            return {(None, None, year): tuple(m or 0 for m in metrics) for year, *metrics in rows}
        return {
            (district, pole, year): tuple(m or 0 for m in metrics)
            for year, district, pole, *metrics in rows
        }
    if getattr(source, "split", ""):
        return {
            (split, district, pole, year): (count,)
            for split, district, pole, *counts in rows
            for year, count in zip(years, counts, strict=True)
        }
    return {
        (district, pole, year): (count,)
        for district, pole, *counts in rows
        for year, count in zip(years, counts, strict=True)
    }


@pytest.fixture
def edges(crafted) -> None:
    """Certificates starting or ending on and around 31 December, one organisation each."""
    for valid_from, valid_until in VALIDITIES:
        factories.CertificationFactory(
            organization=factories.OrganizationFactory(district=District.YUBEI, pole=Pole.DIGITAL),
            valid_from=valid_from,
            valid_until=valid_until,
        )


@pytest.mark.parametrize("name", list(get_sources()))
def test_the_floor_matches_the_run(edges, name: str) -> None:
    run = _run_cells(name)
    assert run, f"the crafted data set has no {name} to compare"
    assert _floor_cells(name) == run
