"""On the demo data set: the plan's headline figures, and every drill-down answering at once.

The demo is seeded once for the module (about 20 s) inside a transaction rolled back at the
end, as in ``tests/management/test_seed_demo.py``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from projects.indicators import runs
from projects.indicators.catalogue import CATALOGUE
from projects.indicators.lineage import lineage, lineage_total
from projects.indicators.scopes import CITY
from projects.indicators.selectors import value_multiple_of_base
from projects.models import IndicatorRun, IndicatorValue
from tests import factories

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_run(django_db_setup, django_db_blocker) -> Iterator[int]:
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", "--force", verbosity=0)
            # Checked once here: left pending, PostgreSQL's deferred checks would run again at
            # the end of every test's savepoint.
            connection.check_constraints()
            run = runs.indicator_run_execute(run_id=factories.IndicatorRunFactory().pk)
            yield run.pk
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def run(demo_run: int, db) -> IndicatorRun:
    return IndicatorRun.objects.get(pk=demo_run)


def _city(run: IndicatorRun, code: str, year: int) -> Decimal | None:
    return IndicatorValue.objects.get(run=run, code=code, year=year, scope=CITY).value


def test_the_plans_headline_figures(run) -> None:
    assert _city(run, "plan_projects_approved", 2025) == 645
    assert _city(run, "plan_bottlenecks_resolved", 2025) == 304
    # 121 of the 304 were resolved by projects approved before 2021.
    assert _city(run, "plan_bottlenecks_resolved_by_plan_projects", 2025) == 304 - 121
    assert _city(run, "contract_volume", 2024) == Decimal("97424000000")
    assert value_multiple_of_base(
        run=run, code="contract_volume", year=2024, scope=CITY
    ) == Decimal("5.0000")


@pytest.mark.parametrize("indicator", CATALOGUE, ids=lambda i: i.code)
def test_every_drill_down_answers_within_a_second_and_adds_up(run, indicator) -> None:
    year = 2024
    stored = IndicatorValue.objects.get(run=run, code=indicator.code, year=year, scope=CITY)
    parts = {"numerator": stored.numerator, "denominator": stored.denominator}
    if not indicator.is_ratio:
        parts = {"value": stored.value}
    for part, expected in parts.items():
        started = time.perf_counter()
        records = lineage(code=indicator.code, year=year, scope=CITY, part=part)  # type: ignore[arg-type]
        page = list(records.order_by("-pk")[:50])
        total = lineage_total(code=indicator.code, year=year, scope=CITY, part=part)  # type: ignore[arg-type]
        elapsed = time.perf_counter() - started
        assert total == expected, (indicator.code, part)
        listed = records.count()
        assert len(page) == min(50, listed)
        if indicator.lineage_metric(part).kind != "sum":
            assert listed == total, (indicator.code, part)  # one row per counted value
        # The second is PostgreSQL's (production); SQLite lacks its plans and parallel scans.
        if connection.vendor == "postgresql":
            assert elapsed < 1.0, f"{indicator.code} {part}: {elapsed:.2f}s"
