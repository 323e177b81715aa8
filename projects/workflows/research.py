"""Research projects: ``proposed`` → ``approved`` → ``in_progress`` → ``acceptance_review`` →
``completed`` | ``rectification`` (once, then back to ``acceptance_review``) | ``failed``;
``terminated`` from any open state.

Approval targets the bottlenecks the project addresses; completion records which of them it
resolved. The lead organisation's members ask for the acceptance review; reviewers do the rest.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects import clock
from projects.models import Bottleneck, Organization, Pole, ResearchProject

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
    lock_all,
    move,
    states,
    table,
)
from ._effects import refresh_indicators_on_commit
from .bottlenecks import RESOLVE, resolve_for_project, target_for_project
from .errors import RuleViolation

if TYPE_CHECKING:
    from ._core import Actor

S = ResearchProject.State
_SUPERVISE = "projects.supervise_researchproject"


def _lead(project: ResearchProject) -> int:
    return project.lead_id


def _addressed(project: ResearchProject) -> models.QuerySet[Bottleneck]:
    return project.bottlenecks.filter(state=Bottleneck.State.TARGETED)


PROPOSE = Transition(
    "propose",
    gettext_lazy("propose"),
    states(),
    S.PROPOSED,
    "projects.add_researchproject",
    inputs=(
        Input("code", gettext_lazy("code"), InputKind.TEXT),
        Input("title", gettext_lazy("title"), InputKind.TEXT),
        Input(
            "programme",
            gettext_lazy("programme"),
            InputKind.CHOICE,
            choices=ResearchProject.Programme,
        ),
        Input("pole", gettext_lazy("innovation pole"), InputKind.CHOICE, choices=Pole),
        Input("lead", gettext_lazy("lead organisation"), InputKind.RECORD, model=Organization),
        Input("start_on", gettext_lazy("start on"), InputKind.DATE, required=False),
        Input("end_on", gettext_lazy("end on"), InputKind.DATE, required=False),
        Input(
            "bottlenecks",
            gettext_lazy("addressed bottlenecks"),
            InputKind.RECORDS,
            required=False,
            model=Bottleneck,
        ),
    ),
)
APPROVE = Transition(
    "approve",
    gettext_lazy("approve"),
    states(S.PROPOSED),
    S.APPROVED,
    _SUPERVISE,
    inputs=(event_day("approved_on", gettext_lazy("approved on")),),
)
START = Transition("start", gettext_lazy("start"), states(S.APPROVED), S.IN_PROGRESS, _SUPERVISE)
REQUEST_ACCEPTANCE = Transition(
    "request_acceptance",
    gettext_lazy("submit for acceptance"),
    states(S.IN_PROGRESS, S.RECTIFICATION),
    S.ACCEPTANCE_REVIEW,
    _SUPERVISE,
    members_of=_lead,
)
COMPLETE = Transition(
    "complete",
    gettext_lazy("accept as completed"),
    states(S.ACCEPTANCE_REVIEW),
    S.COMPLETED,
    _SUPERVISE,
    inputs=(
        Input(
            "resolved_bottlenecks",
            gettext_lazy("bottlenecks the acceptance found resolved"),
            InputKind.RECORDS,
            required=False,
            model=Bottleneck,
            options=_addressed,
        ),
        event_day("completed_on", gettext_lazy("completed on")),
    ),
)
RECTIFY = Transition(
    "rectify",
    gettext_lazy("send to rectification"),
    states(S.ACCEPTANCE_REVIEW),
    S.RECTIFICATION,
    _SUPERVISE,
)
FAIL = Transition(
    "fail", gettext_lazy("fail at acceptance"), states(S.ACCEPTANCE_REVIEW), S.FAILED, _SUPERVISE
)
TERMINATE = Transition(
    "terminate",
    gettext_lazy("terminate"),
    states(S.PROPOSED, S.APPROVED, S.IN_PROGRESS, S.ACCEPTANCE_REVIEW, S.RECTIFICATION),
    S.TERMINATED,
    _SUPERVISE,
)


@transaction.atomic
def project_propose(
    *,
    actor: Actor,
    code: str,
    title: str,
    programme: str,
    pole: str,
    lead: Organization,
    start_on: datetime.date | None = None,
    end_on: datetime.date | None = None,
    bottlenecks: Iterable[Bottleneck] = (),
    comment: str = "",
) -> ResearchProject:
    """Record a proposed project and the bottlenecks it means to address."""
    project = ResearchProject(
        code=code.strip(),
        title=title,
        programme=programme,
        pole=pole,
        lead=lead,
        start_on=start_on,
        end_on=end_on,
    )
    authorize(PROPOSE, project, actor)
    check_choices(PROPOSE, {"programme": programme, "pole": pole})
    if start_on and end_on and end_on < start_on:
        raise RuleViolation(_("A project cannot end before it starts."))
    if ResearchProject.objects.filter(code=project.code).exists():
        raise RuleViolation(
            _("The project code %(code)s is already used.") % {"code": project.code}
        )
    create(PROPOSE, project, actor=actor, comment=comment)
    project.bottlenecks.set(list(bottlenecks))
    return project


@transaction.atomic
def project_approve(
    *,
    project: ResearchProject,
    actor: Actor,
    comment: str = "",
    approved_on: datetime.date | None = None,
) -> ResearchProject:
    """Approve the project; the bottlenecks it addresses that nothing targets yet become
    ``targeted``."""
    begin(APPROVE, project, actor)
    project.approved_on = approved_on or clock.today()
    check_event_date(project.approved_on, label=_("approval date"))
    move(APPROVE, project, actor=actor, comment=comment, fields=["approved_on"])
    identified = project.bottlenecks.filter(state=Bottleneck.State.IDENTIFIED)
    for bottleneck in lock_all(Bottleneck, identified.values_list("pk", flat=True)):
        if bottleneck.state == Bottleneck.State.IDENTIFIED:
            target_for_project(
                bottleneck,
                actor=actor,
                comment=_("Addressed by the approved project %(code)s.") % {"code": project.code},
            )
    refresh_indicators_on_commit()
    return project


@transaction.atomic
def project_start(*, project: ResearchProject, actor: Actor, comment: str = "") -> ResearchProject:
    begin(START, project, actor)
    move(START, project, actor=actor, comment=comment)
    return project


@transaction.atomic
def project_request_acceptance(
    *, project: ResearchProject, actor: Actor, comment: str = ""
) -> ResearchProject:
    begin(REQUEST_ACCEPTANCE, project, actor)
    move(REQUEST_ACCEPTANCE, project, actor=actor, comment=comment)
    return project


@transaction.atomic
def project_complete(
    *,
    project: ResearchProject,
    actor: Actor,
    resolved_bottlenecks: Iterable[Bottleneck],
    comment: str = "",
    completed_on: datetime.date | None = None,
) -> ResearchProject:
    """Accept the project as completed, with the bottlenecks its acceptance found resolved
    (possibly none); those become ``resolved`` on the completion date, by this project."""
    begin(COMPLETE, project, actor)
    completed_on = completed_on or clock.today()
    check_event_date(
        completed_on,
        label=_("completion date"),
        after=project.approved_on,
        after_label=_("approval date"),
    )
    wanted = {b.pk for b in resolved_bottlenecks}
    addressed = set(project.bottlenecks.filter(pk__in=wanted).values_list("pk", flat=True))
    bottlenecks = lock_all(Bottleneck, wanted)
    for bottleneck in bottlenecks:
        if bottleneck.pk not in addressed:
            raise RuleViolation(
                _("The project “%(project)s” does not address the bottleneck “%(bottleneck)s”.")
                % {"project": project, "bottleneck": bottleneck}
            )
        # Refused before anything moves, so a wrong list leaves the project in review.
        check_state(RESOLVE, bottleneck)
        check_event_date(
            completed_on,
            label=_("completion date"),
            after=bottleneck.identified_on,
            after_label=_("day the bottleneck “%(bottleneck)s” was identified")
            % {"bottleneck": bottleneck},
        )
    if len(bottlenecks) != len(wanted):
        raise RuleViolation(_("Some of the resolved bottlenecks do not exist."))
    project.completed_on = completed_on
    move(COMPLETE, project, actor=actor, comment=comment, fields=["completed_on"])
    for bottleneck in bottlenecks:
        resolve_for_project(
            bottleneck,
            project=project,
            resolved_on=completed_on,
            actor=actor,
            comment=_("Resolved by the completed project %(code)s.") % {"code": project.code},
        )
    refresh_indicators_on_commit()
    return project


@transaction.atomic
def project_rectify(
    *, project: ResearchProject, actor: Actor, comment: str = ""
) -> ResearchProject:
    """Send the project back for rectification after a failed acceptance review; allowed once."""
    begin(RECTIFY, project, actor)
    if project.rectification_used:
        raise RuleViolation(
            _(
                "“%(project)s” has already been sent to rectification once: it can now only be "
                "completed or failed."
            )
            % {"project": project}
        )
    project.rectification_used = True
    move(RECTIFY, project, actor=actor, comment=comment, fields=["rectification_used"])
    return project


@transaction.atomic
def project_fail(*, project: ResearchProject, actor: Actor, comment: str = "") -> ResearchProject:
    begin(FAIL, project, actor)
    move(FAIL, project, actor=actor, comment=comment)
    return project


@transaction.atomic
def project_terminate(
    *, project: ResearchProject, actor: Actor, comment: str = ""
) -> ResearchProject:
    begin(TERMINATE, project, actor)
    move(TERMINATE, project, actor=actor, comment=comment)
    refresh_indicators_on_commit()
    return project


TRANSITIONS = table(
    PROPOSE.performed_by(project_propose),
    APPROVE.performed_by(project_approve),
    START.performed_by(project_start),
    REQUEST_ACCEPTANCE.performed_by(project_request_acceptance),
    COMPLETE.performed_by(project_complete),
    RECTIFY.performed_by(project_rectify),
    FAIL.performed_by(project_fail),
    TERMINATE.performed_by(project_terminate),
)
