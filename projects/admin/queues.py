"""What waits for the user on the back office's index: for each decision the user's role takes,
how many records wait for it, each linked to the list filtered to them.

Counted through the selectors (what the user sees), one query per queue; each is served by an
index on the state (and the due date for the registration clock).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from projects import clock
from projects.models import (
    NeedApplication,
    Organization,
    ResearchProject,
    TechnicalNeed,
    TransferContract,
)
from projects.selectors.applications import application_list_for
from projects.selectors.contracts import contract_list_for
from projects.selectors.needs import need_list_for
from projects.selectors.organizations import organization_list_for
from projects.selectors.projects import project_list_for
from projects.workdays import add_working_days

if TYPE_CHECKING:
    import datetime

# Contracts whose registration is due within this many working days are "due soon".
DUE_SOON_WORKING_DAYS = 3


@dataclass(frozen=True)
class Queue:
    label: str
    count: int
    url: str
    # Late work: shown first and marked, in words as well as colour.
    urgent: bool = False


def due_soon_until(today: datetime.date | None = None) -> datetime.date:
    """The last day a registration counted as due soon may fall on."""
    day, _provisional = add_working_days(today or clock.today(), DUE_SOON_WORKING_DAYS)
    return day


def _link(model: type[Any], **query: str) -> str:
    opts = model._meta
    return f"{reverse(f'admin:{opts.app_label}_{opts.model_name}_changelist')}?{urlencode(query)}"


def _queue(label: str, rows: QuerySet[Any], url: str, *, urgent: bool = False) -> Queue:
    return Queue(label=label, count=rows.order_by().count(), url=url, urgent=urgent)


def queues_for(*, user: Any) -> list[Queue]:
    queues: list[Queue] = []
    if user.has_perm("projects.verify_organization"):
        queues.append(
            _queue(
                _("Organisations to verify"),
                organization_list_for(user=user).filter(state=Organization.State.PENDING),
                _link(Organization, state__exact=Organization.State.PENDING),
            )
        )
    if user.has_perm("projects.review_technicalneed"):
        needs = need_list_for(user=user)
        for state, label in (
            (TechnicalNeed.State.SUBMITTED, _("Technical needs submitted, to review")),
            (TechnicalNeed.State.IN_REVIEW, _("Technical needs in review")),
        ):
            queues.append(
                _queue(label, needs.filter(state=state), _link(TechnicalNeed, state__exact=state))
            )
    if user.has_perm("projects.review_needapplication"):
        queues.append(
            _queue(
                _("Applications submitted"),
                application_list_for(user=user).filter(state=NeedApplication.State.SUBMITTED),
                _link(NeedApplication, state__exact=NeedApplication.State.SUBMITTED),
            )
        )
    if user.has_perm("projects.register_transfercontract"):
        today = clock.today()
        submitted = contract_list_for(user=user).filter(state=TransferContract.State.SUBMITTED)
        queues += [
            _queue(
                _("Contracts overdue for registration"),
                submitted.filter(registration_due_on__lt=today),
                _link(TransferContract, clock="overdue"),
                urgent=True,
            ),
            _queue(
                _("Contracts due within %(days)d working days") % {"days": DUE_SOON_WORKING_DAYS},
                submitted.filter(registration_due_on__range=(today, due_soon_until(today))),
                _link(TransferContract, clock="due_soon"),
                urgent=True,
            ),
            _queue(
                _("Contracts submitted, to register"),
                submitted,
                _link(TransferContract, state__exact=TransferContract.State.SUBMITTED),
            ),
        ]
    if user.has_perm("projects.supervise_researchproject"):
        projects = project_list_for(user=user)
        for project_state, label in (
            (ResearchProject.State.PROPOSED, _("Projects proposed, to approve")),
            (ResearchProject.State.ACCEPTANCE_REVIEW, _("Projects awaiting acceptance")),
        ):
            queues.append(
                _queue(
                    label,
                    projects.filter(state=project_state),
                    _link(ResearchProject, state__exact=project_state),
                )
            )
    return queues
