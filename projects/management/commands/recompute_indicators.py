"""Recompute every indicator now, in this process, and print the figures.

    python manage.py recompute_indicators               # city figures, latest complete year
    python manage.py recompute_indicators --year 2024   # only 2024 in the output
    python manage.py recompute_indicators --json        # every value as a JSON list

The run always computes every year and scope (a run is the unit reports read and publish);
``--year`` narrows what is printed. Without it the summary shows the latest complete year: the
current one holds only its first weeks or months, which reads as a collapse. ``--json`` prints
objects with the keys ``code``, ``year``, ``scope``, ``value``, ``numerator`` and
``denominator``; numbers are decimal strings (exact), ``null`` where a figure has no value (a
share over nothing).
"""

from __future__ import annotations

import json
import time
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from projects.indicators import runs
from projects.indicators.catalogue import CATALOGUE, Unit
from projects.indicators.scopes import CITY, indicator_years
from projects.indicators.selectors import latest_complete_year, latest_record_day, run_values
from projects.models import IndicatorRun


def _number(value: Decimal | None) -> str | None:
    if value is None:
        return None
    # 3000000.000000 prints as "3000000", 0.666667 stays "0.666667".
    return f"{value.normalize():f}"


def _readable(value: Decimal | None, unit: str) -> str:
    """A figure as a person reads it: 97.424 bn yuan, 71.2 %, 9,123."""
    if value is None:
        return "—"
    if unit == Unit.YUAN:
        for scale, name in ((10**9, "bn"), (10**6, "m")):
            if abs(value) >= scale:
                return f"{(value / scale).quantize(Decimal('0.001')).normalize():f} {name} yuan"
        return f"{value:,.2f} yuan"
    if unit == Unit.FRACTION:
        return f"{value * 100:.1f} %"
    if unit == Unit.PER_10K:
        return f"{value:.2f} per 10,000 residents"
    return f"{value:,.0f}"


class Command(BaseCommand):
    help = "Recompute every indicator for every year and scope, and print the figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="Print only this year's figures.")
        parser.add_argument(
            "--json", action="store_true", help="Print the run's values as a JSON list."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year: int | None = options["year"]
        if year is not None and year not in indicator_years():
            raise CommandError(f"Runs cover {indicator_years()[0]} to {indicator_years()[-1]}.")
        run = runs.indicator_run_create(trigger=IndicatorRun.Trigger.COMMAND)
        started = time.perf_counter()
        try:
            run = runs.indicator_run_execute(run_id=run.pk)
        except Exception as exc:
            raise CommandError(f"Indicator run #{run.pk} failed: {exc}") from exc
        elapsed = time.perf_counter() - started
        values = run_values(run=run, year=year)
        if options["json"]:
            rows = [
                {
                    "code": v.code,
                    "year": v.year,
                    "scope": v.scope,
                    "value": _number(v.value),
                    "numerator": _number(v.numerator),
                    "denominator": _number(v.denominator),
                }
                for v in values
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Indicator run #{run.pk} {run.status} in {elapsed:.2f}s: "
                f"{run.values.count()} values."
            )
        )
        if year is None:
            shown_year = latest_complete_year()
            latest = latest_record_day()
            reason = f"records run to {latest.isoformat()}" if latest else "no records yet"
            self.stdout.write(
                f"City figures for {shown_year}, the latest complete year ({reason}; "
                "--year chooses another):"
            )
        else:
            shown_year = year
            self.stdout.write(f"City figures for {shown_year}:")
        city = {v.code: v for v in values.filter(scope=CITY, year=shown_year)}
        for indicator in CATALOGUE:
            value = city.get(indicator.code)
            figure = _readable(value.value if value else None, indicator.unit)
            variant = f"  (variant of {indicator.variant_of})" if indicator.variant_of else ""
            self.stdout.write(f"  {indicator.code:<32} {figure:>24}{variant}")
