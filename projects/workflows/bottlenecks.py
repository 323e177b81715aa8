"""Industrial-chain bottlenecks: ``identified`` → ``targeted`` (an approved project addresses
it) → ``resolved`` (a completed project's acceptance says so) | ``dropped``.

Approving and completing a project move its bottlenecks through here; reviewers can also act
on a bottleneck directly (a project linked to it after its approval, a resolution recognised
after the acceptance, a bottleneck no longer pursued).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.models import Bottleneck, ResearchProject

from ._core import (
    Transition,
    begin,
    check_state,
    move,
    state_label,
    states,
    table,
)
from ._effects import refresh_indicators_on_commit
from .errors import RuleViolation

if TYPE_CHECKING:
    from ._core import Actor

S = Bottleneck.State
P = ResearchProject.State
_PERMISSION = "projects.assess_bottleneck"

TARGET = Transition(
    "target", gettext_lazy("mark as targeted"), states(S.IDENTIFIED), S.TARGETED, _PERMISSION
)
RESOLVE = Transition(
    "resolve", gettext_lazy("mark as resolved"), states(S.TARGETED), S.RESOLVED, _PERMISSION
)
DROP = Transition(
    "drop", gettext_lazy("drop"), states(S.IDENTIFIED, S.TARGETED), S.DROPPED, _PERMISSION
)
TRANSITIONS = table(TARGET, RESOLVE, DROP)

# Project states in which the project is approved and still running.
PROJECT_UNDER_WAY = (P.APPROVED, P.IN_PROGRESS, P.ACCEPTANCE_REVIEW, P.RECTIFICATION)


def _require_addressed(bottleneck: Bottleneck, project: ResearchProject) -> None:
    if not project.bottlenecks.filter(pk=bottleneck.pk).exists():
        raise RuleViolation(
            _("The project “%(project)s” does not address the bottleneck “%(bottleneck)s”.")
            % {"project": project, "bottleneck": bottleneck}
        )


@transaction.atomic
def bottleneck_target(
    *, bottleneck: Bottleneck, actor: Actor, project: ResearchProject, comment: str = ""
) -> Bottleneck:
    begin(TARGET, bottleneck, actor)
    if project.state not in PROJECT_UNDER_WAY:
        raise RuleViolation(
            _("Only a project under way targets a bottleneck; “%(project)s” is %(state)s.")
            % {"project": project, "state": state_label(project)}
        )
    _require_addressed(bottleneck, project)
    target_for_project(bottleneck, actor=actor, comment=comment)
    return bottleneck


def target_for_project(bottleneck: Bottleneck, *, actor: Actor, comment: str = "") -> None:
    """The locked bottleneck is now addressed by an approved project."""
    check_state(TARGET, bottleneck)
    move(TARGET, bottleneck, actor=actor, comment=comment)


@transaction.atomic
def bottleneck_resolve(
    *,
    bottleneck: Bottleneck,
    actor: Actor,
    project: ResearchProject,
    comment: str = "",
    resolved_on: datetime.date | None = None,
) -> Bottleneck:
    """Recognise that a completed project resolved the bottleneck (normally recorded by
    ``project_complete``; this is for a resolution established later)."""
    begin(RESOLVE, bottleneck, actor)
    if project.state != P.COMPLETED:
        raise RuleViolation(
            _("Only a completed project resolves a bottleneck; “%(project)s” is %(state)s.")
            % {"project": project, "state": state_label(project)}
        )
    _require_addressed(bottleneck, project)
    resolve_for_project(
        bottleneck,
        project=project,
        resolved_on=resolved_on or project.completed_on or timezone.localdate(),
        actor=actor,
        comment=comment,
    )
    refresh_indicators_on_commit()
    return bottleneck


def resolve_for_project(
    bottleneck: Bottleneck,
    *,
    project: ResearchProject,
    resolved_on: datetime.date,
    actor: Actor,
    comment: str = "",
) -> None:
    """The locked bottleneck was resolved by ``project`` on ``resolved_on``; the caller asks
    for the indicator refresh (once, however many bottlenecks it resolves)."""
    check_state(RESOLVE, bottleneck)
    bottleneck.resolved_on = resolved_on
    bottleneck.resolved_by = project
    move(
        RESOLVE,
        bottleneck,
        actor=actor,
        comment=comment,
        fields=["resolved_on", "resolved_by"],
    )


@transaction.atomic
def bottleneck_drop(*, bottleneck: Bottleneck, actor: Actor, comment: str = "") -> Bottleneck:
    begin(DROP, bottleneck, actor)
    move(DROP, bottleneck, actor=actor, comment=comment)
    return bottleneck
