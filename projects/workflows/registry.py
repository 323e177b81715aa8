"""Every state machine by name, read from the transition tables of the workflow modules.

The admin's buttons, the portal's action forms, the API's transition endpoints and the
``transition`` command all ask here, so a transition added to a table appears everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from projects.models import (
    Bottleneck,
    NeedApplication,
    Organization,
    ResearchProject,
    TechnicalNeed,
    TransferContract,
)

from . import applications, bottlenecks, contracts, needs, organizations, research
from ._core import Transition

if TYPE_CHECKING:
    from projects.selectors.memberships import Viewer


@dataclass(frozen=True)
class Machine:
    # Also the keyword its transition functions take the record by (need=..., contract=...).
    name: str
    model: type[models.Model]
    transitions: dict[str, Transition]

    @property
    def creation(self) -> Transition:
        [creation] = [t for t in self.transitions.values() if t.creates]
        return creation

    @property
    def on_records(self) -> dict[str, Transition]:
        """The transitions taken on an existing record (all but the creation)."""
        return {name: t for name, t in self.transitions.items() if not t.creates}

    @property
    def functions(self) -> dict[str, Callable[..., Any]]:
        return {name: t.function for name, t in self.on_records.items() if t.function}


MACHINES: dict[str, Machine] = {
    machine.name: machine
    for machine in (
        Machine("organization", Organization, organizations.TRANSITIONS),
        Machine("need", TechnicalNeed, needs.TRANSITIONS),
        Machine("application", NeedApplication, applications.TRANSITIONS),
        Machine("project", ResearchProject, research.TRANSITIONS),
        Machine("bottleneck", Bottleneck, bottlenecks.TRANSITIONS),
        Machine("contract", TransferContract, contracts.TRANSITIONS),
    )
}
_BY_MODEL = {machine.model: machine for machine in MACHINES.values()}

ALIASES = {"organisation": "organization", "org": "organization", "transfercontract": "contract"}


def machine(name: str) -> Machine:
    key = name.lower().replace("-", "_")
    return MACHINES[ALIASES.get(key, key)]


def machine_of(record: models.Model | type[models.Model]) -> Machine:
    model = record if isinstance(record, type) else type(record)
    return _BY_MODEL[model]


def available_transitions(*, user: Viewer, record: models.Model) -> list[Transition]:
    """The transitions ``user`` may take on ``record`` now, in the table's order: its state
    is a source and the user holds the permission or the membership. A domain rule may
    still refuse one when it is taken (too few indicators, a date out of order)."""
    return [
        transition
        for transition in machine_of(record).on_records.values()
        if transition.applies_to(record) and transition.allows(user, record)
    ]


def transition_label(*, model: type[models.Model], name: str) -> str:
    """A logged transition's name as people read it (its button label), in the active
    language; a name the table no longer has is shown as it was logged."""
    transition = machine_of(model).transitions.get(name)
    return capfirst(str(transition.button_label)) if transition else name


def state_label_of(*, model: type[models.Model], state: str) -> str:
    """A state value of ``model`` as people read it, in the active language."""
    return str(dict(_state_choices(model)).get(state, state))


def _state_choices(model: type[models.Model]) -> Any:
    [state] = [f for f in model._meta.concrete_fields if f.name == "state"]
    return state.flatchoices


def changes_shown(
    *, model: type[models.Model], changes: dict[str, list[Any]]
) -> list[tuple[str, Any, Any]]:
    """A correction's changes as (what changed, old value, new value), what changed by the
    field's name in the active language."""
    fields = {f.name: f.verbose_name for f in model._meta.concrete_fields}
    labels = {**_CHANGE_LABELS, **fields}
    return [
        (capfirst(str(labels.get(name, name))), old, new) for name, (old, new) in changes.items()
    ]


# What a change names that is not a field of the record (a membership, logged on its
# organisation).
_CHANGE_LABELS = {
    "member": gettext_lazy("member"),
    "membership_request": gettext_lazy("membership request"),
}
