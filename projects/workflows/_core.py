"""What every state machine shares: the transition table entry, locking, the actor's right
to act, the state check, and the audit row.

A public transition function reads as: lock the row, ``authorize``, ``check_state``, check the
domain rules, ``move`` (which saves and logs), then schedule side effects on commit. Everything
that can refuse runs before anything is changed, so a refusal leaves the record as it was.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects import clock
from projects.attachments import check_upload
from projects.models import Organization, TransitionLog
from projects.selectors import memberships

from .errors import InvalidTransition, RuleViolation, TransitionNotPermitted

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.utils.functional import Promise

    # Who may be asked what they may do is anyone a request carries (``Viewer``); who acts
    # is a user, or nobody for a scheduled job.
    from projects.selectors.memberships import Viewer

    Actor = User | None

RecordT = TypeVar("RecordT", bound=models.Model)


class InputKind(enum.StrEnum):
    """What a transition's input holds, so a form, an API field or a command option can be
    made for it without knowing the transition."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    CHOICE = "choice"
    DATE = "date"
    AMOUNT = "amount"
    RECORD = "record"
    RECORDS = "records"


@dataclass(frozen=True)
class Input:
    """One argument a transition function takes beyond the record, the actor and the comment.

    ``choices`` lists a ``CHOICE``'s values; ``model`` is the record type of a ``RECORD`` or
    ``RECORDS`` input, and ``options(record)`` narrows the records that may be chosen (the
    bottlenecks a project addresses).
    """

    name: str
    label: Promise | str
    kind: InputKind
    required: bool = True
    help_text: Promise | str = ""
    choices: type[models.Choices] | None = None
    model: type[models.Model] | None = None
    options: Callable[[Any], models.QuerySet[Any]] | None = None

    def queryset(self, record: Any = None) -> models.QuerySet[Any]:
        assert self.model is not None, f"{self.name} holds no records"
        if self.options is not None and record is not None:
            return self.options(record)
        return self.model._default_manager.all()


@dataclass(frozen=True)
class Transition:
    """One row of a state machine's table: everything a caller needs to offer it.

    ``sources`` empty: the transition creates the record in ``target``. ``target`` ``None``:
    the record stays in its state (a logged correction). ``permission`` is the Django
    permission that lets staff act; ``members_of`` returns the id of the organisation whose
    members may act on the record; ``system`` lets scheduled jobs act with no user
    (``actor=None``); ``members_role`` narrows the members to those with that role.
    ``function`` is the workflow function that performs it. ``label`` reads inside a
    sentence ("not allowed to *request supplements for* this contract"); ``button``, where it
    differs, is the label on its own (a button, a page title).
    """

    name: str
    label: Promise | str
    sources: frozenset[str]
    target: str | None
    permission: str | None = None
    members_of: Callable[[Any], int | None] | None = None
    system: bool = False
    members_role: str | None = None
    inputs: tuple[Input, ...] = ()
    button: Promise | str | None = None
    function: Callable[..., Any] | None = field(default=None, compare=False, repr=False)

    @property
    def button_label(self) -> Promise | str:
        return self.button or self.label

    @property
    def creates(self) -> bool:
        return not self.sources

    def performed_by(self, function: Callable[..., Any]) -> Transition:
        return replace(self, function=function)

    def allows(self, actor: Viewer, record: Any) -> bool:
        """Whether ``actor`` may take this transition on ``record`` (its state aside)."""
        if actor is None:
            return self.system
        if not actor.is_active:
            return False
        if self.permission and actor.has_perm(self.permission):
            return True
        return bool(
            self.members_of and is_member(actor, self.members_of(record), role=self.members_role)
        )

    def applies_to(self, record: Any) -> bool:
        return not self.creates and record.state in self.sources


def event_day(name: str, label: Promise | str) -> Input:
    """The day an event happened, when it was not today (left out, it is today)."""
    return Input(
        name, label, InputKind.DATE, required=False, help_text=gettext_lazy("Left empty: today.")
    )


