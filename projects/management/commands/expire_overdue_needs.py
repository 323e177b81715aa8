"""Expire the published needs past their ``open_until`` now, as the daily beat task does."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from projects.workflows.needs import need_expire_overdue


class Command(BaseCommand):
    help = "Expire every published technical need whose open_until date has passed."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = need_expire_overdue()
        self.stdout.write(f"{expired} expired")
