"""What the report needs from the engine: plan-period totals, a base year per plan, the current
year counted as of today, revisions recorded once and each time a figure moves, and runs whose
worker died marked failed within minutes."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal
from unittest import mock

import pytest
import time_machine
from django.db import connections
from django.utils import timezone

from projects.indicators import computation, runs
from projects.indicators.catalogue import get_indicator
from projects.indicators.lineage import lineage, lineage_total
from projects.indicators.publication import indicator_year_publish
from projects.indicators.scopes import CITY, count_day, is_year_to_date
from projects.indicators.selectors import value_multiple_of_base
from projects.models import (
    Certification,
    IndicatorRevision,
    IndicatorRun,
    IndicatorValue,
    Organization,
    TransferContract,
)
from tests import factories
from tests.indicators import dataset

# --- plan periods and base years ------------------------------------------------------------


def _run() -> IndicatorRun:
    return runs.indicator_run_execute(run_id=factories.IndicatorRunFactory().pk)


def _value(run: IndicatorRun, code: str, year: int, scope: str = CITY) -> Decimal | None:
    return IndicatorValue.objects.get(run=run, code=code, year=year, scope=scope).value


def test_plan_totals_add_the_plans_years_up_to_the_year_shown(crafted) -> None:
    run = _run()
    # 2023 and 2024 are in the 14th plan: its total so far adds them.
    assert _value(run, "plan_contract_volume", 2024) == Decimal("3600000")
    assert _value(run, "plan_contract_volume", 2025) == Decimal("3607000")
    # 2020 is the 13th plan's last year: the 2020 contract only.
    assert _value(run, "plan_contract_volume", 2020) == Decimal("600000")
    assert _value(run, "plan_projects_approved", 2025) == 4
    assert _value(run, "plan_bottlenecks_resolved", 2025) == 4


def test_bottlenecks_resolved_by_projects_approved_before_the_plan_are_told_apart(
    crafted,
) -> None:
    old_project = factories.ResearchProjectFactory(
        state="completed", approved_on=datetime.date(2019, 4, 1)
    )
    resolved = factories.BottleneckFactory(
        state="resolved", resolved_on=datetime.date(2022, 5, 5), resolved_by=old_project
    )
    run = _run()
    assert _value(run, "plan_bottlenecks_resolved", 2025) == 5
    assert _value(run, "plan_bottlenecks_resolved_by_plan_projects", 2025) == 3
    plan_list = lineage(code="plan_bottlenecks_resolved", year=2025, scope=CITY)
    by_plan = lineage(code="plan_bottlenecks_resolved_by_plan_projects", year=2025, scope=CITY)
    assert resolved in plan_list and resolved not in by_plan
    assert plan_list.count() == 5 and by_plan.count() == 3


def test_a_multiple_is_taken_against_the_base_year_of_the_years_plan(db) -> None:
    seller = factories.OrganizationFactory()

    def registered(day: datetime.date, amount: str) -> None:
        factories.TransferContractFactory(
            seller=seller,
            state=TransferContract.State.REGISTERED,
            registered_on=day,
            signed_on=day - datetime.timedelta(days=20),
            submitted_on=day - datetime.timedelta(days=10),
            contract_amount=Decimal(amount),
            technology_transaction_amount=Decimal(amount),
        )

    registered(datetime.date(2020, 5, 1), "100")
    registered(datetime.date(2024, 5, 1), "500")
    registered(datetime.date(2025, 5, 1), "800")
    with time_machine.travel(datetime.datetime(2026, 11, 1, 10, tzinfo=datetime.UTC)):
        registered(datetime.date(2026, 5, 1), "1600")
        run = _run()
        assert value_multiple_of_base(
            run=run, code="contract_volume", year=2024, scope=CITY
        ) == Decimal(5)
        # 2026 is in the 15th plan: against 2025, not 2020.
        assert value_multiple_of_base(
            run=run, code="contract_volume", year=2026, scope=CITY
        ) == Decimal(2)
    assert get_indicator("plan_contract_volume").base_year(2024) is None


# --- the current year -----------------------------------------------------------------------


def test_stock_of_the_current_year_is_counted_as_of_today(db) -> None:
    enterprise = factories.OrganizationFactory(kind=Organization.Kind.ENTERPRISE)
    # Registered for the first half of 2026 only: valid today (1 March), gone by 31 December.
    factories.CertificationFactory(
        organization=enterprise,
        kind=Certification.Kind.TECH_ENTERPRISE,
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2026, 6, 30),
    )
    with time_machine.travel(datetime.datetime(2026, 3, 1, 2, tzinfo=datetime.UTC), tick=False):
        assert count_day(2026) == datetime.date(2026, 3, 1)
        assert count_day(2025) == datetime.date(2025, 12, 31)
        assert is_year_to_date(2026) and not is_year_to_date(2025)
        run = _run()
        assert _value(run, "tech_enterprises", 2026) == 1
        assert lineage_total(code="tech_enterprises", year=2026, scope=CITY) == 1


# --- revisions ------------------------------------------------------------------------------


def _late_contract(amount: str, number: str) -> TransferContract:
    seller = factories.OrganizationFactory(district=dataset.YUBEI, pole="health")
    return factories.TransferContractFactory(
        seller=seller,
        state=TransferContract.State.REGISTERED,
        registration_number=number,
        registered_on=datetime.date(2024, 10, 1),
        contract_amount=Decimal(amount),
        technology_transaction_amount=Decimal(amount),
    )


def _city_volume_revisions() -> list[tuple[Decimal, Decimal]]:
    return [
        (r.published_value, r.new_value)
        for r in IndicatorRevision.objects.filter(
            code="contract_volume", year=2024, scope=CITY
        ).order_by("created_at", "id")
    ]


def test_a_figure_that_changes_back_and_again_is_recorded_each_time(
    crafted, publishing_manager
) -> None:
    indicator_year_publish(run=_run(), year=2024, actor=publishing_manager)
    late = _late_contract("400000.00", "2024500LATE01")
    _run()
    late.state = TransferContract.State.CANCELLED
    late.save(update_fields=["state"])
    _run()  # back to the published value: nothing to record
    late.state = TransferContract.State.REGISTERED
    late.save(update_fields=["state"])
    _run()
    _run()  # unchanged since the run before: not repeated
    assert _city_volume_revisions() == [
        (Decimal("3100000"), Decimal("3500000")),
        (Decimal("3100000"), Decimal("3500000")),
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_finishing_at_once_record_a_revision_once() -> None:
    dataset.build()
    manager = factories.manager_user(username="qian.manager")
    indicator_year_publish(run=_run(), year=2024, actor=manager)
    _late_contract("400000.00", "2024500LATE01")
    first, second = factories.IndicatorRunFactory(), factories.IndicatorRunFactory()
    both_writing = threading.Barrier(2, timeout=30)
    store = runs._store_values

    def store_then_wait(**kwargs: object) -> None:
        store(**kwargs)  # type: ignore[arg-type]
        both_writing.wait()  # both runs are in their write transactions now

    errors: list[BaseException] = []

    def execute(run_id: int) -> None:
        try:
            runs.indicator_run_execute(run_id=run_id)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    with mock.patch.object(runs, "_store_values", store_then_wait):
        threads = [threading.Thread(target=execute, args=(run.pk,)) for run in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert _city_volume_revisions() == [(Decimal("3100000"), Decimal("3500000"))]
    assert set(IndicatorRun.objects.values_list("status", flat=True)) == {"succeeded"}


# --- runs whose worker died -----------------------------------------------------------------


def test_a_running_run_without_a_heartbeat_for_minutes_is_failed_and_frees_the_way(db) -> None:
    now = timezone.now()
    dead = factories.IndicatorRunFactory(
        status=IndicatorRun.Status.RUNNING,
        started_at=now - datetime.timedelta(minutes=4),
        heartbeat_at=now - runs.HEARTBEAT_TIMEOUT - datetime.timedelta(seconds=5),
    )
    assert runs.indicator_run_active() is None
    dead.refresh_from_db()
    assert dead.status == IndicatorRun.Status.FAILED
    assert dead.error and dead.finished_at is not None


def test_a_run_that_beats_stays_the_active_one(db) -> None:
    now = timezone.now()
    alive = factories.IndicatorRunFactory(
        status=IndicatorRun.Status.RUNNING,
        started_at=now - datetime.timedelta(minutes=30),
        heartbeat_at=now - datetime.timedelta(seconds=20),
    )
    assert runs.indicator_run_active() == alive


def test_a_computing_run_beats_at_every_step(crafted) -> None:
    run = factories.IndicatorRunFactory()
    beats: list[datetime.datetime | None] = []

    def look(_percent: int, _step: str) -> None:
        beats.append(IndicatorRun.objects.get(pk=run.pk).heartbeat_at)

    with mock.patch.object(runs, "_PROGRESS_EVERY", 0):
        runs.indicator_run_execute(run_id=run.pk, on_progress=look)
    assert None not in beats
    assert beats == sorted(beats)  # type: ignore[type-var]
    assert beats[-2] > beats[0]  # type: ignore[operator]


def test_computation_sums_plan_years_without_a_query_per_year(crafted) -> None:
    # Plan totals come from the same per-source scan as the yearly figures.
    with mock.patch.object(computation, "source_cells", wraps=computation.source_cells) as cells:
        computation.compute_values(years=range(2016, 2026))
    assert cells.call_count == len(computation.source_names())


def test_a_sweep_every_minute_fails_runs_whose_worker_died(db, settings) -> None:
    from projects.indicators import tasks

    assert settings.CELERY_BEAT_SCHEDULE["fail-stalled-indicator-runs"] == {
        "task": tasks.indicator_runs_sweep_task.name,
        "schedule": 60.0,
    }
    long_ago = timezone.now() - runs.HEARTBEAT_TIMEOUT - datetime.timedelta(seconds=30)
    factories.IndicatorRunFactory(
        status=IndicatorRun.Status.RUNNING, started_at=long_ago, heartbeat_at=long_ago
    )
    assert tasks.indicator_runs_sweep_task() == 1
    assert not IndicatorRun.objects.filter(status=IndicatorRun.Status.RUNNING).exists()
