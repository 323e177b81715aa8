"""Benchmark: the API's contract list at a million contracts, next to a plain Django view.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/techtransfer_bench_api \
        .venv/bin/python -m benchmarks.api
    ... -m benchmarks.api --seconds 15 --rounds 3 --reuse

It fills the database with ``--contracts`` contracts (default 1,000,000; the generator of
``benchmarks/indicators.py``, about a minute), starts gunicorn with 2 sync workers on
127.0.0.1, and sends requests from 8 concurrent clients for ``--seconds`` per target and round,
the targets alternating:

- ``hello``: a Django view answering "hello" (the floor: the framework and the server alone);
- ``contracts_first``: ``GET /api/v1/contracts/`` as a registry official (staff: every
  contract), the first cursor page of 50, authenticated by token;
- ``contracts_deep``: the same list from a cursor half-way down the table.

and prints, per target, requests per second and latency percentiles over all rounds, then the
ratio of each list to hello (goal: at least 1/15 of hello, p99 under 100 ms), e.g.
``contracts_first rps=180.2 p50=41.0ms p99=78.5ms share_of_hello=1/11.6``. With
``REDIS_URL`` set, the server's throttles count in Redis, as in production.
Everything it generates lives in that database only.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from benchmarks.indicators import _ensure_database, _generate

CLIENTS = 8
WORKERS = 2
ROOT = Path(__file__).resolve().parent.parent


def _prepare(*, contracts: int, reuse: bool) -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovation.settings")
    os.environ.setdefault("SECRET_KEY", "insecure-bench-key-not-for-production")
    import django

    django.setup()
    from django.contrib.auth.models import Permission
    from django.core.management import call_command
    from django.db import connection

    from projects.api.models import api_token_create
    from projects.indicators.scopes import current_year
    from projects.models import TransferContract

    call_command("migrate", verbosity=0, interactive=False)
    if not (reuse and TransferContract.objects.count() == contracts):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            _generate(cursor, contracts=contracts, last_year=current_year())
            cursor.execute("ANALYZE")
        print(f"generated {contracts} contracts in {time.perf_counter() - started:.0f}s")
    from django.contrib.auth import get_user_model

    user, _created = get_user_model().objects.get_or_create(
        username="bench.registrar", defaults={"is_staff": True}
    )
    user.user_permissions.add(Permission.objects.get(codename="view_transfercontract"))
    _token, key = api_token_create(user=user, name="benchmark")
    return key


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.api_site",
        "DEBUG": "0",
        "SECURE_COOKIES": "0",
    }
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "innovation.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            _get(port, "/hello", {})
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def _get(port: int, path: str, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _load(port: int, path: str, headers: dict[str, str], seconds: float) -> list[float]:
    """``CLIENTS`` threads sending ``path`` back to back for ``seconds``; the latencies."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client() -> None:
        mine: list[float] = []
        while time.perf_counter() < stop:
            started = time.perf_counter()
            status = _get(port, path, headers)
            mine.append(time.perf_counter() - started)
            if status != 200:
                errors.append(status)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{path}: {len(errors)} answers were not 200 (first: {errors[0]})")
    return latencies


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contracts", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep data already generated")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database (techtransfer_bench_api)")
    _ensure_database(url)
    key = _prepare(contracts=args.contracts, reuse=args.reuse)
    deep = base64.urlsafe_b64encode(f"p={args.contracts // 2}".encode()).decode()
    auth = {"Authorization": f"Bearer {key}"}
    targets = {
        "hello": ("/hello", {}),
        "contracts_first": ("/api/v1/contracts/", auth),
        "contracts_deep": (f"/api/v1/contracts/?cursor={deep}", auth),
    }
    port = _free_port()
    server = _start_server(port)
    try:
        for path, headers in targets.values():  # warm both workers, check every answer
            _load(port, path, headers, 1.0)
        samples: dict[str, list[float]] = {name: [] for name in targets}
        elapsed: dict[str, float] = dict.fromkeys(targets, 0.0)
        for _round in range(args.rounds):
            for name, (path, headers) in targets.items():
                started = time.perf_counter()
                samples[name] += _load(port, path, headers, args.seconds)
                elapsed[name] += time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    rates = {name: len(samples[name]) / elapsed[name] for name in targets}
    print(
        f"clients={CLIENTS} gunicorn_workers={WORKERS} contracts={args.contracts} "
        f"seconds={args.seconds} rounds={args.rounds}"
    )
    for name, latencies in samples.items():
        line = (
            f"{name} rps={rates[name]:.1f} p50={statistics.median(latencies) * 1000:.1f}ms "
            f"p99={_percentile(latencies, 0.99) * 1000:.1f}ms requests={len(latencies)}"
        )
        if name != "hello":
            line += f" share_of_hello=1/{rates['hello'] / rates[name]:.1f}"
        print(line)
    print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
