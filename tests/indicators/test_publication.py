"""Managers publish a year's figures; later runs record revisions instead of replacing them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied

from projects.indicators import publication, runs
from projects.indicators.catalogue import CATALOGUE
from projects.indicators.errors import IndicatorError
from projects.indicators.publication import indicator_year_publish
from projects.models import (
    IndicatorRevision,
    IndicatorRun,
    IndicatorValue,
    Organization,
    PublishedFigure,
    TransferContract,
)
from tests import factories
from tests.indicators import dataset


def _run() -> IndicatorRun:
    run = factories.IndicatorRunFactory()
    return runs.indicator_run_execute(run_id=run.pk)


def _register_contract_in_yubei_2024(amount: str, number: str = "2024500LATE01") -> None:
    seller = factories.OrganizationFactory(
        kind=Organization.Kind.ENTERPRISE, district=dataset.YUBEI, pole="health"
    )
    factories.TransferContractFactory(
        seller=seller,
        state=TransferContract.State.REGISTERED,
        registration_number=number,
        registered_on=datetime.date(2024, 10, 1),
        contract_amount=Decimal(amount),
        technology_transaction_amount=Decimal(amount),
    )


def test_a_manager_publishes_every_figure_of_a_year(crafted, publishing_manager) -> None:
    run = _run()
    figures = indicator_year_publish(run=run, year=2024, actor=publishing_manager)
    expected = sum(len(indicator.scopes()) for indicator in CATALOGUE)
    assert len(figures) == expected == PublishedFigure.objects.filter(year=2024).count()
    figure = PublishedFigure.objects.get(code="contract_volume", year=2024, scope="city")
    assert figure.value == Decimal("3100000")
    assert figure.run == run
    assert figure.published_by == publishing_manager
    assert not PublishedFigure.objects.exclude(year=2024).exists()


@pytest.mark.parametrize("persona", ["staff_without_role", "reviewer", "enterprise_user"])
def test_only_holders_of_the_publish_permission_can_publish(crafted, request, persona) -> None:
    if persona == "staff_without_role":
        user = factories.UserFactory(username="staff.norole", is_staff=True)
    else:
        user = request.getfixturevalue(persona)
    run = _run()
    with pytest.raises(PermissionDenied):
        indicator_year_publish(run=run, year=2024, actor=user)
    assert not PublishedFigure.objects.exists()


def test_a_failed_run_cannot_be_published(publishing_manager) -> None:
    run = factories.IndicatorRunFactory(status=IndicatorRun.Status.FAILED)
    with pytest.raises(IndicatorError):
        indicator_year_publish(run=run, year=2024, actor=publishing_manager)


def test_a_year_outside_the_run_cannot_be_published(crafted, publishing_manager) -> None:
    with pytest.raises(IndicatorError):
        indicator_year_publish(run=_run(), year=2015, actor=publishing_manager)


def test_a_later_run_records_revisions_and_the_published_figure_stays(
    crafted, publishing_manager
) -> None:
    first = _run()
    indicator_year_publish(run=first, year=2024, actor=publishing_manager)
    _register_contract_in_yubei_2024("400000.00")

    second = _run()

    revisions = {
        (r.code, r.scope): (r.published_value, r.new_value)
        for r in IndicatorRevision.objects.filter(run=second)
    }
    assert revisions == {
        ("contract_volume", "city"): (Decimal("3100000"), Decimal("3500000")),
        ("contract_volume", f"district:{dataset.YUBEI}"): (
            Decimal("2000000"),
            Decimal("2400000"),
        ),
        ("contract_volume", "pole:health"): (Decimal("2000000"), Decimal("2400000")),
        ("tech_transaction_amount", "city"): (Decimal("2450000"), Decimal("2850000")),
        ("tech_transaction_amount", f"district:{dataset.YUBEI}"): (
            Decimal("1500000"),
            Decimal("1900000"),
        ),
        ("tech_transaction_amount", "pole:health"): (Decimal("1500000"), Decimal("1900000")),
        ("contracts_registered", "city"): (Decimal(3), Decimal(4)),
        ("contracts_registered", f"district:{dataset.YUBEI}"): (Decimal(1), Decimal(2)),
        ("contracts_registered", "pole:health"): (Decimal(1), Decimal(2)),
        # The plan so far (2021–2024) moves with the year.
        ("plan_contract_volume", "city"): (Decimal("3600000"), Decimal("4000000")),
        ("plan_contract_volume", f"district:{dataset.YUBEI}"): (
            Decimal("2500000"),
            Decimal("2900000"),
        ),
        ("plan_contract_volume", "pole:health"): (Decimal("2000000"), Decimal("2400000")),
    }
    assert all(r.year == 2024 for r in IndicatorRevision.objects.filter(run=second))
    note = IndicatorRevision.objects.get(run=second, code="contract_volume", scope="city").note
    # The note names the published run and both values, in whatever language it was written.
    assert str(first.pk) in note and "3500000" in note and "3100000" in note
    # Published figures stay as published until a manager publishes again.
    figure = PublishedFigure.objects.get(code="contract_volume", year=2024, scope="city")
    assert (figure.value, figure.run) == (Decimal("3100000"), first)

    indicator_year_publish(run=second, year=2024, actor=publishing_manager)
    figure.refresh_from_db()
    assert (figure.value, figure.run) == (Decimal("3500000"), second)
    third = _run()
    assert not IndicatorRevision.objects.filter(run=third).exists()
    # The revisions of the second run stay as the history of the change.
    assert IndicatorRevision.objects.filter(run=second).count() == 12


def test_a_difference_already_recorded_is_not_recorded_again_by_later_runs(
    crafted, publishing_manager
) -> None:
    indicator_year_publish(run=_run(), year=2024, actor=publishing_manager)
    _register_contract_in_yubei_2024("400000.00")
    second = _run()
    assert IndicatorRevision.objects.filter(run=second).count() == 12

    # Nothing changed since: the nightly run repeats no revision.
    third = _run()
    assert not IndicatorRevision.objects.filter(run=third).exists()

    # The figure moves again: that new value is recorded, against the published one.
    _register_contract_in_yubei_2024("100000.00", number="2024500LATE02")
    fourth = _run()
    revision = IndicatorRevision.objects.get(run=fourth, code="contract_volume", scope="city")
    assert (revision.published_value, revision.new_value) == (
        Decimal("3100000"),
        Decimal("3600000"),
    )


def test_a_run_that_fails_records_no_revision(crafted, publishing_manager) -> None:
    indicator_year_publish(run=_run(), year=2024, actor=publishing_manager)
    _register_contract_in_yubei_2024("1.00")
    run = factories.IndicatorRunFactory()
    real = publication.revisions_record

    def records_then_dies(**kwargs):
        real(**kwargs)
        raise RuntimeError("killed after the revisions")

    with mock.patch.object(publication, "revisions_record", side_effect=records_then_dies):
        with pytest.raises(RuntimeError):
            runs.indicator_run_execute(run_id=run.pk)
    assert not IndicatorRevision.objects.exists()
    assert not IndicatorValue.objects.filter(run=run).exists()


def test_an_unchanged_run_records_no_revision(crafted, publishing_manager) -> None:
    indicator_year_publish(run=_run(), year=2024, actor=publishing_manager)
    assert not IndicatorRevision.objects.filter(run=_run()).exists()
