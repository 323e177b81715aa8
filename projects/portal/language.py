"""The language of the portal, remembered per user.

The switcher posts to ``set_language`` (Django's view, which sets the language cookie); for a
signed-in user the choice is also kept on their memberships, where it is the language of the
e-mails they receive. At the first request of each signed-in session the middleware puts the
remembered language back in the cookie, so it follows the user from one browser to another.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from projects.selectors.memberships import remembered_language_for
from projects.workflows.organizations import member_language_set

_APPLIED = "portal_language_applied"
_KNOWN = {code for code, _name in settings.LANGUAGES}


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if language in _KNOWN and request.user.is_authenticated:
        member_language_set(user=request.user, language=language)
        request.session[_APPLIED] = True
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


class RememberedLanguageMiddleware:
    """After a login, the user's remembered language: the redirect that follows the login
    already carries it, and the page after it is in that language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.session.get(_APPLIED):
            return response
        request.session[_APPLIED] = True
        language = remembered_language_for(user=user)
        if language in _KNOWN and language != translation.get_language():
            _set_cookie(response, language)
        return response
