"""``manage.py recompute_indicators`` for operators."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from projects.indicators.catalogue import CATALOGUE
from projects.models import IndicatorRun


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
    assert "contract_volume" in text and "3100000" in text


def test_a_year_outside_the_runs_is_refused(db) -> None:
    with pytest.raises(CommandError):
        call_command("recompute_indicators", "--year", "1999", stdout=io.StringIO())
