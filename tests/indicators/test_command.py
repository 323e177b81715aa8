"""``manage.py recompute_indicators`` for operators."""

from __future__ import annotations

import datetime
import io
import json
import zoneinfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from projects.indicators.catalogue import CATALOGUE
from projects.models import IndicatorRun, TechnicalNeed
from tests import factories

CHONGQING = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_json_prints_every_value_of_the_year(crafted) -> None:
    out = io.StringIO()
    call_command("recompute_indicators", "--json", "--year", "2024", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == sum(len(indicator.scopes()) for indicator in CATALOGUE)
    assert {tuple(sorted(row)) for row in rows} == {
        ("code", "denominator", "numerator", "scope", "value", "year")
    }
    assert {row["year"] for row in rows} == {2024}
    by_key = {(row["code"], row["scope"]): row for row in rows}
    assert by_key["contract_volume", "city"]["value"] == "3100000"
    assert by_key["projects_enterprise_share", "city"] == {
        "code": "projects_enterprise_share",
        "year": 2024,
        "scope": "city",
        "value": "0.666667",
        "numerator": "2",
        "denominator": "3",
    }
    assert by_key["needs_enterprise_share", "district:500101"]["value"] is None
    run = IndicatorRun.objects.get()
    assert (run.trigger, run.status) == (
        IndicatorRun.Trigger.COMMAND,
        IndicatorRun.Status.SUCCEEDED,
    )


def test_json_without_a_year_prints_every_year(crafted) -> None:
    out = io.StringIO()
    call_command("recompute_indicators", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == IndicatorRun.objects.get().values.count()


def test_the_summary_names_the_run_and_the_city_figures(crafted) -> None:
    out = io.StringIO()
    call_command("recompute_indicators", "--year", "2024", stdout=out)
    text = out.getvalue()
    assert "succeeded" in text
    assert "City figures for 2024:" in text
    assert "contract_volume" in text and "3.1 m yuan" in text
    assert "66.7 %" in text  # projects_enterprise_share, 2 of 3
    assert "(variant of projects_enterprise_share)" in text


@pytest.mark.parametrize(
    ("latest_publication", "today", "shown"),
    [
        # The demo: records up to 30 January 2026, whatever the date today.
        (datetime.datetime(2026, 1, 29, 10, tzinfo=CHONGQING), "2026-01-30", 2025),
        (datetime.datetime(2026, 1, 29, 10, tzinfo=CHONGQING), "2027-07-15", 2025),
        # Live data: the year before the current one.
        (datetime.datetime(2027, 7, 14, 10, tzinfo=CHONGQING), "2027-07-15", 2026),
    ],
)
def test_without_a_year_the_summary_shows_the_latest_complete_year(
    db, latest_publication: datetime.datetime, today: str, shown: int
) -> None:
    factories.TechnicalNeedFactory(
        state=TechnicalNeed.State.PUBLISHED,
        published_at=latest_publication,
        open_until=latest_publication.date() + datetime.timedelta(days=365),
    )
    out = io.StringIO()
    with time_machine.travel(datetime.datetime.fromisoformat(f"{today}T12:00+08:00")):
        call_command("recompute_indicators", stdout=out)
    assert f"City figures for {shown}, the latest complete year" in out.getvalue()
    assert f"records run to {latest_publication.date().isoformat()}" in out.getvalue()


def test_a_year_outside_the_runs_is_refused(db) -> None:
    with pytest.raises(CommandError):
        call_command("recompute_indicators", "--year", "1999", stdout=io.StringIO())
