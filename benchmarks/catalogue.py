"""Benchmark: searches of the public catalogue against the same page without a search.

    make bench-catalogue
    make bench-catalogue BENCH_ARGS="--needs 100000 --repeat 9 --reuse"
    BENCH_DATABASE_URL=postgres://user@host:5432/other_bench make bench-catalogue

It fills its own database, ``BENCH_DATABASE_URL`` (default
postgres://postgres@127.0.0.1:5432/techtransfer_bench_catalogue; never ``DATABASE_URL``, and
its name must contain "bench", since the needs and organisations there are replaced), created
if missing and migrated, with ``--needs`` published
technical needs (default 100,000) and a fifth as many in other states, titled and summarised
from Chinese technical vocabulary, with ``INSERT ... SELECT generate_series`` (seconds). Then,
alternating the order each round, it requests each case ``--repeat`` times through Django's
test client (URL routing, the catalogue's two queries, template rendering) and prints, per
case, the median time of the page and of the selector's queries alone (count + page rows),
the ratio of the page to the floor, the rows found, and the plan's index use, e.g.

    case=3-char q=传感器  page_median=21.4ms ratio=1.35 selector_median=9.8ms rows=5,012 plan=...

The floor is the catalogue's first page with no search: the same view, template and page
size, so the ratio is what the search itself adds. The load average is printed before and
after: the medians mean little if the machine was busy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/techtransfer_bench_catalogue"
STATEMENT_TIMEOUT_MS = 300_000
ORGANISATIONS = 2_000

# The cases: (name, GET parameters). The floor comes first.
CASES: list[tuple[str, dict[str, str]]] = [
    ("floor", {}),
    ("2-char", {"q": "芯片"}),
    ("3-char", {"q": "传感器"}),
    ("4-char", {"q": "低温快充"}),
    ("rare-3-char", {"q": "石墨烯"}),
    ("filter", {"q": "传感器", "pole": "digital"}),
    ("page-2", {"q": "传感器", "page": "2"}),
    ("2-char-page-2", {"q": "芯片", "page": "2"}),
]

# Vocabulary of the generated titles and summaries: a word's share of the rows is about one
# over the length of its list (传感器: 1/20 of the titles, 芯片 in 2 of 20 objects, …).
PREFIXES = [
    "高精度",
    "低成本",
    "智能",
    "高可靠",
    "新型",
    "大功率",
    "柔性",
    "国产",
    "轻量化",
    "高效",
    "超薄",
    "耐高温",
    "微型",
    "绿色",
    "数字化",
    "模块化",
]
OBJECTS = [
    "传感器",
    "芯片",
    "功率芯片",
    "动力电池",
    "驱动电机",
    "控制器",
    "复合材料",
    "防腐涂层",
    "铝合金",
    "镁合金",
    "疫苗",
    "诊断试剂",
    "视觉算法",
    "毫米波雷达",
    "精密轴承",
    "显示面板",
    "储能系统",
    "减速器",
    "工业软件",
    "氢燃料电池",
]
ASPECTS = [
    "研发",
    "关键技术攻关",
    "工艺优化",
    "国产化替代",
    "性能提升",
    "检测方法开发",
    "工程化验证",
    "产业化应用",
    "可靠性提升",
    "智能化升级",
    "规模化制备",
]
CONDITIONS = [
    "高温高湿",
    "低温",
    "长期循环",
    "大批量生产",
    "复杂工况",
    "高速运行",
    "强电磁干扰",
    "低温快充",
    "高海拔",
    "振动冲击",
]
FIELDS = [
    "智能网联新能源汽车",
    "电子信息制造",
    "先进材料",
    "智能装备",
    "生物医药",
    "新型储能",
    "软件信息服务",
    "新型显示",
    "轻合金",
    "食品加工",
]
METRICS = ["良率", "寿命", "效率", "精度", "能量密度", "响应时间", "成本", "一致性"]
# Rare words, in a few summaries only: a search that should find few rows.
RARE = ["石墨烯", "钙钛矿", "碳化硅", "脑机接口"]

POLES = ["digital", "health", "materials", "low_carbon"]
CHAINS = [
    "intelligent_connected_nev",
    "electronic_information",
    "advanced_materials",
    "intelligent_equipment",
    "food_agricultural",
    "software_services",
    "new_displays",
    "high_end_motorcycles",
    "light_alloys",
    "biomedicine",
    "new_energy_storage",
]
OTHER_STATES = ["draft", "in_review", "matched", "closed", "expired"]

# One statement: %(n)s needs, of which the first %(published)s published. Pseudo-random
# picks from setseed()/random(), so two runs generate the same rows.
_NEEDS = """
INSERT INTO projects_technicalneed
    (created_at, updated_at, title, summary, problem, key_technology, goals, pole,
     industrial_chain, budget, open_until, contact_name, contact_phone, contact_email,
     state, rejection_reason, submitted_at, published_at, bottleneck_id, created_by_id,
     proposer_id)
