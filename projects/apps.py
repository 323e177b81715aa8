from __future__ import annotations

import logging

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Technology transfer")

    def ready(self) -> None:
        from django.conf import settings

        from .roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self)
        if settings.CELERY_TASK_ALWAYS_EAGER:
            logger.info("REDIS_URL is not set: Celery tasks run eagerly in-process.")
