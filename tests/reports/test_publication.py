"""Publishing a year from the report, the revisions since, and ``manage.py publish_indicators``."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from projects.indicators import runs
from projects.indicators.publication import indicator_year_publish
from projects.models import Organization, PublishedFigure, TransferContract
from tests import factories


def test_the_confirmation_lists_what_will_be_frozen(computed, manager_client) -> None:
    html = manager_client.get("/reports/publish/?year=2024").content.decode()
    assert "Publish the figures of 2024" in html
    assert f"as computed by run #{computed.pk}" in html
    count = computed.values.filter(year=2024).count()
    assert f"freezes the {count} figures" in html
    assert "Technology contract volume" in html and "3.10 million yuan" in html
    assert not PublishedFigure.objects.exists()


def test_a_manager_publishes_a_year(computed, manager_client, manager) -> None:
    response = manager_client.post(
        "/reports/publish/", {"year": 2024, "scope": "city", "run": computed.pk}
    )
    assert response.status_code == 302
    figure = PublishedFigure.objects.get(code="contract_volume", year=2024, scope="city")
    assert (figure.value, figure.run, figure.published_by) == (
        Decimal("3100000"),
        computed,
        manager,
    )
    page = manager_client.get(response["Location"]).content.decode()
    assert "figures of 2024 published from run" in page


def test_figures_that_changed_since_the_confirmation_are_not_published(
    computed, manager_client
) -> None:
    newer = runs.indicator_run_execute(run_id=factories.IndicatorRunFactory().pk)
    response = manager_client.post(
        "/reports/publish/", {"year": 2024, "scope": "city", "run": computed.pk}
    )
    assert response.status_code == 400
    assert "The figures changed since this page was shown" in response.content.decode()
    assert not PublishedFigure.objects.exists()
    assert f"run #{newer.pk}" in response.content.decode()


def test_revisions_show_old_new_note_who_and_when(computed, manager_client, manager) -> None:
    indicator_year_publish(run=computed, year=2024, actor=manager)
    seller = factories.OrganizationFactory(kind=Organization.Kind.ENTERPRISE)
    factories.TransferContractFactory(
        seller=seller,
        state=TransferContract.State.REGISTERED,
        registration_number="2024500LATE01",
        registered_on=datetime.date(2024, 10, 1),
        contract_amount=Decimal("400000.00"),
        technology_transaction_amount=Decimal("400000.00"),
    )
    later = factories.IndicatorRunFactory(actor=manager)
    runs.indicator_run_execute(run_id=later.pk)
    html = manager_client.get("/reports/revisions/?year=2024").content.decode()
    start = html.index(">Technology contract volume</th><td>Chongqing (whole city)")
    row = html[start : html.index("</tr>", start)]
    assert "3.10 million yuan" in row and "3.50 million yuan" in row
    assert "3500000" in row and manager.username in row  # the note, in its language


def test_the_command_publishes_a_year(computed, manager) -> None:
    out = io.StringIO()
    call_command("publish_indicators", "--year", "2024", "--user", manager.username, stdout=out)
    assert f"from run #{computed.pk}" in out.getvalue()
    assert PublishedFigure.objects.filter(year=2024, run=computed).exists()


def test_the_command_refuses_a_user_without_the_permission(computed, reviewer) -> None:
    with pytest.raises(CommandError, match="may not publish"):
        call_command("publish_indicators", "--year", "2024", "--user", reviewer.username)
    assert not PublishedFigure.objects.exists()


def test_the_command_refuses_a_year_the_run_does_not_hold(computed, manager) -> None:
    with pytest.raises(CommandError, match="1999"):
        call_command("publish_indicators", "--year", "1999", "--user", manager.username)
