"""``manage.py refresh_roles``: set each staff group's permissions to the roles table."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from projects.roles import ROLE_PERMISSIONS, role_groups_refresh


class Command(BaseCommand):
    help = "Create the staff role groups, or set their permissions to exactly projects.roles."

    def handle(self, *args: Any, **options: Any) -> None:
        role_groups_refresh()
        for name, codenames in ROLE_PERMISSIONS.items():
            self.stdout.write(f"{name}: {len(codenames)} permissions")
