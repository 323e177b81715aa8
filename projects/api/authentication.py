"""Token authentication: ``Authorization: Bearer <key>`` (or ``Token <key>``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import Permission
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme as _SpectacularSessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from .models import ApiToken, digest

# Writing ``last_used_at`` on every request would make each read a write; once a minute is
# enough to tell a user which token is still in use.
_TOUCH_EVERY = datetime.timedelta(minutes=1)


def load_permissions(user: Any) -> None:
    """Read a staff member's permissions in one query (Django's backend takes two: the user's
    own, then their groups'), into the cache ``user.has_perm`` reads.

    Only staff: the selectors ask an enterprise account for no permission, so it is spared the
    query. Superusers hold every permission without one.
    """
    if not (user.is_active and user.is_staff) or user.is_superuser or hasattr(user, "_perm_cache"):
        return
    columns = ("content_type__app_label", "codename")
    own = Permission.objects.filter(user=user).order_by().values_list(*columns)
    of_groups = Permission.objects.filter(group__user=user).order_by().values_list(*columns)
    user._perm_cache = {f"{app}.{codename}" for app, codename in own.union(of_groups)}


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication (CSRF checks included), with the permissions read at once."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        found = super().authenticate(request)
        if found is not None:
            load_permissions(found[0])
        return found


class TokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header holds one token."))
        try:
            key = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from None
        token = (
            ApiToken.objects.active().select_related("user").filter(key_digest=digest(key)).first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This token is not valid or was revoked."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        load_permissions(token.user)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "projects.api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A key from POST /api/v1/tokens/, sent as `Authorization: Bearer <key>`."
            ),
        }


class SessionScheme(_SpectacularSessionScheme):
    target_class = "projects.api.authentication.SessionAuthentication"
