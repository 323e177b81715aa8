"""What every visibility rule shares: the staff permission that opens a whole record type,
and the lookup of one record that refuses without telling why."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet

from .errors import RecordNotFound

if TYPE_CHECKING:
    from .memberships import Viewer

ModelT = TypeVar("ModelT", bound=models.Model)


def sees_all(*, user: Viewer, model: type[models.Model]) -> bool:
    """Staff see every record of ``model`` with its view permission, and nothing of it
    without (superusers hold every permission).

    Only staff: an enterprise account given a stray permission still sees through its
    memberships alone, and the portal's pages skip the permission lookup for them.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if not (user.is_staff or user.is_superuser):
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


def scoped(
    queryset: QuerySet[ModelT], *, user: Viewer, members_see: Q, own: bool = False
) -> QuerySet[ModelT]:
    """``queryset`` cut to what ``user`` sees: everything with the staff permission, else
    the rows ``members_see`` (a condition over the user's organisations).

    ``own`` ignores the staff permission: the records of the user's own organisations, for
    pages such as the portal's home that show a member's work even to a staff member.
    """
    if not own and sees_all(user=user, model=queryset.model):
        return queryset
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    return queryset.filter(members_see)


def get_or_not_found(queryset: QuerySet[ModelT], *, pk: Any) -> ModelT:
    """The row of ``queryset`` with ``pk``, or ``RecordNotFound`` whether it is missing,
    hidden, or ``pk`` is not even a valid id (a URL may carry anything)."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise RecordNotFound(queryset.model) from None
