"""The enterprise portal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from projects import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    organizations = list(selectors.organizations_of(request.user))
    needs = list(selectors.needs_visible_to_member(request.user)[:50])
    return render(
        request,
        "portal/home.html",
        {"organizations": organizations, "needs": needs},
    )
