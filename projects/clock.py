"""The bureau's calendar day.

Every date the domain speaks of (a contract registered "today", a need open until a day, the
year a figure belongs to) is a day in Chongqing, cut at midnight Beijing time, whatever
``TIME_ZONE`` the server runs with.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

BUREAU_TIME_ZONE = ZoneInfo("Asia/Shanghai")


def today() -> datetime.date:
    """The current day in Chongqing."""
    return timezone.now().astimezone(BUREAU_TIME_ZONE).date()


def day_of(moment: datetime.datetime) -> datetime.date:
    """The day in Chongqing of an aware timestamp."""
    return moment.astimezone(BUREAU_TIME_ZONE).date()
