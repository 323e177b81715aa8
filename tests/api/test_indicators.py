"""Indicators over the API: the catalogue and published figures for anybody; a run's values,
runs, recomputes, publication and lineage for managers only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from projects.indicators import runs
from projects.indicators.lineage import lineage
from projects.models import IndicatorRun, IndicatorValue, PublishedFigure
from tests import factories
from tests.indicators import dataset


@pytest.fixture
def computed(db) -> IndicatorRun:
    dataset.build()
    run = factories.IndicatorRunFactory()
    return runs.indicator_run_execute(run_id=run.pk)


def test_anybody_reads_the_catalogue(db, client_for) -> None:
    catalogue = client_for(None).get("/api/v1/indicators/").json()
    codes = [row["code"] for row in catalogue]
    assert "contract_volume" in codes
    one = client_for(None).get("/api/v1/indicators/needs_enterprise_share/").json()
    assert one["target"] == "0.700000"
    assert one["plan_period"] is False
    by_code = {row["code"]: row for row in catalogue}
    assert by_code["plan_bottlenecks_resolved"]["plan_period"] is True
    assert by_code["projects_enterprise_led_share"]["variant_of"] == "projects_enterprise_share"
    assert client_for(None).get("/api/v1/indicators/no_such_code/").status_code == 404


def test_a_manager_starts_a_recompute_others_are_refused(
    personas, client_for, celery_eager, django_capture_on_commit_callbacks
) -> None:
    for persona in ("member_a", "reviewer", "registrar"):
        refused = client_for(personas[persona]).post("/api/v1/indicator-runs/")
        assert refused.status_code == 403, persona
    assert client_for(None).post("/api/v1/indicator-runs/").status_code == 401
    with django_capture_on_commit_callbacks(execute=True):
        started = client_for(personas["manager"]).post("/api/v1/indicator-runs/")
    assert started.status_code == 202
    assert started.json()["actor"] == "zhao.manager"
    assert started.json()["trigger"] == "manual"
    run = client_for(personas["manager"]).get(f"/api/v1/indicator-runs/{started.json()['id']}/")
    assert run.json()["status"] == "succeeded", run.json()["error"]


def test_a_manager_publishes_a_year_and_anybody_reads_the_figures(
    computed, personas, client_for
) -> None:
    url = f"/api/v1/indicator-runs/{computed.pk}/publish/"
    for persona in ("member_a", "member_b", "reviewer", "registrar"):
        assert client_for(personas[persona]).post(url, {"year": 2024}).status_code == 403
    assert client_for(None).get("/api/v1/indicator-figures/").json()["results"] == []
    published = client_for(personas["manager"]).post(url, {"year": 2024})
    assert published.status_code == 200
    assert len(published.json()) == PublishedFigure.objects.filter(year=2024).count() > 0
    stored = IndicatorValue.objects.get(
        run=computed, code="contract_volume", year=2024, scope="city"
    )
    figures = (
        client_for(None)
        .get("/api/v1/indicator-figures/?code=contract_volume&year=2024&scope=city")
        .json()["results"]
    )
    assert [Decimal(f["value"]) for f in figures] == [stored.value]
    nothing = client_for(personas["manager"]).post(url, {"year": 2031}, HTTP_ACCEPT_LANGUAGE="en")
    assert nothing.status_code == 409
    assert nothing.json()["code"] == "indicator_error"


def test_only_managers_read_a_runs_provisional_values(computed, personas, client_for) -> None:
    url = "/api/v1/indicator-values/?code=contract_volume&year=2024&scope=city"
    for persona in ("member_a", "member_b", "reviewer", "registrar"):
        assert client_for(personas[persona]).get(url).status_code == 403
    values = client_for(personas["manager"]).get(url).json()["results"]
    assert [(v["run"], v["code"], v["scope"]) for v in values] == [
        (computed.pk, "contract_volume", "city")
    ]
    bad = client_for(personas["manager"]).get("/api/v1/indicator-values/?scope=district:1")
    assert bad.status_code == 400
    assert "scope" in bad.json()["fields"]


def test_the_records_behind_a_figure_are_its_lineage(computed, personas, client_for) -> None:
    url = f"/api/v1/indicator-lineage/?code=contract_volume&year=2024&scope={dataset.D_YB}"
    for persona in ("member_a", "member_b", "reviewer"):
        assert client_for(personas[persona]).get(url).status_code == 403
    answer = client_for(personas["manager"]).get(url).json()
    expected = lineage(code="contract_volume", year=2024, scope=dataset.D_YB)
    assert answer["count"] == expected.count() > 0
    assert {r["id"] for r in answer["results"]} == set(expected.values_list("pk", flat=True))
    assert {r["type"] for r in answer["results"]} == {"transfercontract"}
    city_only = client_for(personas["manager"]).get(
        f"/api/v1/indicator-lineage/?code=rd_intensity&year=2024&scope={dataset.D_YB}"
    )
    assert city_only.status_code == 400


def test_a_second_recompute_request_is_given_the_run_already_pending(
    personas, client_for, django_capture_on_commit_callbacks
) -> None:
    manager = client_for(personas["manager"])
    with django_capture_on_commit_callbacks(execute=False):
        first = manager.post("/api/v1/indicator-runs/")
        again = manager.post("/api/v1/indicator-runs/")
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["status"] == "pending"
    assert IndicatorRun.objects.count() == 1
