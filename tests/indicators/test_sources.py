"""The expressions the aggregates are built from, on the edges of their definitions."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.db.models import F

from projects.indicators.scopes import indicator_years, year_end
from projects.indicators.sources import InForceYears, YearOf
from projects.models import Certification
from tests import factories

day = datetime.date
CHONGQING = zoneinfo.ZoneInfo("Asia/Shanghai")
YEARS = indicator_years(last=2026)
DAYS = tuple(year_end(year) for year in YEARS)

# (valid from, valid until): both days count.
VALIDITIES = [
    (day(2023, 12, 31), day(2023, 12, 31)),  # in force on one 31 December only
    (day(2023, 1, 1), day(2023, 12, 30)),  # a whole year but its last day
    (day(2024, 1, 1), day(2024, 12, 31)),
    (day(2019, 12, 31), day(2022, 1, 1)),
    (day(2010, 3, 1), day(2016, 12, 31)),  # ends on the first counted day
    (day(2010, 3, 1), day(2016, 12, 30)),  # ends before it
    (day(2026, 12, 31), day(2030, 1, 1)),  # starts on the last counted day
    (day(2012, 1, 1), day(2040, 1, 1)),  # in force on every counted day
]


@pytest.mark.parametrize(("valid_from", "valid_until"), VALIDITIES)
def test_in_force_years_sets_a_bit_for_each_31_december_covered(
    db, valid_from: datetime.date, valid_until: datetime.date
) -> None:
    certificate = factories.CertificationFactory(valid_from=valid_from, valid_until=valid_until)
    mask = (
        Certification.objects.filter(pk=certificate.pk)
        .values("organization")
        .annotate(mask=InForceYears("valid_from", "valid_until", days=DAYS))
        .get()["mask"]
    )
    covered = {
        year for year, end in zip(YEARS, DAYS, strict=True) if valid_from <= end <= valid_until
    }
    assert {year for bit, year in enumerate(YEARS) if mask & (1 << bit)} == covered


def test_in_force_years_joins_the_years_of_overlapping_and_separate_certificates(db) -> None:
    organization = factories.OrganizationFactory()
    for valid_from, valid_until in [
        (day(2017, 5, 1), day(2020, 4, 30)),
        (day(2020, 3, 1), day(2023, 2, 28)),  # a renewal overlapping the first
        (day(2025, 6, 1), day(2026, 5, 31)),  # after a gap
    ]:
        factories.CertificationFactory(
            organization=organization, valid_from=valid_from, valid_until=valid_until
        )
    mask = (
        Certification.objects.values("organization")
        .annotate(mask=InForceYears("valid_from", "valid_until", days=DAYS))
        .get()["mask"]
    )
    years = {year for bit, year in enumerate(YEARS) if mask & (1 << bit)}
    assert years == {2017, 2018, 2019, 2020, 2021, 2022, 2025}


def _year_of(certificate: Certification, field: str, *, timestamp: bool) -> int:
    return (
        Certification.objects.filter(pk=certificate.pk)
        .annotate(found=YearOf(F(field), years=YEARS, timestamp=timestamp))
        .values_list("found", flat=True)
        .get()
    )


@pytest.mark.parametrize(
    ("valid_from", "year"),
    [
        (day(2016, 1, 1), 2016),
        (day(2019, 12, 31), 2019),
        (day(2020, 1, 1), 2020),
        (day(2024, 2, 29), 2024),
        (day(2026, 12, 31), 2026),
    ],
)
def test_year_of_a_date(db, valid_from: datetime.date, year: int) -> None:
    certificate = factories.CertificationFactory(valid_from=valid_from)
    assert _year_of(certificate, "valid_from", timestamp=False) == year


@pytest.mark.parametrize(
    ("moment", "year"),
    [
        # Years begin at midnight in Chongqing (UTC+8), not in UTC.
        (datetime.datetime(2023, 12, 31, 23, 59, 59, tzinfo=CHONGQING), 2023),
        (datetime.datetime(2024, 1, 1, 0, 0, tzinfo=CHONGQING), 2024),
        (datetime.datetime(2024, 12, 31, 17, 0, tzinfo=datetime.UTC), 2025),
        (datetime.datetime(2026, 12, 31, 23, 59, tzinfo=CHONGQING), 2026),
    ],
)
def test_year_of_a_timestamp(db, moment: datetime.datetime, year: int) -> None:
    certificate = factories.CertificationFactory()
    Certification.objects.filter(pk=certificate.pk).update(created_at=moment)
    assert _year_of(certificate, "created_at", timestamp=True) == year
