"""Throttles counting in the ``throttle`` cache (Redis in production: shared by the workers)."""

from __future__ import annotations

from django.core.cache import caches
from rest_framework import throttling


class AnonThrottle(throttling.AnonRateThrottle):
    @property
    def cache(self):  # noqa: ANN201
        return caches["throttle"]


class UserThrottle(throttling.UserRateThrottle):
    @property
    def cache(self):  # noqa: ANN201
        return caches["throttle"]
