"""Publish a year's indicator figures from the latest successful run.

    python manage.py publish_indicators --year 2024 --user demo.manager
    python manage.py publish_indicators --year 2024 --user demo.manager --run 42

The user must hold the publish permission (``projects.publish_indicators``), as on the report
page; the figures are then frozen and later runs record revisions against them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from projects.indicators.errors import IndicatorError
from projects.indicators.publication import indicator_year_publish
from projects.indicators.selectors import latest_successful_run
from projects.models import IndicatorRun


class Command(BaseCommand):
    help = "Publish a year's indicator figures (every indicator and scope) from a run."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="The year to publish.")
        parser.add_argument(
            "--user", required=True, help="Username of the manager publishing (recorded)."
        )
        parser.add_argument(
            "--run", type=int, help="The run to publish from (default: the latest successful)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["user"]
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if options["run"] is not None:
            run = IndicatorRun.objects.filter(pk=options["run"]).first()
            if run is None:
                raise CommandError(f"No indicator run #{options['run']}.")
        else:
            run = latest_successful_run()
            if run is None:
                raise CommandError("No run has succeeded yet: run recompute_indicators first.")
        try:
            figures = indicator_year_publish(run=run, year=options["year"], actor=user)
        except PermissionDenied as exc:
            raise CommandError(f"{username} may not publish indicator figures: {exc}") from exc
        except IndicatorError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Published {len(figures)} figures of {options['year']} from run #{run.pk} "
                f"as {username}."
            )
        )
