"""Read queries, scoped to what the asking user may see."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from projects.models import Organization, TechnicalNeed


def organizations_of(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Organization]:
    """The organisations ``user`` acts for through a membership."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user)


def needs_visible_to_member(user: AbstractBaseUser | AnonymousUser) -> QuerySet[TechnicalNeed]:
    """The user's own organisations' needs, whatever their state."""
    return TechnicalNeed.objects.filter(proposer__in=organizations_of(user)).order_by("-updated_at")
