from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The API's own records (its access tokens); nothing in the core imports it."""

    name = "projects.api"
    label = "projects_api"
    verbose_name = _("API")
    default_auto_field = "django.db.models.BigAutoField"
