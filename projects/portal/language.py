"""The language of the portal, remembered per user.

The switcher posts to ``set_language`` (Django's view, which sets the language cookie); for a
signed-in user the choice is also kept on their memberships, where it is the language of the
e-mails they receive. At each login the middleware puts the remembered language back in the
cookie, so it follows the user from one browser to another.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from projects.selectors.memberships import remembered_language_for
from projects.workflows.organizations import member_language_set

_KNOWN = {code for code, _name in settings.LANGUAGES}


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if language in _KNOWN and request.user.is_authenticated:
        member_language_set(user=request.user, language=language)
    return response


def _set_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def _remember_at_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    language = remembered_language_for(user=user)
    if language in _KNOWN and request is not None:
        request.portal_language = language  # type: ignore[attr-defined]


user_logged_in.connect(_remember_at_login, dispatch_uid="portal-remembered-language")


class RememberedLanguageMiddleware:
    """After a login (any login form: the portal's, the back office's), the user's
    remembered language goes into the cookie of the response, so the page after it is in
    that language. Costs nothing on other requests."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        language = getattr(request, "portal_language", None)
        if language:
            _set_cookie(response, language)
        return response
