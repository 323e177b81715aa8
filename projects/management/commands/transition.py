"""Perform one workflow transition from the command line, through the same functions as the
portal, the admin and the API. The transitions and their options come from the workflows'
transition tables.

    python manage.py transition need publish 42 --actor wang --comment "指标齐全"
    python manage.py transition need reject 42 --actor wang --reason duplicate
    python manage.py transition project complete 7 --actor wang --resolved-bottlenecks 3 5
    python manage.py transition contract register 12 --actor wang --registration-number X
    python manage.py transition contract amend 12 --actor wang --contract-amount 5200000
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from projects.workflows._core import Input, InputKind, Transition, state_label
from projects.workflows.errors import WorkflowError
from projects.workflows.registry import MACHINES, Machine, machine

# Options older scripts use, kept as spellings of the table's inputs.
ALIASES = {"resolved_bottlenecks": ["--resolved-bottleneck"]}


def offered(chosen: Machine) -> dict[str, Transition]:
    """The transitions the command performs: every one the table takes on a record."""
    return chosen.on_records


def _all_inputs() -> dict[str, Input]:
    inputs: dict[str, Input] = {}
    for chosen in MACHINES.values():
        for transition in offered(chosen).values():
            for one in transition.inputs:
                inputs.setdefault(one.name, one)
    return inputs


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


class Command(BaseCommand):
    help = "Move a record through its workflow: <machine> <transition> <id> --actor <username>."

    def add_arguments(self, parser: CommandParser) -> None:
        machines = "; ".join(
            f"{name}: {', '.join(offered(m))}" for name, m in sorted(MACHINES.items())
        )
        parser.add_argument("machine", help=f"record type and its transitions — {machines}")
        parser.add_argument("transition")
        parser.add_argument("record_id", type=int)
        parser.add_argument(
            "--actor",
            help="username of the person acting; omitted only for system transitions (expire)",
        )
        parser.add_argument("--comment", default="")
        for name, one in sorted(_all_inputs().items()):
            many = one.kind is InputKind.RECORDS
            parser.add_argument(
                _option(name),
                *ALIASES.get(name, []),
                dest=name,
                nargs="*" if many else None,
                help=f"{one.label} ({'ids' if many else self._shape(one)})",
            )
        parser.add_argument(
            "--on",
            help="the day of the event when it is not today (approved_on, completed_on, …)",
        )
        parser.add_argument(
            "--language", help="language of the messages (default: the site's language)"
        )

    @staticmethod
    def _shape(one: Input) -> str:
        if one.kind is InputKind.CHOICE and one.choices is not None:
            return "/".join(str(v) for v in one.choices.values)
        return {
            InputKind.DATE: "YYYY-MM-DD",
            InputKind.AMOUNT: "yuan",
            InputKind.RECORD: "id",
        }.get(one.kind, "text")

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
        transitions = offered(chosen)
        transition = transitions.get(options["transition"].replace("-", "_"))
        if transition is None or transition.function is None:
            raise CommandError(
                _("Unknown transition “%(name)s”; choose one of: %(names)s.")
                % {"name": options["transition"], "names": ", ".join(transitions)}
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
            **self._inputs(transition, record, options),
        }
        from_state = state_label(record)
        try:
            transition.function(**kwargs)
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

    def _inputs(
        self, transition: Transition, record: Any, options: dict[str, Any]
    ) -> dict[str, Any]:
        dates = [one.name for one in transition.inputs if one.kind is InputKind.DATE]
        if options["on"]:
            if not dates:
                raise CommandError(_("This transition takes no date (--on)."))
            options = {**options, dates[-1]: options["on"]}
        values: dict[str, Any] = {}
        for one in transition.inputs:
            raw = options.get(one.name)
            if raw is None or raw == "":
                if one.required and one.kind is not InputKind.RECORDS:
                    raise CommandError(
                        _("This transition needs %(option)s.") % {"option": _option(one.name)}
                    )
                continue
            values[one.name] = self._value(one, raw, record)
        return values

    def _value(self, one: Input, raw: Any, record: Any) -> Any:
        if one.kind is InputKind.DATE:
            try:
                return datetime.date.fromisoformat(raw)
            except ValueError as exc:
                raise CommandError(
                    _("%(option)s is not a date (YYYY-MM-DD): %(value)s")
                    % {"option": _option(one.name), "value": raw}
                ) from exc
        if one.kind is InputKind.AMOUNT:
            try:
                return Decimal(raw)
            except InvalidOperation as exc:
                raise CommandError(
                    _("%(option)s is not an amount in yuan: %(value)s")
                    % {"option": _option(one.name), "value": raw}
                ) from exc
        if one.kind is InputKind.CHOICE and one.choices is not None:
            if raw not in one.choices.values:
                raise CommandError(
                    _("%(option)s must be one of: %(values)s.")
                    % {"option": _option(one.name), "values": ", ".join(one.choices.values)}
                )
            return raw
        if one.kind in (InputKind.RECORD, InputKind.RECORDS):
            ids = raw if isinstance(raw, list) else [raw]
            try:
                wanted = {int(i) for i in ids}
            except ValueError as exc:
                raise CommandError(
                    _("%(option)s takes ids (numbers).") % {"option": _option(one.name)}
                ) from exc
            found = list(one.queryset().filter(pk__in=wanted))
            if len(found) != len(wanted):
                raise CommandError(
                    _("Some of the records given to %(option)s do not exist.")
                    % {"option": _option(one.name)}
                )
            return found if one.kind is InputKind.RECORDS else found[0]
        return raw
