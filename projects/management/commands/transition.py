"""Perform one workflow transition from the command line, through the same functions as the
portal, the admin and the API.

    python manage.py transition need publish 42 --actor wang --comment "指标齐全"
    python manage.py transition need reject 42 --actor wang --reason duplicate
    python manage.py transition project complete 7 --actor wang --resolved-bottleneck 3 5
    python manage.py transition contract register 12 --actor wang --registration-number X
"""

from __future__ import annotations

import datetime
import inspect
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from projects.models import Bottleneck, ResearchProject
from projects.workflows._core import state_label
from projects.workflows.errors import WorkflowError
from projects.workflows.registry import MACHINES, machine


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "Move a record through its workflow: <machine> <transition> <id> --actor <username>."

    def add_arguments(self, parser: CommandParser) -> None:
        machines = ", ".join(
            f"{name} ({'/'.join(m.functions)})" for name, m in sorted(MACHINES.items())
        )
        parser.add_argument("machine", help=f"one of: {machines}")
        parser.add_argument("transition")
        parser.add_argument("record_id", type=int)
        parser.add_argument(
            "--actor",
            help="username of the person acting; omitted only for system transitions (expire)",
        )
        parser.add_argument("--comment", default="")
        parser.add_argument("--reason", help="need reject: reason code; contract refuse: text")
        parser.add_argument("--registration-number", default="", help="contract register")
        parser.add_argument(
            "--resolved-bottleneck",
            type=int,
            nargs="*",
            default=[],
            help="project complete: ids of the bottlenecks the acceptance found resolved",
        )
        parser.add_argument("--project", type=int, help="bottleneck target/resolve: project id")
        parser.add_argument(
            "--on",
            type=_date,
            help="the date of the event when it is not today (approved_on, completed_on, …)",
        )
        parser.add_argument(
            "--language", help="language of the messages (default: the site's language)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"] or translation.get_language()):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        try:
            chosen = machine(options["machine"])
        except KeyError as exc:
            raise CommandError(
                _("Unknown record type “%(name)s”; choose one of: %(names)s.")
                % {"name": options["machine"], "names": ", ".join(sorted(MACHINES))}
            ) from exc
        name = options["transition"].replace("-", "_")
        function = chosen.functions.get(name)
        if function is None:
            raise CommandError(
                _("Unknown transition “%(name)s”; choose one of: %(names)s.")
                % {"name": options["transition"], "names": ", ".join(chosen.functions)}
            )
        record = chosen.model._default_manager.filter(pk=options["record_id"]).first()
        if record is None:
            raise CommandError(
                _("There is no %(kind)s with id %(id)s.")
                % {"kind": chosen.model._meta.verbose_name, "id": options["record_id"]}
            )
        kwargs: dict[str, Any] = {
            chosen.name: record,
            "actor": self._actor(options["actor"]),
            "comment": options["comment"],
        }
        kwargs.update(self._extra_arguments(function, options, chosen.name))
        from_state = state_label(record)
        try:
            function(**kwargs)
        except WorkflowError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("%(kind)s “%(record)s”: %(from)s → %(to)s")
                % {
                    "kind": chosen.model._meta.verbose_name,
                    "record": record,
                    "from": from_state,
                    "to": state_label(record),
                }
            )
        )

    def _actor(self, username: str | None) -> Any:
        if not username:
            return None
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None:
            raise CommandError(_("There is no user “%(username)s”.") % {"username": username})
        return user

    def _extra_arguments(
        self, function: Any, options: dict[str, Any], record_argument: str
    ) -> dict[str, Any]:
        parameters = set(inspect.signature(function).parameters) - {
            record_argument,
            "actor",
            "comment",
        }
        extra: dict[str, Any] = {}
        if "reason" in parameters:
            if not options["reason"]:
                raise CommandError(_("This transition needs --reason."))
            extra["reason"] = options["reason"]
        if "registration_number" in parameters:
            extra["registration_number"] = options["registration_number"]
        if "resolved_bottlenecks" in parameters:
            wanted = options["resolved_bottleneck"]
            found = list(Bottleneck.objects.filter(pk__in=wanted))
            if len(found) != len(set(wanted)):
                raise CommandError(_("Some of the resolved bottlenecks do not exist."))
            extra["resolved_bottlenecks"] = found
        if "project" in parameters:
            project = ResearchProject.objects.filter(pk=options["project"] or 0).first()
            if project is None:
                raise CommandError(_("This transition needs --project with an existing project."))
            extra["project"] = project
        if options["on"]:
            dated = [name for name in parameters if name.endswith("_on")]
            if not dated:
                raise CommandError(_("This transition takes no date (--on)."))
            extra[dated[0]] = options["on"]
        return extra
