"""The API tokens page: a signed-in user names a new token, reads its key once, sees which of
their tokens are in use and revokes one. The same tokens as ``/api/v1/tokens/``, for a person
who has no token yet to call that endpoint with."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .models import ApiToken, api_token_create


class TokenNameForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]
        help_texts = {
            "name": gettext_lazy("Where the key will be used, so you can tell it apart later.")
        }


@never_cache
@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    assert request.user.is_authenticated  # login_required
    form = TokenNameForm(request.POST or None)
    created = key = None
    if request.method == "POST" and form.is_valid():
        created, key = api_token_create(user=request.user, name=form.cleaned_data["name"])
        form = TokenNameForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens, "created": created, "key": key},
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoke()
    messages.success(
        request,
        _("The token “%(name)s” is revoked: its key no longer opens the API.")
        % {"name": token.name},
    )
    return redirect("api:tokens")
