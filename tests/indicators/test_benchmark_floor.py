"""The benchmark's hand-written floor computes the same aggregates as the run."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from benchmarks.indicators import _floor_queries
from projects.indicators import computation
from projects.indicators.scopes import indicator_years
from projects.indicators.sources import get_sources

pytestmark = pytest.mark.postgres


def _floor_rows(position: int) -> list[tuple]:
    sql, params = _floor_queries(indicator_years())[position]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_the_contract_floor_matches_the_run(crafted) -> None:
    cells = computation.source_cells(get_sources()["contracts"], years=indicator_years())
    orm = {
        (c.district, c.pole, c.year): (
            Decimal(c.metrics["count"]),
            c.metrics["amount"],
            c.metrics["tech_amount"],
        )
        for c in cells
    }
    floor = {
        (district, pole, year): (Decimal(count), amount, tech)
        for district, pole, year, count, amount, tech in _floor_rows(0)
    }
    assert floor == orm and orm


def test_the_certificate_floor_matches_the_run(crafted) -> None:
    years = indicator_years()
    cells = computation.source_cells(get_sources()["certifications"], years=years)
    orm = {
        (name, c.district, c.pole, c.year): value
        for c in cells
        for name, value in c.metrics.items()
        if value
    }
    # The metrics are named after the certificate kinds they count.
    floor = {
        (kind, district, pole, year): count
        for kind, district, pole, *counts in _floor_rows(1)
        for year, count in zip(years, counts, strict=True)
        if count
    }
    assert floor == orm and orm
