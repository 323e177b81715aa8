"""The Celery application, configured from Django settings (``CELERY_`` namespace)."""

from __future__ import annotations

import os

from celery import Celery, signals
from django.core.exceptions import ImproperlyConfigured

from innovation.startup import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovation.settings")

app = Celery("innovation")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["projects", "projects.notifications", "projects.indicators"])


def _refuse_without_secret_key(**_signal_kwargs: object) -> None:
    # Celery logs and swallows what a signal receiver raises; SystemExit does stop it.
    try:
        require_secret_key()
    except ImproperlyConfigured as error:
        raise SystemExit(str(error)) from None


signals.worker_init.connect(_refuse_without_secret_key)
signals.beat_init.connect(_refuse_without_secret_key)
