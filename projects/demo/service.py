"""Seeding and resetting the demo database."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q

from projects.models import (
    Bottleneck,
    Certification,
    FundingAllocation,
    InnovationPlatform,
    Membership,
    NeedApplication,
    NeedAttachment,
    NeedIndicator,
    Notification,
    Organization,
    ProjectParticipant,
    ResearchProject,
    TechnicalNeed,
    TransferContract,
    TransitionLog,
    YearlyStatistic,
)

from .accounts import (
    DEMO_ACCOUNTS,
    ENTERPRISE_ACCOUNT,
    STAFF_USERNAMES,
    DemoAccount,
    demo_accounts_ensure,
    reviewer_pool_ensure,
)
from .builder import World, world_build, world_counts, world_write

# Children before parents, so no row is left pointing at a deleted one.
RESET_ORDER = (
    TransitionLog,
    Notification,
    NeedApplication,
    NeedIndicator,
    NeedAttachment,
    FundingAllocation,
    ProjectParticipant,
    ResearchProject.bottlenecks.through,
    ResearchProject.needs.through,
    TransferContract,
    TechnicalNeed,
    Bottleneck,
    ResearchProject,
    InnovationPlatform,
    Certification,
    Membership,
    Organization,
    YearlyStatistic,
)


@dataclass
class DemoResult:
    created: bool
    accounts: tuple[DemoAccount, ...] = DEMO_ACCOUNTS
    organisation: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def demo_is_present() -> bool:
    """The demo is there when its enterprise account belongs to an organisation."""
    return Membership.objects.filter(user__username=ENTERPRISE_ACCOUNT.username).exists()


def demo_seed(*, scale: float = 1.0) -> DemoResult:
    """Build the demo data set in one transaction; if it is already there, only restore the
    demo accounts' passwords (so the printed ones work) and change nothing else."""
    if scale <= 0:
        raise ValueError("the scale must be positive")
    started = time.perf_counter()
    with transaction.atomic():
        users = demo_accounts_ensure()
        if demo_is_present():
            return DemoResult(created=False, organisation=_showcase_name(), seconds=_since(started))
        world = World(
            scale=scale,
            reviewers=reviewer_pool_ensure(),
            demo_reviewer=users["reviewer"].pk,
            demo_member=users["enterprise"].pk,
        )
        world_build(world)
        world_write(world)
        assert world.showcase is not None
        return DemoResult(
            created=True,
            organisation=world.showcase.name,
            counts=world_counts(world),
            seconds=_since(started),
        )


def demo_reset() -> None:
    """Delete every record of the projects app except the indicator runs, and the demo's users
    (the three accounts, the reviewers, the portal members of the organisations deleted).

    Meant for a demo database: whatever else was entered there goes too. Superusers stay.
    """
    user_model = get_user_model()
    with transaction.atomic():
        demo_users = list(
            user_model._default_manager.filter(is_superuser=False)
            .filter(Q(username__in=STAFF_USERNAMES) | Q(memberships__isnull=False))
            .values_list("pk", flat=True)
            .distinct()
        )
        # Whole tables, children before parents: Django's delete would load every
        # organisation and look up each of its relations, about 40 s for the demo's 85,000.
        with connection.cursor() as cursor:
            for model in RESET_ORDER:
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a model's own table
        for start in range(0, len(demo_users), 900):
            user_model._default_manager.filter(pk__in=demo_users[start : start + 900]).delete()


def _showcase_name() -> str:
    membership = (
        Membership.objects.filter(user__username=ENTERPRISE_ACCOUNT.username)
        .select_related("organization")
        .first()
    )
    return membership.organization.name if membership else ""


def _since(started: float) -> float:
    return time.perf_counter() - started
