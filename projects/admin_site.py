"""The back office's site: named after the product, each role's queues on its index.

Outside the ``projects.admin`` package on purpose: Django builds the site while it imports the
admin modules, and a site class inside the package they register from would be built twice.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _


class BackOfficeSite(admin.AdminSite):
    site_header = _("Chongqing technology transfer back office")
    site_title = _("Technology transfer back office")
    index_title = _("Today's work")
    index_template = "admin/projects/index.html"

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        from projects.admin.queues import queues_for

        context = {"queues": queues_for(user=request.user), **(extra_context or {})}
        response = super().index(request, extra_context=context)
        assert isinstance(response, TemplateResponse)
        return response
