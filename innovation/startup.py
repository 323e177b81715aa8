"""Guards run by the processes that serve: web (WSGI/ASGI, runserver) and Celery.

They live here, not in the settings, so that operator commands that need no secret
(``makemigrations --check``, ``migrate --plan``, ``collectstatic``) run on a bare environment.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

REFUSAL = "SECRET_KEY is not set. Set SECRET_KEY in the environment, or DEBUG=1 for local use."


def require_secret_key() -> None:
    try:
        settings.SECRET_KEY  # noqa: B018 - Django raises on an empty key
    except ImproperlyConfigured:
        raise ImproperlyConfigured(REFUSAL) from None
