"""Benchmark: a full indicator recompute against the floor of the same SQL written by hand.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tt_bench make bench
    DATABASE_URL=... make bench BENCH_ARGS="--sizes 100000,1000000 --repeat 7"
    DATABASE_URL=... make bench BENCH_ARGS="--sizes 1000000 --reuse"  # keep generated data

For each size it generates that many transfer contracts with proportionate records (one
organisation per 10 contracts, a project per 20 organisations, …) with ``INSERT ... SELECT
generate_series`` (about a minute for 1M contracts on two cores), then times, alternately and
``--repeat`` times:

- ``recompute``: ``runs.indicator_run_execute`` as a worker runs it (claim the run, the eight
  ORM aggregates, roll-up in Python, bulk insert of ~6,000 values and the revisions check in one
  transaction, progress updates);
- ``floor``: the same eight aggregates as hand-written SQL on the same tables, rows fetched;
- ``aggregates``: ``computation.compute_values`` alone (ORM aggregates + roll-up, no write).

and prints medians, e.g.
``contracts=1000000 recompute_median=0.84s floor_median=0.77s ratio=1.09``.

Options: ``--sizes`` (comma-separated contract counts, default 100000,1000000), ``--repeat``
(timed rounds per size, default 5), ``--reuse`` (keep data already generated for that size).
It needs PostgreSQL; the database is created if missing and
migrated. Everything it generates lives in that database only; the runs it creates are deleted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

# A statement that takes longer than this means a broken plan: fail instead of hanging.
STATEMENT_TIMEOUT_MS = 300_000


def _ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovation.settings")
    os.environ.setdefault("SECRET_KEY", "insecure-bench-key-not-for-production")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


# --- data --------------------------------------------------------------------------------------

_TABLES = (
    "projects_indicatorrevision",
    "projects_publishedfigure",
    "projects_indicatorvalue",
    "projects_indicatorrun",
    "projects_fundingallocation",
    "projects_projectparticipant",
    "projects_transfercontract",
    "projects_technicalneed",
    "projects_bottleneck",
    "projects_researchproject_bottlenecks",
    "projects_researchproject_needs",
    "projects_researchproject",
    "projects_innovationplatform",
    "projects_certification",
    "projects_organization",
    "projects_yearlystatistic",
)

# Each statement gets %(n)s (contracts), %(orgs)s, %(projects)s, %(districts)s, %(last)s.
_GENERATE = [
    # Organisations: 55 % enterprises; 38 districts; four poles and some without a pole.
    """
    INSERT INTO projects_organization
        (id, created_at, updated_at, name, credit_code, kind, district, pole, industry, state)
    SELECT g, now(), now(), 'bench organisation ' || g,
           -- The database checks the GB 32100 check character: computed here as it does.
           code.prefix || substr(%(alphabet)s::text, (1 + (31 - (
               SELECT sum((strpos(%(alphabet)s::text, substr(code.prefix, w.i::int, 1)) - 1) * w.w)
               FROM unnest(%(weights)s::int[]) WITH ORDINALITY AS w(w, i)
           ) %% 31) %% 31)::int, 1),
           CASE WHEN g %% 20 < 11 THEN 'enterprise' WHEN g %% 20 < 14 THEN 'university'
                WHEN g %% 20 < 16 THEN 'research_institute' WHEN g %% 20 = 16
                THEN 'new_rd_institution' WHEN g %% 20 = 17 THEN 'laboratory'
                WHEN g %% 20 = 18 THEN 'government' ELSE 'other' END,
           (%(districts)s::text[])[1 + (g * 7) %% 38],
           (ARRAY['digital', 'health', 'materials', 'low_carbon', ''])[1 + (g * 3) %% 5],
           '', 'verified'
    FROM generate_series(1, %(orgs)s::bigint) AS g
    CROSS JOIN LATERAL (SELECT '91500000' || lpad(g::text, 9, '0') AS prefix) AS code
    """,
    # Contracts: 85 % registered, the rest submitted, cancelled or refused; amounts up to
    # 5 million yuan; dates spread over 2016 to the current year.
    """
    INSERT INTO projects_transfercontract
        (id, created_at, updated_at, registration_number, kind, title, contract_amount,
         technology_transaction_amount, signed_on, submitted_on, registered_on,
         clock_started_on, registration_due_on, registration_due_provisional, refusal_reason,
         district, pole, state, buyer_id, seller_id)
    SELECT c.g, now(), now(),
           CASE WHEN c.state IN ('registered', 'cancelled') THEN 'B' || c.g END,
           (ARRAY['development', 'transfer', 'licensing', 'consulting', 'service'])
               [1 + c.g %% 5],
           'bench contract ' || c.g, c.amount, round(c.amount * 0.8, 2),
           c.day - 30, c.day - 20,
           CASE WHEN c.state IN ('registered', 'cancelled') THEN c.day END,
           c.day - 20, CASE WHEN c.state = 'submitted' THEN c.day + 1 END, false,
           CASE WHEN c.state = 'not_registered' THEN 'bench refusal' ELSE '' END,
           s.district, s.pole, c.state,
           1 + (c.seller + 1 + c.g %% 97) %% %(orgs)s, s.id
    FROM (
        SELECT g, 1 + (g * 7919) %% %(orgs)s AS seller,
               CASE WHEN g %% 20 = 0 THEN 'submitted' WHEN g %% 20 = 1 THEN 'cancelled'
                    WHEN g %% 20 = 2 THEN 'not_registered' ELSE 'registered' END AS state,
               date '2016-01-01' + ((g * 37) %% (%(last)s::date - date '2016-01-01'))::int AS day,
               (10000 + (g * 7727) %% 4990000)::numeric(16, 2) AS amount
        FROM generate_series(1, %(n)s::bigint) AS g
    ) AS c JOIN projects_organization s ON s.id = c.seller
    """,
    # High-tech certificates: 3-year chains for one enterprise in 7; one chain in five renews
    # two months early, so two certificates overlap on 31 December.
    """
    INSERT INTO projects_certification
        (created_at, updated_at, kind, number, valid_from, valid_until, organization_id)
    SELECT now(), now(), 'high_tech', 'HT' || o.id || '-' || k, f.valid_from,
           (f.valid_from + interval '3 years' - interval '1 day')::date, o.id
    FROM projects_organization o
    CROSS JOIN generate_series(0, 3) AS k
    CROSS JOIN LATERAL (
        SELECT (make_date(2013 + (o.id %% 6)::int + 3 * k, 1 + (o.id %% 12)::int, 1)
                - CASE WHEN o.id %% 5 = 0 AND k > 0 THEN 60 ELSE 0 END) AS valid_from
    ) AS f
    WHERE o.kind = 'enterprise' AND o.id %% 7 = 0
    """,
    # Technology-based SME registrations: yearly, for every other enterprise.
    """
    INSERT INTO projects_certification
        (created_at, updated_at, kind, number, valid_from, valid_until, organization_id)
    SELECT now(), now(), 'tech_enterprise', 'TE' || o.id || '-' || y,
           make_date(y, 3, 1), make_date(y + 1, 2, 28), o.id
    FROM projects_organization o
    CROSS JOIN generate_series(2016, %(last_year)s) AS y
    WHERE o.kind = 'enterprise' AND o.id %% 2 = 0 AND y >= 2016 + o.id %% 5
    """,
    # Platforms: about 1.3 % of organisations host one; some closed.
    """
    INSERT INTO projects_innovationplatform
        (created_at, updated_at, name, kind, level, pole, established_on, closed_on, host_id)
    SELECT now(), now(), 'bench platform ' || o.id, 'key_laboratory',
           (ARRAY['national', 'municipal', 'municipal', 'district'])[1 + o.id %% 4],
           (ARRAY['digital', 'health', 'materials', 'low_carbon'])[1 + o.id %% 4],
           make_date(2010 + (o.id %% 16)::int, 6, 1),
           CASE WHEN o.id %% 10 = 0
                THEN make_date(2013 + (o.id %% 16)::int + (o.id %% 8)::int, 3, 1) END,
           o.id
    FROM projects_organization o WHERE o.id %% 77 = 0
    """,
    # Research projects: one per 20 organisations, most approved since 2016.
    """
    INSERT INTO projects_researchproject
        (id, created_at, updated_at, code, title, programme, pole, start_on, end_on,
         approved_on, completed_on, rectification_used, state, lead_id)
    SELECT g, now(), now(), 'BENCH-' || g, 'bench project ' || g,
           CASE WHEN g %% 3 = 0 THEN 'major' ELSE 'key' END,
           (ARRAY['digital', 'health', 'materials', 'low_carbon'])[1 + g %% 4], NULL, NULL,
           CASE WHEN g %% 10 <> 0 THEN date '2016-01-01'
                + ((g * 53) %% (%(last)s::date - date '2016-01-01'))::int END,
           -- Completed projects (g %% 10 in 4, 5) were completed two years after approval.
           CASE WHEN g %% 10 IN (4, 5) THEN date '2016-01-01'
                + ((g * 53) %% (%(last)s::date - date '2016-01-01'))::int + 730 END,
           false,
           (ARRAY['proposed', 'approved', 'in_progress', 'in_progress', 'completed',
                  'completed', 'acceptance_review', 'failed', 'terminated', 'approved'])
               [1 + g %% 10],
           1 + (g * 4447) %% %(orgs)s
    FROM generate_series(1, %(projects)s::bigint) AS g
    """,
    """
    INSERT INTO projects_projectparticipant
        (created_at, updated_at, role, organization_id, project_id)
    SELECT DISTINCT ON (p.id, o.id) now(), now(), 'partner', o.id, p.id
    FROM projects_researchproject p
    CROSS JOIN generate_series(1, 2) AS k
    JOIN projects_organization o ON o.id = 1 + (p.lead_id + k * 131) %% %(orgs)s
    WHERE o.id <> p.lead_id
    """,
    """
    INSERT INTO projects_fundingallocation
        (created_at, updated_at, source, amount, year, organization_id, project_id)
    SELECT now(), now(), f.source, (100000 + (p.id * 7 + f.k * 13) %% 900000)::numeric(16, 2),
           extract(year FROM p.approved_on)::int, f.org, p.id
    FROM projects_researchproject p
    CROSS JOIN LATERAL (VALUES
        (1, 'public', p.lead_id),
        (2, 'self_raised', p.lead_id),
        (3, 'public', 1 + (p.lead_id + 131) %% %(orgs)s)
    ) AS f(k, source, org)
    WHERE p.approved_on IS NOT NULL AND (f.k < 3 OR f.org <> p.lead_id)
    """,
    """
    INSERT INTO projects_bottleneck
        (created_at, updated_at, title, industrial_chain, pole, description,
         resolution_criteria, identified_on, resolved_on, state, resolved_by_id)
    SELECT now(), now(), 'bench bottleneck ' || p.id, 'intelligent_connected_nev', p.pole, '',
           '', date '2016-01-01',
           CASE WHEN p.id %% 2 = 0 THEN p.approved_on + 400 END,
           CASE WHEN p.id %% 2 = 0 THEN 'resolved' ELSE 'targeted' END,
           CASE WHEN p.id %% 4 = 0 THEN p.id END
    FROM projects_researchproject p
    WHERE p.approved_on IS NOT NULL AND p.id %% 5 = 2
    """,
    # Technical needs: one per four organisations, timestamps spread over the years.
    """
    INSERT INTO projects_technicalneed
        (created_at, updated_at, title, summary, problem, key_technology, goals, pole,
         industrial_chain, budget, open_until, contact_name, contact_phone, contact_email,
         state, rejection_reason, submitted_at, published_at, bottleneck_id, created_by_id,
         proposer_id)
    SELECT now(), now(), 'bench need ' || g, '', '', '', '',
           (ARRAY['digital', 'health', 'materials', 'low_carbon'])[1 + g %% 4],
           'intelligent_connected_nev', NULL, NULL, '', '', '', n.state,
           CASE WHEN n.state = 'rejected' THEN 'out_of_scope' ELSE '' END,
           CASE WHEN n.state <> 'draft' THEN timestamptz '2016-01-01 00:00+08' END,
           CASE WHEN n.state IN ('published', 'matched', 'closed', 'expired')
                THEN timestamptz '2016-01-01 00:00+08'
                     + ((g * 7919) %% ((%(last)s::date - date '2016-01-01') * 86400))
                       * interval '1 second' END,
           NULL, NULL, 1 + (g * 2083) %% %(orgs)s
    FROM generate_series(1, %(needs)s::bigint) AS g
    CROSS JOIN LATERAL (
        SELECT (ARRAY['published', 'matched', 'closed', 'expired', 'draft', 'in_review',
                      'rejected', 'published'])[1 + g %% 8] AS state
    ) AS n
    """,
    """
    INSERT INTO projects_yearlystatistic
        (created_at, updated_at, year, gdp, rd_expenditure, population, invention_patents,
         source)
    SELECT now(), now(), y, 2000000000000 + (y - 2016) * 150000000000,
           40000000000 + (y - 2016) * 5000000000, 31000000 + (y - 2016) * 100000,
           20000 + (y - 2016) * 4000, 'bench'
    FROM generate_series(2016, %(last_year)s) AS y
    """,
]


def _generate(cursor: Any, *, contracts: int, last_year: int) -> None:
    from projects.credit_code import ALPHABET, WEIGHTS
    from projects.models import District

    orgs = max(contracts // 10, 100)
    params = {
        "n": contracts,
        "orgs": orgs,
        "projects": max(orgs // 20, 10),
        "needs": max(orgs // 4, 10),
        "districts": list(District.values),
        "alphabet": ALPHABET,
        "weights": list(WEIGHTS),
        "last": f"{last_year}-12-31",
        "last_year": last_year,
    }
    cursor.execute("TRUNCATE " + ", ".join(_TABLES) + " RESTART IDENTITY CASCADE")
    for statement in _GENERATE:
        cursor.execute(statement, params)
    for table in ("projects_organization", "projects_researchproject", "projects_transfercontract"):
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )


# --- the floor: the same aggregates, written by hand -----------------------------------------


def _floor_queries(years: range) -> list[tuple[str, list[Any]]]:
    """The aggregates of a run, by hand: same tables, same shapes (the year by
    ``WIDTH_BUCKET``, conditional aggregates, certificates counted per organisation by a bit
    mask of years, then per cell), so the ratio measures what the ORM, the roll-up and the
    write add.
    """
    from projects.indicators.scopes import PLAN_PERIODS, count_day

    first, last = years[0], years[-1]
    first_day, last_day = f"{first}-01-01", f"{last}-12-31"
    # Stock counted on 31 December, today for the current year.
    count_days = [count_day(year).isoformat() for year in years]
    ends = [f"'{day}'::date" for day in count_days]
    same_plan = " OR ".join(
        f"(b.resolved_on BETWEEN '{a}-01-01' AND '{z}-12-31' "
        f"AND p.approved_on BETWEEN '{a}-01-01' AND '{z}-12-31')"
        for _n, a, z in PLAN_PERIODS
    )
    days = "ARRAY[" + ", ".join(ends) + "]"

    def year_of(column: str, *, timestamp: bool = False) -> str:
        cast = "timestamptz" if timestamp else "date"
        zone = " 00:00+08" if timestamp else ""
        bounds = ", ".join(f"'{year}-01-01{zone}'::{cast}" for year in years[1:])
        return f"({first} + width_bucket({column}, ARRAY[{bounds}]))"

    certificate_counts = ", ".join(
        f"count(*) FILTER (WHERE m.in_force & {1 << bit} <> 0)" for bit in range(len(years))
    )
    platform_counts = ", ".join(
        f"count(*) FILTER (WHERE p.established_on <= {end} "
        f"AND (p.closed_on IS NULL OR p.closed_on > {end}))"
        for end in ends
    )
    return [
        (
            f"SELECT {year_of('registered_on')}, district, pole, count(*), "
            "sum(contract_amount), sum(technology_transaction_amount) "
            "FROM projects_transfercontract "
            "WHERE state = 'registered' AND registered_on BETWEEN %s AND %s "
            "GROUP BY 1, 2, 3",
            [first_day, last_day],
        ),
        (
            f"SELECT m.kind, o.district, o.pole, {certificate_counts} "
            "FROM (SELECT c.kind, c.organization_id, "
            f"  bit_or((1::bigint << width_bucket(c.valid_until, {days})) "
            f"    - (1::bigint << width_bucket(c.valid_from - 1, {days}))) AS in_force "
            "  FROM projects_certification c "
            "  WHERE c.kind IN ('high_tech', 'tech_enterprise') "
            "  AND c.valid_until >= %s AND c.valid_from <= %s GROUP BY 1, 2) AS m "
            "JOIN projects_organization o ON o.id = m.organization_id GROUP BY 1, 2, 3",
            [count_days[0], count_days[-1]],
        ),
        (
            f"SELECT o.district, p.pole, {platform_counts} "
            "FROM projects_innovationplatform p JOIN projects_organization o ON o.id = p.host_id "
            "WHERE p.level IN ('national', 'municipal') AND p.established_on <= %s "
            "AND (p.closed_on IS NULL OR p.closed_on > %s) GROUP BY 1, 2",
            [count_days[-1], count_days[0]],
        ),
        (
            f"SELECT {year_of('p.approved_on')}, o.district, p.pole, count(*), "
            "count(*) FILTER (WHERE o.kind = 'enterprise'), "
            "count(*) FILTER (WHERE o.kind = 'enterprise' OR EXISTS ("
            "  SELECT 1 FROM projects_projectparticipant pp "
            "  JOIN projects_organization po ON po.id = pp.organization_id "
            "  WHERE pp.project_id = p.id AND po.kind = 'enterprise')) "
            "FROM projects_researchproject p JOIN projects_organization o ON o.id = p.lead_id "
            "WHERE p.state <> 'proposed' AND p.approved_on BETWEEN %s AND %s GROUP BY 1, 2, 3",
            [first_day, last_day],
        ),
        (
            f"SELECT {year_of('b.resolved_on')}, o.district, b.pole, count(*), "
            f"count(*) FILTER (WHERE {same_plan}) "
            "FROM projects_bottleneck b "
            "LEFT JOIN projects_researchproject p ON p.id = b.resolved_by_id "
            "LEFT JOIN projects_organization o ON o.id = p.lead_id "
            "WHERE b.state = 'resolved' AND b.resolved_on BETWEEN %s AND %s GROUP BY 1, 2, 3",
            [first_day, last_day],
        ),
        (
            f"SELECT {year_of('n.published_at', timestamp=True)}, o.district, n.pole, "
            "count(*), count(*) FILTER (WHERE o.kind = 'enterprise') "
            "FROM projects_technicalneed n JOIN projects_organization o ON o.id = n.proposer_id "
            "WHERE n.state IN ('published', 'matched', 'closed', 'expired') "
            "AND n.published_at >= %s AND n.published_at < %s GROUP BY 1, 2, 3",
            [f"{first_day} 00:00+08", f"{last + 1}-01-01 00:00+08"],
        ),
        (
            "SELECT f.year, o.district, p.pole, "
            "sum(f.amount) FILTER (WHERE f.source = 'public'), "
            "sum(f.amount) FILTER (WHERE f.source = 'public' AND o.kind = 'enterprise'), "
            "sum(f.amount), "
            "sum(f.amount) FILTER (WHERE f.source = 'self_raised' AND o.kind = 'enterprise') "
            "FROM projects_fundingallocation f "
            "JOIN projects_organization o ON o.id = f.organization_id "
            "JOIN projects_researchproject p ON p.id = f.project_id "
            "WHERE f.year BETWEEN %s AND %s GROUP BY 1, 2, 3",
            [first, last],
        ),
        (
            "SELECT year, sum(rd_expenditure), sum(gdp), sum(invention_patents), "
            "sum(population) FROM projects_yearlystatistic "
            "WHERE year BETWEEN %s AND %s GROUP BY 1",
            [first, last],
        ),
    ]


def _time(function: Callable[[], Any]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def _measure(*, contracts: int, repeat: int, years: range) -> dict[str, list[float]]:

    from projects.indicators import computation, runs
    from projects.models import IndicatorRun

    queries = _floor_queries(years)

    def floor() -> None:
        # The same session as the run's queries: one short transaction per query, with the
        # same settings.
        for sql, params in queries:
            with computation.aggregate_session() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

    def recompute() -> None:
        marks: list[tuple[str, float]] = []
        run = runs.indicator_run_create(trigger=IndicatorRun.Trigger.MANUAL)
        run = runs.indicator_run_execute(
            run_id=run.pk,
            years=years,
            on_progress=lambda _percent, step: marks.append((step, time.perf_counter())),
        )
        if run.status != IndicatorRun.Status.SUCCEEDED:
            raise RuntimeError(f"run #{run.pk} {run.status}: {run.error}")
        # From the last aggregate to "written": roll-up, COPY, revisions check, commit.
        timings["write"].append(marks[-1][1] - marks[-2][1])

    def aggregates() -> None:
        computation.compute_values(years=years)

    timings: dict[str, list[float]] = {"recompute": [], "floor": [], "aggregates": [], "write": []}
    # Warm the caches (pages, plans, Python imports) before timing anything.
    recompute()
    floor()
    timings["write"].clear()
    for round_number in range(repeat):
        # Alternate the order so neither side always runs on the warmer cache.
        order = [recompute, floor, aggregates]
        if round_number % 2:
            order.reverse()
        for function in order:
            timings[function.__name__].append(_time(function))
    IndicatorRun.objects.all().delete()
    return timings


def _report(contracts: int, timings: dict[str, list[float]]) -> None:
    recompute = statistics.median(timings["recompute"])
    floor = statistics.median(timings["floor"])
    aggregates = statistics.median(timings["aggregates"])
    # Each round's recompute and floor run back to back: their ratio is less sensitive to
    # other load on the machine than the ratio of medians taken over different moments.
    paired = statistics.median(
        r / f for r, f in zip(timings["recompute"], timings["floor"], strict=True)
    )
    print(
        f"contracts={contracts} recompute_median={recompute:.2f}s "
        f"floor_median={floor:.2f}s ratio={recompute / floor:.2f}"
    )
    print(
        f"  detail: paired_ratio_median={paired:.2f} "
        f"aggregates_only_median={aggregates:.3f}s write_median="
        f"{statistics.median(timings['write']):.3f}s "
        f"recompute_min={min(timings['recompute']):.3f}s floor_min={min(timings['floor']):.3f}s"
    )
    print(
        "  runs: recompute "
        + " ".join(f"{t:.3f}" for t in timings["recompute"])
        + " | floor "
        + " ".join(f"{t:.3f}" for t in timings["floor"])
    )
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.indicators", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--sizes", default="100000,1000000", help="contract counts, comma-separated"
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds per size")
    parser.add_argument(
        "--reuse", action="store_true", help="keep data already generated for the same size"
    )
    options = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print(
            "DATABASE_URL must point at PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/tt_bench"
        )
        return 2
    _ensure_database(url)
    _setup_django()

    from django.db import connection

    from projects.indicators.scopes import indicator_years

    years = indicator_years()
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
        server = cursor.connection.info.server_version
        cursor.execute("SHOW max_parallel_workers_per_gather")
        workers = cursor.fetchone()[0]
    print(
        f"PostgreSQL {server // 10000}.{server % 10000}, {os.cpu_count()} CPUs, "
        f"parallel workers per gather {workers}, years {years[0]}-{years[-1]}, "
        f"{options.repeat} rounds per size"
    )
    for contracts in (int(size) for size in options.sizes.split(",")):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM projects_transfercontract")
            present = cursor.fetchone()[0]
            if not (options.reuse and present == contracts):
                started = time.perf_counter()
                _generate(cursor, contracts=contracts, last_year=years[-1])
                generated = time.perf_counter() - started
                print(f"generated {contracts} contracts and their records in {generated:.1f}s")
        # Outside a transaction: VACUUM sets the visibility map that index-only scans need.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        _report(contracts, _measure(contracts=contracts, repeat=options.repeat, years=years))
    return 0


if __name__ == "__main__":
    sys.exit(main())