SELECT now(), now(),
       p.prefix || p.object || p.aspect,
       '面向' || p.field || '领域，寻求' || p.condition || '条件下' || p.object || '的'
           || p.aspect || '方案，要求' || p.metric || '提升' || (10 + g %% 40) || '%%以上'
           || CASE WHEN g %% 97 = 0 THEN '，可采用' || p.rare || '技术路线' ELSE '' END
           || '，并具备批量应用条件。',
       '保密的问题描述', '保密的关键技术', '保密的目标',
       (%(poles)s::text[])[1 + g %% 4],
       (%(chains)s::text[])[1 + (g * 7) %% 11],
       CASE WHEN g %% 10 = 0 THEN NULL ELSE (100000 + (g * 7919) %% 20000000)::numeric(16, 2) END,
       CASE WHEN g %% 5 = 0 THEN NULL ELSE current_date + (g %% 720)::int - 30 END,
       '联系人', '023-00000000', 'contact@example.cn',
       s.state, '',
       CASE WHEN s.state <> 'draft' THEN timestamptz '2023-01-01 00:00+08' END,
       CASE WHEN s.state IN ('published', 'matched', 'closed', 'expired')
            THEN timestamptz '2023-01-02 00:00+08' + (g * 613) * interval '1 second' END,
       NULL, NULL, 1 + (g * 2083) %% %(orgs)s
FROM generate_series(1, %(n)s::bigint) AS g
CROSS JOIN LATERAL (
    SELECT CASE WHEN g <= %(published)s THEN 'published'
                ELSE (%(other)s::text[])[1 + g %% 5] END AS state
) AS s
CROSS JOIN LATERAL (
    SELECT (%(prefixes)s::text[])[1 + floor(random() * %(np)s)::int + 0 * g] AS prefix,
           (%(objects)s::text[])[1 + floor(random() * %(no)s)::int + 0 * g] AS object,
           (%(aspects)s::text[])[1 + floor(random() * %(na)s)::int + 0 * g] AS aspect,
           (%(conditions)s::text[])[1 + floor(random() * %(nc)s)::int + 0 * g] AS condition,
           (%(fields)s::text[])[1 + floor(random() * %(nf)s)::int + 0 * g] AS field,
           (%(metrics)s::text[])[1 + floor(random() * %(nm)s)::int + 0 * g] AS metric,
           (%(rare)s::text[])[1 + floor(random() * %(nr)s)::int + 0 * g] AS rare
) AS p
"""


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
    from django.conf import settings
    from django.core.management import call_command

    # The test client's host, and static files without collectstatic's manifest.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0, interactive=False)


def _generate(cursor: Any, *, published: int) -> None:
    """Replace the needs and organisations; the search's indexes are dropped meanwhile and
    built again after, as for any bulk load (the migration's own definitions)."""
    import importlib

    from projects.models import District, Organization
    from tests.factories import make_credit_code

    search = importlib.import_module("projects.migrations.0012_catalogue_search")
    for name in search.INDEXES:
        cursor.execute(f"DROP INDEX IF EXISTS {name}")

    cursor.execute(
        "TRUNCATE projects_needapplication, projects_needindicator, projects_needattachment,"
        " projects_technicalneed, projects_membership, projects_organization"
        " RESTART IDENTITY CASCADE"
    )
    Organization.objects.bulk_create(
        Organization(
            name=f"重庆基准测试科技有限公司{n}",
            credit_code=make_credit_code(District.SHAPINGBA.value, n),
            kind=Organization.Kind.ENTERPRISE,
            district=District.SHAPINGBA,
            pole=POLES[n % 4],
            state=Organization.State.VERIFIED,
        )
        for n in range(1, ORGANISATIONS + 1)
    )
    cursor.execute("SELECT setseed(0.16)")
    vocabulary = {
        "prefixes": PREFIXES,
        "objects": OBJECTS,
        "aspects": ASPECTS,
        "conditions": CONDITIONS,
        "fields": FIELDS,
        "metrics": METRICS,
        "rare": RARE,
    }
    cursor.execute(
        _NEEDS,
        {
            **vocabulary,
            "np": len(PREFIXES),
            "no": len(OBJECTS),
            "na": len(ASPECTS),
            "nc": len(CONDITIONS),
            "nf": len(FIELDS),
            "nm": len(METRICS),
            "nr": len(RARE),
            "poles": POLES,
            "chains": CHAINS,
            "other": OTHER_STATES,
            "orgs": ORGANISATIONS,
            "n": published + published // 5,
            "published": published,
        },
    )
    cursor.execute("SET maintenance_work_mem = '256MB'")
    for name, column in search.INDEXES.items():
        cursor.execute(search.index_statement(name, column))


def _plan(params: dict[str, str]) -> str:
    """The page query's plan in a few words: the indexes it reads, or a sequential scan."""
    from django.db import connection

    from projects.portal.catalogue import PAGE_SIZE
    from projects.portal.catalogue_forms import CatalogueFilterForm
    from projects.selectors.catalogue import catalogue_search

    form = CatalogueFilterForm(params)
    page = int(params.get("page", "1"))
    rows = catalogue_search(**form.filters())._rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    sql, sql_params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, sql_params)
        [[plan]] = cursor.fetchone()
    nodes: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        kind = node["Node Type"]
        if "Index" in kind or kind == "Seq Scan":
            target = node.get("Index Name") or node.get("Relation Name", "")
            nodes.append(f"{kind.replace(' ', '')}({target})")
        for child in node.get("Plans", []):
            walk(child)

    walk(plan["Plan"])
    return "+".join(dict.fromkeys(nodes)) + f" {plan['Execution Time']:.1f}ms"


