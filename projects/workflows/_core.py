"""What every state machine shares: the transition table entry, locking, the actor's right
to act, the state check, and the audit row.

A public transition function reads as: lock the row, ``authorize``, ``check_state``, check the
domain rules, ``move`` (which saves and logs), then schedule side effects on commit. Everything
that can refuse runs before anything is changed, so a refusal leaves the record as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _

from projects.models import Membership, TransitionLog

from .errors import InvalidTransition, TransitionNotPermitted

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.utils.functional import Promise

    Actor = User | None

RecordT = TypeVar("RecordT", bound=models.Model)


@dataclass(frozen=True)
class Transition:
    """One row of a state machine's table.

    ``permission`` is the Django permission that lets staff (reviewers) act; ``members_of``
    returns the id of the organisation whose members may act on the record; ``system`` lets
    scheduled jobs act with no user (``actor=None``).
    """

    name: str
    label: Promise | str
    sources: frozenset[str]
    target: str
    permission: str | None = None
    members_of: Callable[[Any], int | None] | None = None
    system: bool = False


def table(*transitions: Transition) -> dict[str, Transition]:
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


def is_member(actor: Actor, organization_id: int | None) -> bool:
    if actor is None or organization_id is None or not actor.is_active:
        return False
    return Membership.objects.filter(user=actor, organization_id=organization_id).exists()


def kind_of(record: models.Model) -> str:
    return str(record._meta.verbose_name)


def state_label(record: models.Model) -> str:
    return str(record.get_state_display())  # type: ignore[attr-defined]


def authorize(transition: Transition, record: models.Model, actor: Actor) -> None:
    if actor is None:
        if transition.system:
            return
        raise TransitionNotPermitted(
            _("Only an identified user may %(action)s this %(kind)s.")
            % {"action": transition.label, "kind": kind_of(record)}
        )
    if actor.is_active:
        if transition.permission and actor.has_perm(transition.permission):
            return
        if transition.members_of and is_member(actor, transition.members_of(record)):
            return
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
    from_state = record.state  # type: ignore[attr-defined]
    record.state = transition.target  # type: ignore[attr-defined]
    update_fields = ["state", *fields]
    if any(f.name == "updated_at" for f in record._meta.concrete_fields):
        update_fields.append("updated_at")
    record.save(update_fields=update_fields)
    return log_transition(
        record=record,
        transition=transition.name,
        from_state=from_state,
        to_state=transition.target,
        actor=actor,
        comment=comment,
    )


def log_transition(
    *,
    record: models.Model,
    transition: str,
    from_state: str,
    to_state: str,
    actor: Actor,
    comment: str = "",
) -> TransitionLog:
    return TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        transition=transition,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        comment=comment,
    )