def table(*transitions: Transition) -> dict[str, Transition]:
    missing = [t.name for t in transitions if t.function is None]
    assert not missing, f"transitions without a function: {missing}"
    return {t.name: t for t in transitions}


def states(*values: str) -> frozenset[str]:
    return frozenset(values)


def lock(record: RecordT) -> RecordT:
    """Reload ``record`` under a row lock, in place, and return it.

    Two reviewers acting at once both reach this line; the second waits here until the first
    commits, then sees the state the first one left, so ``check_state`` refuses it. (SQLite
    has no row locks: the settings open every transaction with ``BEGIN IMMEDIATE``, which
    serialises writers the same way.)
    """
    manager = type(record)._default_manager
    record.refresh_from_db(from_queryset=manager.select_for_update())
    return record


def lock_all(model: type[RecordT], pks: Iterable[int]) -> list[RecordT]:
    """Lock several rows of one table, always in primary-key order, so two transactions that
    lock overlapping sets cannot deadlock."""
    return list(model._default_manager.select_for_update().filter(pk__in=list(pks)).order_by("pk"))


def is_member(actor: Viewer, organization_id: int | None, *, role: str | None = None) -> bool:
    # The same rule the selectors read with, so acting and seeing never disagree.
    return memberships.is_member(user=actor, organization_id=organization_id, role=role)


def kind_of(record: models.Model) -> str:
    return str(record._meta.verbose_name)


def state_label(record: models.Model) -> str:
    return str(record.get_state_display())  # type: ignore[attr-defined]


def authorize(transition: Transition, record: models.Model, actor: Viewer) -> None:
    if transition.allows(actor, record):
        return
    if actor is None:
        raise TransitionNotPermitted(
            _("Only an identified user may %(action)s this %(kind)s.")
            % {"action": transition.label, "kind": kind_of(record)}
        )
    # Deliberately no title: the actor may be an outsider who must not learn about the record.
    raise TransitionNotPermitted(
        _("You are not allowed to %(action)s this %(kind)s.")
        % {"action": transition.label, "kind": kind_of(record)}
    )


def check_state(transition: Transition, record: models.Model) -> None:
    if record.state not in transition.sources:  # type: ignore[attr-defined]
        raise InvalidTransition(
            _("Cannot %(action)s the %(kind)s “%(record)s”: it is %(state)s.")
            % {
                "action": transition.label,
                "kind": kind_of(record),
                "record": record,
                "state": state_label(record),
            }
        )


def begin(transition: Transition, record: models.Model, actor: Actor) -> None:
    """Lock ``record``, then refuse unless ``actor`` may act and the state allows it."""
    lock(record)
    authorize(transition, record, actor)
    check_state(transition, record)


def create(
    transition: Transition, record: models.Model, *, actor: Actor, comment: str = ""
) -> TransitionLog:
    """Save a new record in the transition's target state and log its creation."""
    assert transition.target is not None
    record.state = transition.target  # type: ignore[attr-defined]
    record.save()
    return log_transition(
        record=record,
        transition=transition.name,
        from_state="",
        to_state=transition.target,
        actor=actor,
        comment=comment,
    )


def move(
    transition: Transition,
    record: models.Model,
    *,
    actor: Actor,
    comment: str = "",
    fields: Iterable[str] = (),
) -> TransitionLog:
    """Set the target state, save it with ``fields``, and write the audit row."""
    assert transition.target is not None
    from_state = record.state  # type: ignore[attr-defined]
    record.state = transition.target  # type: ignore[attr-defined]
    _save(record, ["state", *fields])
    return log_transition(
        record=record,
        transition=transition.name,
        from_state=from_state,
        to_state=transition.target,
        actor=actor,
        comment=comment,
    )