def _measure(repeat: int) -> dict[str, dict[str, list[float]]]:
    from django.core.paginator import Paginator
    from django.test import Client

    from projects.portal.catalogue import PAGE_SIZE
    from projects.portal.catalogue_forms import CatalogueFilterForm
    from projects.selectors.catalogue import catalogue_search

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    timings: dict[str, dict[str, list[float]]] = {
        name: {"page": [], "selector": []} for name, _ in CASES
    }

    def page(params: dict[str, str]) -> Callable[[], Any]:
        url = "/catalogue/" + ("?" + urlencode(params) if params else "")

        def run() -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")

        return run

    def selector(params: dict[str, str]) -> Callable[[], Any]:
        def run() -> None:
            form = CatalogueFilterForm(params)
            paginator = Paginator(catalogue_search(**form.filters()), PAGE_SIZE)
            list(paginator.get_page(params.get("page")).object_list)

        return run

    for _name, params in CASES:  # warm the caches, the plans and the imports
        page(params)()
    for round_number in range(repeat):
        order = CASES if round_number % 2 == 0 else list(reversed(CASES))
        for name, params in order:
            timings[name]["page"].append(_time(page(params)))
            timings[name]["selector"].append(_time(selector(params)))
    return timings


def _time(function: Callable[[], Any]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.catalogue", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--needs", type=int, default=100_000, help="published needs")
    parser.add_argument("--repeat", type=int, default=9, help="timed rounds")
    parser.add_argument("--reuse", action="store_true", help="keep data already generated")
    options = parser.parse_args(argv)
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")) or "bench" not in urlsplit(url).path:
        print("BENCH_DATABASE_URL must name a PostgreSQL database of its own, e.g. " + DEFAULT_URL)
        return 2
    os.environ["DATABASE_URL"] = url
    _ensure_database(url)
    _setup_django()

    from django.db import connection

    from projects.models import TechnicalNeed
    from projects.portal.catalogue_forms import CatalogueFilterForm
    from projects.selectors.catalogue import catalogue_search

    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
        server = cursor.connection.info.server_version
    print(
        f"PostgreSQL {server // 10000}.{server % 10000}, {os.cpu_count()} CPUs, "
        f"{options.repeat} rounds, load average before {_load()}"
    )
    present = TechnicalNeed.objects.filter(state="published").count()
    if not (options.reuse and present == options.needs):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            _generate(cursor, published=options.needs)
        print(f"generated {options.needs} published needs in {time.perf_counter() - started:.1f}s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE projects_technicalneed")
    total = TechnicalNeed.objects.count()
    print(f"needs: {options.needs} published, {total} in all")

    timings = _measure(options.repeat)
    floor = statistics.median(timings["floor"]["page"])
    for name, params in CASES:
        page = statistics.median(timings[name]["page"])
        selector = statistics.median(timings[name]["selector"])
        form_params = {k: v for k, v in params.items() if k != "page"}
        rows = catalogue_search(**CatalogueFilterForm(form_params).filters()).count()
        shown = " ".join(f"{k}={v}" for k, v in params.items()) or "(no search)"
        print(
            f"case={name:<13} {shown:<24} page_median={page * 1000:6.1f}ms "
            f"ratio={page / floor:5.2f} selector_median={selector * 1000:6.1f}ms "
            f"max={max(timings[name]['page']) * 1000:6.1f}ms rows={rows:,} "
            f"plan={_plan(params)}"
        )
    print(f"load average after {_load()}")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
