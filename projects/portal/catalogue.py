"""The public catalogue of published needs and the applications to take them up (揭榜).

Anybody, anonymous visitors included, searches the catalogue and reads a need's public
summary; a member of a verified organisation applies, follows its application and withdraws
it. Reads go through the selectors, every action through ``projects.workflows.applications``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from projects.attachments import download
from projects.selectors.applications import (
    application_attachment_get_for,
    application_get_for,
    application_list_for,
)
from projects.selectors.catalogue import (
    catalogue_search,
    need_to_apply_to,
    own_application_to,
    search_words,
)
from projects.selectors.memberships import organizations_for
from projects.selectors.needs import need_summary_get
from projects.selectors.timelines import timeline_for
from projects.workflows.applications import application_submit, application_submit_refusal
from projects.workflows.errors import WorkflowError
from projects.workflows.registry import (
    available_transitions,
)

from .catalogue_forms import ApplicationForm, CatalogueFilterForm

PAGE_SIZE = 20


def catalogue_list(request: HttpRequest) -> HttpResponse:
    """The published needs, searched and filtered by the GET form above them."""
    form = CatalogueFilterForm(request.GET)
    filters = form.filters()
    paginator = Paginator(catalogue_search(user=request.user, **filters), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "portal/catalogue/list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "needs": page_obj.object_list,
            "words": search_words(filters["text"]),
            "filtered": any(value for value in filters.values()),
        },
    )


def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published need's public summary, with the call to apply."""
    need = need_summary_get(user=request.user, pk=pk)
    applied = own_application_to(user=request.user, need_pk=pk)
    return render(
        request,
        "portal/catalogue/detail.html",
        {"need": need, "application": applied},
    )


def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """The application form; who may not apply is told why instead of being given a form."""
    summary = need_summary_get(user=request.user, pk=pk)
    context: dict[str, Any] = {"need": summary}
    if not request.user.is_authenticated:
        context["login_url"] = f"{reverse('login')}?next={request.get_full_path()}"
        return render(request, "portal/catalogue/apply.html", context)
    need = need_to_apply_to(user=request.user, pk=pk)
    organizations = list(organizations_for(user=request.user))
    refusals = {
        org.pk: application_submit_refusal(need=need, applicant=org, actor=request.user)
        for org in organizations
    }
    eligible = [org for org in organizations if refusals[org.pk] is None]
    context["organizations"] = organizations
    context["refusals"] = [(org, refusals[org.pk]) for org in organizations if refusals[org.pk]]
    context["application"] = own_application_to(user=request.user, need_pk=pk)
    if not eligible:
        return render(request, "portal/catalogue/apply.html", context)
    choices = organizations_for(user=request.user).filter(pk__in=[org.pk for org in eligible])
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES, organizations=choices)
        if form.is_valid():
            upload = form.cleaned_data["attachment"]
            try:
                application = application_submit(
                    need=need,
                    applicant=form.cleaned_data["applicant"],
                    proposal=form.cleaned_data["proposal"],
                    actor=request.user,
                    attachments=[upload] if upload else [],
                )
            except WorkflowError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("Your application has been sent to the need's proposer.")
                )
                return redirect("catalogue:application", pk=application.pk)
    else:
        form = ApplicationForm(organizations=choices, initial={"applicant": eligible[0].pk})
    context["form"] = form
    context["single_applicant"] = eligible[0] if len(eligible) == 1 else None
    return render(request, "portal/catalogue/apply.html", context)


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An application as its applicant and the need's proposer follow it."""
    application = application_get_for(user=request.user, pk=pk)
    return render(
        request,
        "portal/catalogue/application.html",
        {
            "application": application,
            "attachments": list(application.attachments.all()),
            "timeline": timeline_for(record=application),
            "actions": available_transitions(user=request.user, record=application),
        },
    )


@login_required
def application_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """An application's document, for those who see the application (404 for anybody else)."""
    attachment = application_attachment_get_for(user=request.user, pk=pk)
    return download(attachment.file, attachment.download_name)


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    """The applications the user's organisations sent, or received for their needs."""
    received = request.GET.get("show") == "received"
    organizations = list(organizations_for(user=request.user))
    ids = [org.pk for org in organizations]
    applications = application_list_for(user=request.user, own=True)
    if received:
        applications = applications.filter(need__proposer_id__in=ids)
    else:
        applications = applications.filter(applicant_id__in=ids)
    page_obj = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/catalogue/my_applications.html",
        {
            "organizations": organizations,
            "page_obj": page_obj,
            "applications": page_obj.object_list,
            "received": received,
        },
    )
