"""Accounts: sign-up is the product's own form (the credit code decides between registering
an organisation and asking to join one); logging in and out, changing and resetting a
password are Django's own auth views with the portal's templates.

Django's views rather than an accounts package: they are maintained with Django itself, cover
every step the portal needs (the reset e-mail, its one-time token, the password validators),
and leave sign-up, the one step particular to this product, to a form of ours. django-axes
throttles the login (settings).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from projects.models import Membership
from projects.workflows.accounts import account_sign_up
from projects.workflows.errors import WorkflowError

from .forms import SignUpForm, posted

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _current_language() -> str:
    code = translation.get_language() or ""
    return code if code in Membership.Language.values else Membership.Language.ZH_HANS


@sensitive_post_parameters("password1", "password2")
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return HttpResponseRedirect(reverse("home"))
    form = SignUpForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            signed = account_sign_up(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                credit_code=form.cleaned_data["credit_code"],
                language=_current_language(),
                organization=form.organization_details(),
            )
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            login(request, cast("User", signed.user), backend=_BACKEND)
            if signed.organization is not None:
                messages.success(
                    request,
                    _(
                        "Your account is ready and “%(organization)s” is registered. The bureau "
                        "verifies it before its needs can be submitted; you can prepare drafts "
                        "now."
                    )
                    % {"organization": signed.organization},
                )
            else:
                messages.success(
                    request,
                    _(
                        "Your account is ready. “%(organization)s” is registered here already: "
                        "its administrator or the bureau approves your request to act for it."
                    )
                    % {"organization": signed.request.organization if signed.request else ""},
                )
            return HttpResponseRedirect(reverse("home"))
    return render(request, "registration/signup.html", {"form": form})


class LoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Sign-up makes the e-mail address the user name; accounts made by the bureau may
        # have another.
        self.fields["username"].label = _("E-mail address or user name")


class LoginView(auth_views.LoginView):
    """Django's login view, with the portal's login form."""

    redirect_authenticated_user = True
    authentication_form = LoginForm
