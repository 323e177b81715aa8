"""The bureau's year is Chongqing's: cut at midnight Beijing time whatever ``TIME_ZONE`` the
server runs with (a server kept on UTC or abroad must not move a need into another year)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine

from projects.indicators import computation, publication
from projects.indicators.lineage import lineage
from projects.indicators.scopes import CITY, current_year
from projects.models import Organization, PublishedFigure, TechnicalNeed
from tests import factories

SERVER_ZONES = ["UTC", "America/New_York", "Asia/Shanghai"]
# 2025-01-01 00:30 in Chongqing; still 2024 in UTC and in New York.
NEW_YEAR_IN_CHONGQING = datetime.datetime(2024, 12, 31, 16, 30, tzinfo=datetime.UTC)


@pytest.fixture
def need_published_after_midnight_in_chongqing(db) -> TechnicalNeed:
    proposer = factories.OrganizationFactory(kind=Organization.Kind.ENTERPRISE)
    return factories.TechnicalNeedFactory(
        proposer=proposer,
        state=TechnicalNeed.State.PUBLISHED,
        published_at=NEW_YEAR_IN_CHONGQING,
    )


def _accepted_needs(year: int) -> Decimal | None:
    values = computation.compute_values(years=range(2024, 2026))
    (figure,) = [
        v for v in values if (v.code, v.scope, v.year) == ("needs_enterprise_share", CITY, year)
    ]
    return figure.denominator


@pytest.mark.parametrize("zone", SERVER_ZONES)
def test_a_need_published_half_past_midnight_in_chongqing_counts_in_the_new_year(
    settings, need_published_after_midnight_in_chongqing, zone: str
) -> None:
    settings.TIME_ZONE = zone
    assert _accepted_needs(2025) == 1
    assert _accepted_needs(2024) == 0


@pytest.mark.parametrize("zone", SERVER_ZONES)
def test_the_drill_down_lists_the_need_in_the_year_it_counts_in(
    settings, need_published_after_midnight_in_chongqing, zone: str
) -> None:
    settings.TIME_ZONE = zone
    need = need_published_after_midnight_in_chongqing
    assert list(lineage(code="needs_enterprise_share", year=2025, scope=CITY)) == [need]
    assert not lineage(code="needs_enterprise_share", year=2024, scope=CITY).exists()


@pytest.mark.parametrize("zone", SERVER_ZONES)
def test_the_current_year_turns_at_midnight_in_chongqing(settings, zone: str) -> None:
    settings.TIME_ZONE = zone
    with time_machine.travel(NEW_YEAR_IN_CHONGQING, tick=False):
        assert current_year() == 2025
    with time_machine.travel(NEW_YEAR_IN_CHONGQING - datetime.timedelta(hours=1), tick=False):
        assert current_year() == 2024


def test_a_revision_note_dates_the_publication_by_the_day_in_chongqing(settings, db) -> None:
    settings.TIME_ZONE = "UTC"
    published_run = factories.IndicatorRunFactory()
    # 1 February 2025, 01:00 in Chongqing; still 31 January in UTC.
    PublishedFigure.objects.create(
        code="contracts_registered",
        year=2024,
        scope=CITY,
        value=Decimal(3),
        run=published_run,
        published_at=datetime.datetime(2025, 1, 31, 17, 0, tzinfo=datetime.UTC),
    )
    later = factories.IndicatorRunFactory()
    (revision,) = publication.revisions_record(
        run=later,
        values=[
            computation.ComputedValue("contracts_registered", 2024, CITY, Decimal(4), None, None)
        ],
    )
    assert "2025-02-01" in revision.note
