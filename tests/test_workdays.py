"""China's working days, checked against the State Council's notices (国务院办公厅关于…部分节假日
安排的通知), and the registry's due dates computed from them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from projects import workdays
from projects.workflows.contracts import registration_due_date

day = datetime.date


def test_the_calendar_knows_the_published_arrangements_and_no_others() -> None:
    known = workdays.official_years()
    assert set(range(2001, 2027)) <= known
    assert 2000 not in known
    assert 2099 not in known


@pytest.mark.parametrize(
    ("date", "working"),
    [
        (day(2025, 1, 26), True),  # Sunday worked for the Spring Festival
        (day(2025, 1, 28), False),  # Spring Festival's eve, off since 2025
        (day(2025, 2, 4), False),
        (day(2025, 2, 8), True),  # Saturday worked
        (day(2025, 5, 5), False),  # Labour Day, 1–5 May
        (day(2025, 9, 28), True),  # Sunday worked for National Day
        (day(2025, 10, 8), False),  # National Day and Mid-Autumn, 1–8 October
        (day(2025, 10, 11), True),  # Saturday worked
        (day(2026, 1, 4), True),  # Sunday worked for New Year's Day (1–3 January)
        (day(2026, 2, 14), True),  # Saturday worked for the nine-day Spring Festival
        (day(2026, 2, 23), False),
        (day(2026, 2, 28), True),
        (day(2026, 9, 20), True),
        (day(2026, 10, 10), True),
        (day(2026, 10, 7), False),
        (day(2026, 3, 3), True),  # an ordinary Tuesday
        (day(2026, 3, 7), False),  # an ordinary Saturday
    ],
)
def test_working_days_follow_the_official_arrangement(date: datetime.date, working: bool) -> None:
    assert workdays.is_working_day(date) is working
    assert workdays.is_official(date)


def test_a_year_not_yet_published_counts_monday_to_friday() -> None:
    assert workdays.is_working_day(day(2099, 10, 1))  # a Thursday, whatever the holiday
    assert not workdays.is_working_day(day(2099, 10, 3))  # a Saturday
    assert not workdays.is_official(day(2099, 10, 1))


def test_the_last_days_of_a_year_wait_for_the_next_years_notice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workdays, "official_years", lambda: frozenset(range(2001, 2027)))
    assert workdays.is_official(day(2026, 12, 24))
    assert not workdays.is_official(day(2026, 12, 29))
    assert workdays.is_official(day(2025, 12, 29))


@pytest.mark.parametrize(
    ("submitted_on", "amount", "due", "provisional"),
    [
        # Across the eight-day National Day holiday and its two worked weekend days.
        (day(2025, 9, 26), Decimal("1000000.00"), day(2025, 10, 23), False),
        (day(2025, 9, 26), Decimal("5000000.00"), day(2025, 11, 13), False),
        (day(2025, 9, 26), Decimal("4999999.99"), day(2025, 10, 23), False),
        # Across the 2026 Spring Festival: the worked Saturdays count, the nine days do not.
        (day(2026, 2, 13), Decimal("200000.00"), day(2026, 3, 12), False),
        # A year the calendar does not know: Monday to Friday, provisional.
        (day(2099, 9, 30), Decimal("200000.00"), day(2099, 10, 21), True),
    ],
)
def test_registration_due_date(
    submitted_on: datetime.date,
    amount: Decimal,
    due: datetime.date,
    provisional: bool,
) -> None:
    assert registration_due_date(submitted_on=submitted_on, contract_amount=amount) == (
        due,
        provisional,
    )


def test_a_due_date_reaching_into_an_unpublished_year_is_provisional(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workdays, "official_years", lambda: frozenset(range(2001, 2027)))
    assert registration_due_date(
        submitted_on=day(2026, 12, 10), contract_amount=Decimal("100.00")
    ) == (day(2026, 12, 31), True)
    assert registration_due_date(
        submitted_on=day(2026, 11, 2), contract_amount=Decimal("100.00")
    ) == (day(2026, 11, 23), False)


def test_counting_zero_days_is_the_start_itself() -> None:
    assert workdays.add_working_days(day(2026, 3, 3), 0) == (day(2026, 3, 3), False)
