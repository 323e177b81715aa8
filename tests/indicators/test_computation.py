"""Every indicator against hand-computed figures, per scope; runs are whole or nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.indicators import computation, publication, runs
from projects.indicators.catalogue import CATALOGUE, Indicator, get_indicator
from projects.indicators.scopes import all_scopes, indicator_years
from projects.indicators.selectors import value_multiple_of_base
from projects.models import District, IndicatorRun, IndicatorValue, Pole
from tests import factories
from tests.indicators import dataset


def _execute(**kwargs: Any) -> IndicatorRun:
    run = factories.IndicatorRunFactory()
    return runs.indicator_run_execute(run_id=run.pk, **kwargs)


def _stored(run: IndicatorRun) -> dict[tuple[str, int, str], tuple[Any, Any, Any]]:
    return {
        (v.code, v.year, v.scope): (v.value, v.numerator, v.denominator)
        for v in IndicatorValue.objects.filter(run=run)
    }


@pytest.fixture
def computed(crafted) -> IndicatorRun:
    run = _execute()
    assert run.status == IndicatorRun.Status.SUCCEEDED, run.error
    return run


@pytest.mark.parametrize("code", [indicator.code for indicator in CATALOGUE])
def test_figures_match_hand_computed_expectations_per_scope(computed, code: str) -> None:
    indicator = get_indicator(code)
    stored = _stored(computed)
    for year in dataset.CHECKED_YEARS:
        for scope in dataset.CHECKED_SCOPES:
            if scope not in indicator.scopes():
                assert (code, year, scope) not in stored
                continue
            expected = dataset.expected_value(code, year, scope, is_ratio=indicator.is_ratio)
            value = stored[code, year, scope][0]
            assert value == expected, f"{code} {year} {scope}: {value} != {expected}"


def test_ratios_store_their_numerator_and_denominator(computed) -> None:
    stored = _stored(computed)
    for key, (numerator, denominator) in dataset.EXPECTED_PARTS.items():
        assert stored[key][1:] == (numerator, denominator), key


def test_counts_and_amounts_store_no_numerator_or_denominator(computed) -> None:
    stored = _stored(computed)
    assert stored["contract_volume", 2024, "city"] == (Decimal("3100000"), None, None)


def test_every_indicator_is_stored_once_per_year_and_scope(computed) -> None:
    years = indicator_years()
    expected = sum(len(i.scopes()) for i in CATALOGUE) * len(years)
    assert IndicatorValue.objects.filter(run=computed).count() == expected
    assert set(
        IndicatorValue.objects.filter(run=computed, code="platforms").values_list(
            "scope", flat=True
        )
    ) == set(all_scopes())
    assert set(
        IndicatorValue.objects.filter(run=computed, code="rd_intensity").values_list(
            "scope", flat=True
        )
    ) == {"city"}


def _unplaced(indicator: Indicator, *, part: str | None, year: int, kind: str) -> Decimal:
    """What the records without a known district (or pole) add up to: they count for the city
    only (a bottleneck resolved without a recorded project has no district)."""
    source = indicator.source_definition
    path = source.district if kind == "district" else source.pole
    metric = indicator.lineage_metric(part)
    records = indicator.lineage(year=year, scope="city", part=part)
    known = District.values if kind == "district" else Pole.values
    return metric.measure(records.exclude(**{f"{path}__in": known}))


def test_districts_and_poles_add_up_to_the_city_for_counts_and_amounts(computed) -> None:
    """Exactly: every record falls in one district and one pole, or in none (city only).

    A share does not add up (the city's share is not the sum of the districts'), so for a
    share its numerator and its denominator are checked, which do.
    """
    stored = _stored(computed)
    checked = 0
    for indicator in CATALOGUE:
        if indicator.city_only:
            continue
        parts = {"numerator": 1, "denominator": 2} if indicator.is_ratio else {None: 0}
        for year in dataset.CHECKED_YEARS:
            for part, position in parts.items():
                city = stored[indicator.code, year, "city"][position]
                for kind in ("district", "pole"):
                    in_scopes = sum(
                        stored[indicator.code, year, scope][position]
                        for scope in all_scopes()
                        if scope.startswith(f"{kind}:")
                    )
                    unplaced = _unplaced(indicator, part=part, year=year, kind=kind)
                    assert in_scopes + unplaced == city, (indicator.code, year, part, kind)
                    checked += bool(city)
    assert checked > 50


def test_a_second_run_gives_the_same_values(computed) -> None:
    again = _execute()
    assert again.status == IndicatorRun.Status.SUCCEEDED
    assert _stored(again) == _stored(computed)


def test_the_number_of_queries_does_not_grow_with_the_records(crafted) -> None:
    with CaptureQueriesContext(connection) as small:
        _execute()
    dataset.build()
    dataset.build()
    with CaptureQueriesContext(connection) as large:
        run = _execute()
    assert run.values.get(code="contracts_registered", year=2024, scope="city").value == 9
    assert len(large) == len(small)
    aggregates = [q for q in small.captured_queries if "GROUP BY" in q["sql"]]
    assert len(aggregates) == len(computation.source_names()) == 8


def test_an_exception_while_writing_leaves_no_values_and_marks_the_run_failed(crafted) -> None:
    # Raised after the values' INSERTs, inside the run's transaction.
    with mock.patch.object(
        publication, "revisions_record", side_effect=RuntimeError("worker killed")
    ):
        run = factories.IndicatorRunFactory()
        with pytest.raises(RuntimeError):
            runs.indicator_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == IndicatorRun.Status.FAILED
    assert "worker killed" in run.error
    assert run.finished_at is not None
    assert not IndicatorValue.objects.filter(run=run).exists()
    assert not IndicatorValue.objects.exists()


def test_an_exception_between_aggregates_leaves_no_values_and_marks_the_run_failed(
    crafted,
) -> None:
    real = computation.source_cells
    calls: list[str] = []

    def fails_on_the_fourth(source: Any, **kwargs: Any) -> Any:
        calls.append(source.name)
        if len(calls) == 4:
            raise RuntimeError("connection reset")
        return real(source, **kwargs)

    with (
        mock.patch.object(computation, "source_cells", side_effect=fails_on_the_fourth),
        mock.patch.object(runs, "_PROGRESS_EVERY", 0),
    ):
        run = factories.IndicatorRunFactory()
        with pytest.raises(RuntimeError):
            runs.indicator_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == IndicatorRun.Status.FAILED
    assert 0 < run.progress < 100
    assert not IndicatorValue.objects.filter(run=run).exists()


def test_a_finished_run_is_not_computed_again(computed) -> None:
    before = computed.values.count()
    again = runs.indicator_run_execute(run_id=computed.pk)
    assert again.status == IndicatorRun.Status.SUCCEEDED
    assert computed.values.count() == before


def test_a_run_redelivered_after_its_worker_died_is_computed(crafted) -> None:
    # acks_late: the task comes back while the run still says "running".
    run = factories.IndicatorRunFactory(status=IndicatorRun.Status.RUNNING, progress=40)
    run = runs.indicator_run_execute(run_id=run.pk)
    assert run.status == IndicatorRun.Status.SUCCEEDED
    assert run.values.exists()


def test_progress_rises_to_100_on_the_run_and_through_the_callback(crafted) -> None:
    seen: list[tuple[int, str]] = []
    run = _execute(on_progress=lambda percent, step: seen.append((percent, step)))
    percents = [percent for percent, _step in seen]
    assert percents == sorted(percents)
    assert percents[-1] == 100
    assert [step for _percent, step in seen[:-1]] == computation.source_names()
    assert run.progress == 100
    assert run.started_at <= run.finished_at


def test_progress_reaches_the_run_row_while_it_computes(crafted) -> None:
    seen_on_the_row: list[int] = []

    def look(percent: int, step: str) -> None:
        seen_on_the_row.append(IndicatorRun.objects.get(pk=run.pk).progress)

    run = factories.IndicatorRunFactory()
    with mock.patch.object(runs, "_PROGRESS_EVERY", 0):
        runs.indicator_run_execute(run_id=run.pk, on_progress=look)
    assert seen_on_the_row[:-1] == sorted(seen_on_the_row[:-1])
    assert 0 < seen_on_the_row[0] < seen_on_the_row[-2] < 100


def test_multiples_of_the_base_year_come_from_two_stored_values(computed) -> None:
    multiple = value_multiple_of_base(run=computed, code="contract_volume", year=2024, scope="city")
    assert multiple == Decimal("5.1667")  # 3,100,000 / 600,000
    assert (
        value_multiple_of_base(run=computed, code="tech_enterprises", year=2024, scope="city")
        is None  # nothing in 2020 to compare with
    )
