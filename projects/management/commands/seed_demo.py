"""Fill the database with the demo data set and print the demo accounts.

python manage.py seed_demo                # about 85,000 organisations and their records
python manage.py seed_demo --scale 0.1    # a tenth of the volume, for a quick look
python manage.py seed_demo --reset        # delete the demo data, then seed again
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from projects.demo import demo_reset, demo_seed
from projects.demo.figures import (
    AS_OF,
    CONTRACT_VOLUME,
    HIGH_TECH_VALID,
    PLATFORMS,
    RESOLVED_BOTTLENECKS,
    TECH_ENTERPRISES,
)

ROLE_LABELS = {
    "enterprise": "enterprise user",
    "reviewer": "reviewer (staff)",
    "manager": "manager (staff)",
    "registrar": "registrar (staff)",
    "project_officer": "project officer",
}


class Command(BaseCommand):
    help = (
        "Build the demo data set: Chongqing's organisations with their certifications, "
        "innovation platforms, bottlenecks, research projects, technical needs and technology "
        f"contracts up to {AS_OF:%Y-%m-%d}, whose indicators reproduce the bureau's report "
        f"(2024 contract volume {CONTRACT_VOLUME[2024] / 10**9:.3f} bn yuan, "
        f"{HIGH_TECH_VALID[2025]:,} high-tech and {TECH_ENTERPRISES[2025]:,} technology-based "
        f"enterprises in 2025, {PLATFORMS[2025]:,} platforms, {RESOLVED_BOTTLENECKS} "
        "bottlenecks resolved in 2021-2025, enterprise shares above 70 %); --scale multiplies "
        "every volume and figure. The data is the same on every run. Running it again when "
        "the demo is there adds nothing: it only restores the demo accounts' passwords and "
        "prints them. --reset deletes every record of the projects app (indicator runs "
        "excepted) and the demo's users first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply the volumes (and the report's figures) by this factor (default 1).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the existing demo data (every projects record) before seeding.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off: the demo accounts' passwords are printed and public.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale: float = options["scale"]
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates staff accounts with published passwords. Run it with DEBUG=1 "
                "(a development or demo database), or pass --force."
            )
        if options["reset"]:
            self.stdout.write("Deleting the demo data…")
            demo_reset()
        try:
            result = demo_seed(scale=scale)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(f"Demo data built in {result.seconds:.1f} s (scale {scale:g}):")
            )
            for name, count in result.counts.items():
                self.stdout.write(f"  {count:>9,} {name}")
        else:
            self.stdout.write(
                "The demo data is already there: nothing added (use --reset to rebuild it). "
                "The demo accounts' passwords were restored."
            )
        self.stdout.write("Demo accounts:")
        for account in result.accounts:
            line = f"  {ROLE_LABELS[account.role]:<17} {account.username:<16} {account.password}"
            if account.role == "enterprise" and result.organisation:
                line += f"  ({result.organisation})"
            self.stdout.write(line)
