"""The recompute button: starts a run or shows the one going, and its state as JSON."""

from __future__ import annotations

import datetime

from django.utils import timezone

from projects.indicators import runs, tasks
from projects.models import IndicatorRun
from tests import factories


def test_a_click_starts_a_run_that_computes(
    crafted, manager_client, celery_eager, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post("/reports/recompute/", HTTP_ACCEPT="application/json")
    assert response.status_code == 202
    body = response.json()
    assert body["started"] is True
    run = IndicatorRun.objects.get(pk=body["id"])
    assert run.trigger == IndicatorRun.Trigger.MANUAL
    state = manager_client.get(body["status_url"]).json()
    assert state["error"] == ""
    assert state["status"] == "succeeded" and state["progress"] == 100 and state["finished"]


def test_a_second_click_while_a_run_goes_shows_that_run(crafted, manager_client) -> None:
    going = factories.IndicatorRunFactory(
        status=IndicatorRun.Status.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        progress=40,
    )
    response = manager_client.post("/reports/recompute/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["id"] == going.pk and response.json()["started"] is False
    assert IndicatorRun.objects.count() == 1
    page = manager_client.get("/reports/").content.decode()
    assert f'data-status-url="/reports/runs/{going.pk}/"' in page
    assert "Show the running recompute" in page


def test_without_javascript_the_form_posts_and_the_page_follows_the_run(
    crafted, manager_client, celery_eager
) -> None:
    response = manager_client.post("/reports/recompute/", {"next": "/reports/?year=2023"})
    assert response.status_code == 302
    run = IndicatorRun.objects.get()
    assert response["Location"] == f"/reports/?year=2023&run={run.pk}"
    page = manager_client.get(response["Location"]).content.decode()
    assert f"Recompute started as run #{run.pk}." in page
    assert f'data-status-url="/reports/runs/{run.pk}/"' in page


def test_a_failed_run_says_why(db, manager_client) -> None:
    run = factories.IndicatorRunFactory(
        status=IndicatorRun.Status.FAILED, error="OperationalError: the database went away"
    )
    state = manager_client.get(f"/reports/runs/{run.pk}/").json()
    assert state["finished"] and state["status"] == "failed"
    assert "the database went away" in state["message"]


def test_a_run_whose_worker_died_is_failed_by_the_sweep_and_a_new_one_can_start(
    crafted, manager_client, celery_eager
) -> None:
    long_ago = timezone.now() - runs.HEARTBEAT_TIMEOUT - datetime.timedelta(minutes=1)
    dead = factories.IndicatorRunFactory(
        status=IndicatorRun.Status.RUNNING, started_at=long_ago, heartbeat_at=long_ago
    )
    state = manager_client.get(f"/reports/runs/{dead.pk}/").json()
    assert state["status"] == "running"  # the poll only reads
    assert tasks.indicator_runs_sweep_task() == 1  # beat's sweep, every minute
    state = manager_client.get(f"/reports/runs/{dead.pk}/").json()
    assert state["status"] == "failed" and "stopped answering" in state["error"]
    response = manager_client.post("/reports/recompute/", HTTP_ACCEPT="application/json")
    assert response.json()["started"] is True and response.json()["id"] != dead.pk


def test_reading_a_run_needs_the_report_permission(db, enterprise_user, client) -> None:
    run = factories.IndicatorRunFactory()
    client.force_login(enterprise_user)
    assert client.get(f"/reports/runs/{run.pk}/").status_code == 403
