"""Benchmark: the back office at a million contracts, and a 100,000-row contract import beside a
plain ``bulk_create`` of the same rows.

    createdb -h 127.0.0.1 -U postgres techtransfer_bench_backoffice
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/techtransfer_bench_backoffice \\
        .venv/bin/python -m benchmarks.backoffice
    ... -m benchmarks.backoffice --contracts 1000000 --rows 100000 --repeat 5 --reuse

It generates the records of ``benchmarks.indicators`` (``INSERT ... SELECT generate_series``,
about a minute for a million contracts), then times, ``--repeat`` times each:

- the contract changelist as a registrar opens it: the first page, filters (state submitted,
  the registration clock's overdue contracts, a district, a kind), a search by title and one
  by registration number; the page is rendered in full, through Django's test client;
- ``import``: ``TransferContractResource.import_data`` of a CSV of ``--rows`` registered
  contracts (parsed, every row checked, written in ``bulk_create`` batches), in a transaction
  rolled back afterwards;
- ``floor``: the same rows, already parsed, written with ``TransferContract.objects
  .bulk_create`` in the same batches, rolled back too;

and prints medians, e.g. ``import_median=9.8s floor_median=7.1s ratio=1.38``, and the load
average. Everything lives in that database only.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from benchmarks.indicators import STATEMENT_TIMEOUT_MS, _ensure_database, _generate, _setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/techtransfer_bench_backoffice"


class _RolledBack(Exception):
    """Raised inside the timed transaction so that it leaves nothing behind."""


def _time(function: Callable[[], Any]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def _changelist(repeat: int) -> dict[str, list[float]]:
    from django.conf import settings
    from django.test import Client

    from projects.models import TransferContract
    from tests import factories

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # No collectstatic here: plain static names (as the tests use) instead of the manifest.
    from django.test.utils import override_settings

    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    client = Client()
    client.force_login(factories.registrar_user(username="bench.registrar"))
    number = (
        TransferContract.objects.filter(registration_number__isnull=False)
        .order_by("-id")
        .values_list("registration_number", flat=True)
        .first()
    )
    pages = {
        "first_page": {},
        "filter_state": {"state__exact": "submitted"},
        "filter_overdue": {"clock": "overdue"},
        "filter_district": {"district__exact": "500109"},
        "filter_kind": {"kind__exact": "licensing"},
        "search_title": {"q": "bench contract 123457"},
        "search_number": {"q": str(number)},
    }
    url = "/admin/projects/transfercontract/"
    timings: dict[str, list[float]] = {name: [] for name in pages}
    for query in pages.values():  # warm the caches and the plans
        response = client.get(url, query)
        assert response.status_code == 200, response.status_code
    for _round in range(repeat):
        for name, query in pages.items():
            timings[name].append(_time(lambda q=query: client.get(url, q)))
    return timings


def _csv(rows: int) -> str:
    from projects.models import Organization

    codes = list(
        Organization.objects.filter(state="verified")
        .order_by("id")
        .values_list("credit_code", flat=True)[:2000]
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "registration_number",
            "kind",
            "seller_credit_code",
            "buyer_credit_code",
            "title",
            "contract_amount",
            "technology_transaction_amount",
            "signed_on",
            "submitted_on",
            "registered_on",
        ]
    )
    kinds = ("development", "transfer", "licensing", "consulting", "service")
    first = datetime.date(2024, 1, 1)
    for i in range(rows):
        signed = first + datetime.timedelta(days=i % 300)
        amount = Decimal(10_000 + (i * 7727) % 4_990_000)
        writer.writerow(
            [
                f"IMP2024{i:09d}",
                kinds[i % 5],
                codes[i % len(codes)],
                codes[(i + 1 + i % 97) % len(codes)],
                f"导入合同 {i}",
                f"{amount:.2f}",
                f"{amount * Decimal('0.8'):.2f}",
                signed.isoformat(),
                (signed + datetime.timedelta(days=10)).isoformat(),
                (signed + datetime.timedelta(days=30)).isoformat(),
            ]
        )
    return out.getvalue()


def _import(repeat: int, rows: int) -> dict[str, list[float]]:
    import tablib
    from django.db import transaction

    from projects.admin.imports import BATCH_SIZE, TransferContractResource
    from projects.models import Organization, TransferContract

    text = _csv(rows)
    by_code = {
        code: (pk, district, pole)
        for pk, code, district, pole in Organization.objects.values_list(
            "pk", "credit_code", "district", "pole"
        )
    }
    parsed = list(csv.DictReader(io.StringIO(text)))

    def instances() -> list[TransferContract]:
        # The same rows as the import writes, built from values already parsed.
        built = []
        for row in parsed:
            seller, district, pole = by_code[row["seller_credit_code"]]
            built.append(
                TransferContract(
                    registration_number=row["registration_number"],
                    kind=row["kind"],
                    seller_id=seller,
                    buyer_id=by_code[row["buyer_credit_code"]][0],
                    title=row["title"],
                    contract_amount=Decimal(row["contract_amount"]),
                    technology_transaction_amount=Decimal(row["technology_transaction_amount"]),
                    signed_on=datetime.date.fromisoformat(row["signed_on"]),
                    submitted_on=datetime.date.fromisoformat(row["submitted_on"]),
                    registered_on=datetime.date.fromisoformat(row["registered_on"]),
                    clock_started_on=datetime.date.fromisoformat(row["submitted_on"]),
                    district=district,
                    pole=pole,
                    state="registered",
                )
            )
        return built

    def floor() -> None:
        objects = instances()
        try:
            with transaction.atomic():
                TransferContract.objects.bulk_create(objects, batch_size=BATCH_SIZE)
                raise _RolledBack
        except _RolledBack:
            pass

    def run_import() -> None:
        dataset = tablib.Dataset().load(text, format="csv")
        try:
            with transaction.atomic():
                result = TransferContractResource().import_data(
                    dataset, dry_run=False, use_transactions=True
                )
                if result.has_errors() or result.has_validation_errors():
                    raise RuntimeError(f"the import refused rows: {result.invalid_rows[:3]}")
                if (
                    TransferContract.objects.filter(registration_number__startswith="IMP").count()
                    != rows
                ):
                    raise RuntimeError("the import did not write every row")
                raise _RolledBack
        except _RolledBack:
            pass

    timings: dict[str, list[float]] = {"import": [], "floor": []}
    run_import()  # warm up, and prove the file imports
    floor()
    for round_number in range(repeat):
        order = [run_import, floor] if round_number % 2 == 0 else [floor, run_import]
        for function in order:
            timings["import" if function is run_import else "floor"].append(_time(function))
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.backoffice", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--contracts", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the imported file")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds")
    parser.add_argument(
        "--reuse", action="store_true", help="keep data already generated for the same size"
    )
    parser.add_argument(
        "--only", choices=("changelist", "import"), help="time one of the two parts only"
    )
    options = parser.parse_args(argv)
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        print("DATABASE_URL must point at PostgreSQL, e.g. " + DEFAULT_URL)
        return 2
    os.environ.setdefault("DEBUG", "0")
    _ensure_database(url)
    _setup_django()

    from django.db import connection

    from projects.indicators.scopes import indicator_years

    years = indicator_years()
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
        cursor.execute("SELECT count(*) FROM projects_transfercontract")
        present = cursor.fetchone()[0]
        if not (options.reuse and present == options.contracts):
            started = time.perf_counter()
            _generate(cursor, contracts=options.contracts, last_year=years[-1])
            print(
                f"generated {options.contracts} contracts and their records in "
                f"{time.perf_counter() - started:.1f}s"
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    if options.only != "import":
        _print_changelist(options)
    if options.only != "changelist":
        _print_import(options)
    return 0


def _print_changelist(options: argparse.Namespace) -> None:
    pages = _changelist(options.repeat)
    print(
        f"contracts={options.contracts} changelist medians: "
        + " ".join(f"{name}={statistics.median(t) * 1000:.0f}ms" for name, t in pages.items())
        + f" ({_load()})"
    )


def _print_import(options: argparse.Namespace) -> None:
    timings = _import(options.repeat, options.rows)
    imported, floor = statistics.median(timings["import"]), statistics.median(timings["floor"])
    print(
        f"rows={options.rows} import_median={imported:.2f}s floor_median={floor:.2f}s "
        f"ratio={imported / floor:.2f} ({_load()})"
    )


if __name__ == "__main__":
    sys.exit(main())