def correct(
    transition: Transition,
    record: models.Model,
    *,
    actor: Actor,
    comment: str = "",
    values: dict[str, Any],
    derived: Iterable[str] = (),
    derive: Callable[[], None] | None = None,
) -> dict[str, list[Any]]:
    """Change facts of ``record`` without moving its state; log each old and new value.

    ``values`` maps field names to their new values; those equal to the current ones are
    left out, and nothing left is refused, so the timeline has no empty entries. ``derive``
    then recomputes the ``derived`` fields (a due date), which are saved and logged too when
    they moved. Returns the changes: field name → [old, new].
    """
    changes: dict[str, list[Any]] = {}
    for name, new in values.items():
        old = getattr(record, name)
        if old != new:
            changes[name] = [_shown(old), _shown(new)]
            setattr(record, name, new)
    if not changes:
        raise InvalidTransition(_("Nothing would change: every value is the one recorded."))
    before = {name: getattr(record, name) for name in derived}
    if derive is not None:
        derive()
    for name, old in before.items():
        if getattr(record, name) != old:
            changes[name] = [_shown(old), _shown(getattr(record, name))]
    _save(record, changes)
    state = record.state  # type: ignore[attr-defined]
    log_transition(
        record=record,
        transition=transition.name,
        from_state=state,
        to_state=state,
        actor=actor,
        comment=comment,
        changes=changes,
    )
    return changes


def check_event_date(
    day: datetime.date,
    *,
    label: Promise | str,
    after: datetime.date | None = None,
    after_label: Promise | str = "",
) -> None:
    """Refuse an event date in the future or before the record's previous event, saying
    which date and why."""
    today = clock.today()
    if day > today:
        raise RuleViolation(
            _("The %(date_label)s (%(date)s) cannot be in the future: today is %(today)s.")
            % {"date_label": label, "date": date_format(day), "today": date_format(today)}
        )
    if after is not None and day < after:
        raise RuleViolation(
            _("The %(date_label)s (%(date)s) cannot be before the %(earlier_label)s (%(earlier)s).")
            % {
                "date_label": label,
                "date": date_format(day),
                "earlier_label": after_label,
                "earlier": date_format(after),
            }
        )


def check_choices(transition: Transition, values: Mapping[str, Any]) -> None:
    """Refuse a value of a choice input of ``transition`` that is not one of its choices (a
    blank one is refused only where the input is required)."""
    for one in transition.inputs:
        if one.kind is not InputKind.CHOICE or one.name not in values:
            continue
        assert one.choices is not None
        value = values[one.name]
        if value in one.choices.values or (value in ("", None) and not one.required):
            continue
        raise RuleViolation(
            _("“%(value)s” is not a choice for the %(input)s: choose one of %(choices)s.")
            % {
                "value": value,
                "input": one.label,
                "choices": ", ".join(str(v) for v in one.choices.values),
            }
        )


def require_verified(organization: Organization, *, action: Promise | str) -> None:
    """Only a verified organisation acts in the bureau's procedures: say so, and why."""
    if organization.state != Organization.State.VERIFIED:
        raise RuleViolation(
            _(
                "“%(organization)s” is %(state)s: only a verified organisation can "
                "%(action)s. The bureau verifies new organisations first."
            )
            % {"organization": organization, "state": state_label(organization), "action": action}
        )


def require_accepted_file(file: Any) -> None:
    """An attachment is a document the bureau accepts (``projects.attachments.check_upload``);
    its refusal, said as the workflows say theirs."""
    try:
        check_upload(file)
    except ValidationError as error:
        raise RuleViolation(" ".join(error.messages)) from None


def _save(record: models.Model, fields: Iterable[str]) -> None:
    update_fields = list(dict.fromkeys(fields))
    if any(f.name == "updated_at" for f in record._meta.concrete_fields):
        update_fields.append("updated_at")
    record.save(update_fields=update_fields)


def _shown(value: Any) -> Any:
    """A value as the timeline keeps it (JSON): a record by its name, dates in ISO form,
    amounts as exact decimal text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def log_transition(
    *,
    record: models.Model,
    transition: str,
    from_state: str,
    to_state: str,
    actor: Actor,
    comment: str = "",
    changes: dict[str, list[Any]] | None = None,
) -> TransitionLog:
    return TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        transition=transition,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        comment=comment,
        changes=changes or {},
    )
