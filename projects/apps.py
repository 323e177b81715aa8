from __future__ import annotations

import logging

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class ProjectsConfig(AppConfig):
    default = True  # the app's config; BackOfficeAdminConfig below is the admin's
    name = "projects"
    verbose_name = _("Technology transfer")

    def ready(self) -> None:
        from django.conf import settings

        if settings.CELERY_TASK_ALWAYS_EAGER:
            logger.info("REDIS_URL is not set: Celery tasks run eagerly in-process.")


class BackOfficeAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the product's site: its name, and each role's queues on the
    index (``projects.admin_site``)."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "projects.admin_site.BackOfficeSite"
