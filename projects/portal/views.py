"""The enterprise portal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from projects.selectors.memberships import organizations_for
from projects.selectors.needs import need_list_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # ``own``: the home page shows the user's organisations' work, even to a staff member
    # whose permissions would open every need.
    organizations = list(organizations_for(user=request.user))
    needs = list(need_list_for(user=request.user, own=True)[:50])
    return render(
        request,
        "portal/home.html",
        {"organizations": organizations, "needs": needs},
    )
