"""Benchmark: the report pages against 1M contracts, each beside a floor measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tt_bench python -m benchmarks.reports
    DATABASE_URL=... python -m benchmarks.reports --contracts 1000000 --repeat 15 --reuse

It generates the contracts and their records as ``benchmarks.indicators`` does (same SQL; about
a minute for 1M), computes one run, then times, alternately and ``--repeat`` times:

- ``report``: ``GET /reports/?year=2024`` for a manager, through the whole Django stack
  (middleware, session, permissions, the stored values, the template);
- ``report_floor``: the same stored values fetched by hand-written SQL (the run's values in the
  scope, the published figures), no template: what any page showing them must at least do;
- ``records``: the drill-down behind the 2024 contract volume (a page of 50 contracts, their
  count and sum) and behind the technology-based enterprises (one certificate per
  organisation), each beside the count and sum written by hand.

and prints medians, e.g. ``report_median=0.045s floor_median=0.004s``, and the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from benchmarks.indicators import STATEMENT_TIMEOUT_MS, _ensure_database, _generate, _setup_django


def _time(function: Callable[[], Any]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def _measure(*, repeat: int) -> dict[str, list[float]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from projects.models import IndicatorRun
    from tests import factories

    run = IndicatorRun.objects.filter(status="succeeded").order_by("-id").first()
    assert run is not None
    manager = factories.manager_user(username="bench.manager")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(manager)

    def get(path: str) -> None:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")

    def report() -> None:
        get("/reports/?year=2024")

    def report_floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT code, year, value, numerator, denominator FROM projects_indicatorvalue "
                "WHERE run_id = %s AND scope = 'city'",
                [run.pk],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT code, value, published_at FROM projects_publishedfigure "
                "WHERE year = 2024 AND scope = 'city'"
            )
            cursor.fetchall()

    def records_contracts() -> None:
        get("/reports/figures/contract_volume/records/?year=2024&scope=city")

    def records_contracts_floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*), sum(contract_amount) FROM projects_transfercontract "
                "WHERE state = 'registered' AND registered_on BETWEEN '2024-01-01' AND '2024-12-31'"
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT c.*, o.name FROM projects_transfercontract c "
                "JOIN projects_organization o ON o.id = c.seller_id "
                "WHERE c.state = 'registered' AND c.registered_on BETWEEN '2024-01-01' AND "
                "'2024-12-31' ORDER BY c.id DESC LIMIT 50"
            )
            cursor.fetchall()

    def records_certificates() -> None:
        get("/reports/figures/tech_enterprises/records/?year=2024&scope=city")

    def records_certificates_floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(DISTINCT organization_id) FROM projects_certification "
                "WHERE kind = 'tech_enterprise' AND valid_from <= '2024-12-31' "
                "AND valid_until >= '2024-12-31'"
            )
            cursor.fetchall()

    functions = [
        report,
        report_floor,
        records_contracts,
        records_contracts_floor,
        records_certificates,
        records_certificates_floor,
    ]
    timings: dict[str, list[float]] = {f.__name__: [] for f in functions}
    with override_settings(
        ALLOWED_HOSTS=["testserver"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        for function in functions:  # warm caches, templates, plans
            function()
        for round_number in range(repeat):
            order = list(functions)
            if round_number % 2:
                order.reverse()
            for function in order:
                timings[function.__name__].append(_time(function))
    return timings


def _report(contracts: int, timings: dict[str, list[float]]) -> None:
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    for name in ("report", "records_contracts", "records_certificates"):
        median = statistics.median(timings[name])
        floor = statistics.median(timings[f"{name}_floor"])
        print(
            f"contracts={contracts} {name}_median={median * 1000:.1f}ms "
            f"floor_median={floor * 1000:.1f}ms ratio={median / floor:.1f} "
            f"max={max(timings[name]) * 1000:.1f}ms loadavg={load}"
        )
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.reports", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--contracts", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15, help="timed rounds")
    parser.add_argument("--reuse", action="store_true", help="keep data already generated")
    options = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("DATABASE_URL must point at PostgreSQL")
        return 2
    _ensure_database(url)
    _setup_django()

    from django.db import connection

    from projects.indicators import runs
    from projects.indicators.scopes import indicator_years
    from projects.models import IndicatorRun

    years = indicator_years()
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
        cursor.execute("SELECT count(*) FROM projects_transfercontract")
        present = cursor.fetchone()[0]
        if not (options.reuse and present == options.contracts):
            started = time.perf_counter()
            _generate(cursor, contracts=options.contracts, last_year=years[-1])
            print(
                f"generated {options.contracts} contracts in {time.perf_counter() - started:.1f}s"
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    if not IndicatorRun.objects.filter(status="succeeded").exists():
        run = runs.indicator_run_create(trigger=IndicatorRun.Trigger.COMMAND)
        runs.indicator_run_execute(run_id=run.pk)
    _report(options.contracts, _measure(repeat=options.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
