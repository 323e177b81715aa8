"""Who may use the report pages: permissions, never group names.

Reading needs ``projects.view_indicatorvalue``; starting a recompute
``projects.add_indicatorrun``; publishing ``projects.publish_indicators`` (superusers hold
all three). Anyone else signed in gets 403 (the whole surface is refused, DESIGN §7);
anonymous visitors are sent to the login page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from projects.indicators.publication import PUBLISH_PERMISSION
from projects.indicators.scheduling import START_PERMISSION

READ_PERMISSION = "projects.view_indicatorvalue"

View = Callable[..., HttpResponseBase]


def _requiring(*permissions: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (user.is_active and user.has_perms(permissions)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


reader_required = _requiring(READ_PERMISSION)
recompute_required = _requiring(READ_PERMISSION, START_PERMISSION)
publisher_required = _requiring(READ_PERMISSION, PUBLISH_PERMISSION)


def can_recompute(user: Any) -> bool:
    return bool(user.is_active and user.has_perm(START_PERMISSION))
