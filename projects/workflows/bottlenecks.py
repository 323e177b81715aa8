"""Industrial-chain bottlenecks: ``identified`` → ``targeted`` (an approved project addresses
it) → ``resolved`` (a completed project's acceptance says so) | ``dropped``.

Approving and completing a project move its bottlenecks through here; reviewers can also act
on a bottleneck directly (a project linked to it after its approval, a resolution recognised
after the acceptance, a bottleneck no longer pursued).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects import clock
from projects.models import Bottleneck, IndustrialChain, Pole, ResearchProject

from ._core import (
    Input,
    InputKind,
    Transition,
    authorize,
    begin,
    check_choices,
    check_event_date,
    check_state,
    create,
    event_day,
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


def _projects_under_way(bottleneck: Bottleneck) -> models.QuerySet[ResearchProject]:
    return bottleneck.projects.filter(state__in=PROJECT_UNDER_WAY)


def _completed_projects(bottleneck: Bottleneck) -> models.QuerySet[ResearchProject]:
    return bottleneck.projects.filter(state=P.COMPLETED)


IDENTIFY = Transition(
    "identify",
    gettext_lazy("identify"),
    states(),
    S.IDENTIFIED,
    "projects.add_bottleneck",
    inputs=(
        Input("title", gettext_lazy("title"), InputKind.TEXT),
        Input(
            "industrial_chain",
            gettext_lazy("industrial chain"),
            InputKind.CHOICE,
            choices=IndustrialChain,
        ),
        Input("pole", gettext_lazy("innovation pole"), InputKind.CHOICE, choices=Pole),
        Input("description", gettext_lazy("description"), InputKind.LONG_TEXT, required=False),
        Input(
            "resolution_criteria",
            gettext_lazy("resolution criteria"),
            InputKind.LONG_TEXT,
            required=False,
        ),
        event_day("identified_on", gettext_lazy("identified on")),
    ),
)
TARGET = Transition(
    "target",
    gettext_lazy("mark as targeted"),
    states(S.IDENTIFIED),
    S.TARGETED,
    _PERMISSION,
    inputs=(
        Input(
            "project",
            gettext_lazy("project that addresses it"),
            InputKind.RECORD,
            model=ResearchProject,
            options=_projects_under_way,
        ),
    ),
)
RESOLVE = Transition(
    "resolve",
    gettext_lazy("mark as resolved"),
    states(S.TARGETED),
    S.RESOLVED,
    _PERMISSION,
    inputs=(
        Input(
            "project",
            gettext_lazy("project that resolved it"),
            InputKind.RECORD,
            model=ResearchProject,
            options=_completed_projects,
        ),
        event_day("resolved_on", gettext_lazy("resolved on")),
    ),
)
DROP = Transition(
    "drop", gettext_lazy("drop"), states(S.IDENTIFIED, S.TARGETED), S.DROPPED, _PERMISSION
)

# Project states in which the project is approved and still running.
PROJECT_UNDER_WAY = (P.APPROVED, P.IN_PROGRESS, P.ACCEPTANCE_REVIEW, P.RECTIFICATION)


def _require_addressed(bottleneck: Bottleneck, project: ResearchProject) -> None:
    if not project.bottlenecks.filter(pk=bottleneck.pk).exists():
        raise RuleViolation(
            _("The project “%(project)s” does not address the bottleneck “%(bottleneck)s”.")
            % {"project": project, "bottleneck": bottleneck}
        )


@transaction.atomic
def bottleneck_identify(
    *,
    actor: Actor,
    title: str,
    industrial_chain: str,
    pole: str,
    description: str = "",
    resolution_criteria: str = "",
    identified_on: datetime.date | None = None,
    comment: str = "",
) -> Bottleneck:
    bottleneck = Bottleneck(
        title=title,
        industrial_chain=industrial_chain,
        pole=pole,
        description=description,
        resolution_criteria=resolution_criteria,
        identified_on=identified_on or clock.today(),
    )
    authorize(IDENTIFY, bottleneck, actor)
    check_choices(IDENTIFY, {"industrial_chain": industrial_chain, "pole": pole})
    check_event_date(bottleneck.identified_on, label=_("identification date"))
    create(IDENTIFY, bottleneck, actor=actor, comment=comment)
    return bottleneck


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
    resolved_on = resolved_on or project.completed_on or clock.today()
    check_event_date(
        resolved_on,
        label=_("resolution date"),
        after=bottleneck.identified_on,
        after_label=_("identification date"),
    )
    resolve_for_project(
        bottleneck,
        project=project,
        resolved_on=resolved_on,
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


TRANSITIONS = table(
    IDENTIFY.performed_by(bottleneck_identify),
    TARGET.performed_by(bottleneck_target),
    RESOLVE.performed_by(bottleneck_resolve),
    DROP.performed_by(bottleneck_drop),
)
