"""Organisations: ``pending`` → ``verified`` | ``rejected``, decided by reviewers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from projects.models import Organization

from ._core import Transition, begin, move, states, table
from ._effects import refresh_indicators_on_commit

if TYPE_CHECKING:
    from ._core import Actor

S = Organization.State
_PERMISSION = "projects.verify_organization"

VERIFY = Transition("verify", _("verify"), states(S.PENDING), S.VERIFIED, _PERMISSION)
REJECT = Transition("reject", _("reject"), states(S.PENDING), S.REJECTED, _PERMISSION)
TRANSITIONS = table(VERIFY, REJECT)


@transaction.atomic
def organization_verify(
    *, organization: Organization, actor: Actor, comment: str = ""
) -> Organization:
    begin(VERIFY, organization, actor)
    move(VERIFY, organization, actor=actor, comment=comment)
    # Verified organisations count in the indicators (certifications, enterprise shares).
    refresh_indicators_on_commit()
    return organization


@transaction.atomic
def organization_reject(
    *, organization: Organization, actor: Actor, comment: str = ""
) -> Organization:
    begin(REJECT, organization, actor)
    move(REJECT, organization, actor=actor, comment=comment)
    return organization
