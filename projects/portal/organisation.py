"""The home page and "my organisation": its details and members (with the requests to join
for its administrators), its needs (filtered by state), applications, projects and contracts.
Each list is one page of rows, read with a fixed number of queries whatever their number."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from projects.models import MembershipRequest, Organization, TechnicalNeed
from projects.selectors.applications import application_list_for
from projects.selectors.contracts import contract_list_for
from projects.selectors.memberships import (
    membership_request_for,
    membership_requests_for,
    organizations_for,
)
from projects.selectors.needs import need_list_for
from projects.selectors.organizations import organization_members_for
from projects.selectors.projects import project_list_for
from projects.workflows.organizations import APPROVE_MEMBERSHIP, REFUSE_MEMBERSHIP

PER_PAGE = 20

SECTIONS = {
    "needs": gettext_lazy("Technical needs"),
    "applications": gettext_lazy("Applications"),
    "projects": gettext_lazy("Research projects"),
    "contracts": gettext_lazy("Contracts"),
}


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "portal/welcome.html")
    organizations = list(organizations_for(user=request.user))
    needs = list(need_list_for(user=request.user, own=True)[:10])
    requests = list(
        membership_request_for(user=request.user).filter(state=MembershipRequest.State.PENDING)[:5]
    )
    return render(
        request,
        "portal/home.html",
        {"organizations": organizations, "needs": needs, "requests": requests},
    )


def _organization(request: HttpRequest) -> Organization:
    """The organisation the page is about: the one chosen (``?organisation=``) among the
    user's, or their first."""
    organizations = list(organizations_for(user=request.user))
    if not organizations:
        raise Http404
    wanted = request.GET.get("organisation")
    for organization in organizations:
        if str(organization.pk) == wanted:
            return organization
    return organizations[0]


@login_required
def organisation(request: HttpRequest) -> HttpResponse:
    organization = _organization(request)
    members = list(organization_members_for(user=request.user, organization=organization))
    requests = list(membership_requests_for(user=request.user, organization_id=organization.pk))
    return render(
        request,
        "portal/organisation/overview.html",
        {
            "organization": organization,
            "members": members,
            "requests": requests,
            "approve": APPROVE_MEMBERSHIP,
            "refuse": REFUSE_MEMBERSHIP,
            "sections": SECTIONS,
            "section": "",
        },
    )


def _rows(section: str, request: HttpRequest, organization: Organization) -> QuerySet[Any]:
    user = request.user
    if section == "needs":
        needs = need_list_for(user=user, own=True).filter(proposer_id=organization.pk)
        state = request.GET.get("state")
        if state in TechnicalNeed.State.values:
            needs = needs.filter(state=state)
        return needs
    # Cut to the organisation chosen, among the records the user may see.
    pk = organization.pk
    if section == "applications":
        return application_list_for(user=user, own=True).filter(
            Q(applicant_id=pk) | Q(need__proposer_id=pk)
        )
    if section == "projects":
        return (
            project_list_for(user=user, own=True)
            .filter(Q(lead_id=pk) | Q(participants__organization_id=pk))
            .distinct()
        )
    return contract_list_for(user=user, own=True).filter(Q(seller_id=pk) | Q(buyer_id=pk))


@login_required
def organisation_section(request: HttpRequest, section: str) -> HttpResponse:
    if section not in SECTIONS:
        raise Http404
    organization = _organization(request)
    paginator = Paginator(_rows(section, request, organization), PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        f"portal/organisation/{section}.html",
        {
            "organization": organization,
            "page_obj": page_obj,
            "rows": list(page_obj.object_list),
            "sections": SECTIONS,
            "section": section,
            "states": TechnicalNeed.State.choices,
            "state": request.GET.get("state", ""),
        },
    )
