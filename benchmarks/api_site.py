"""Settings and URLs of the API benchmark's server: the product's, plus a plain Django
"hello" view as the floor measured in the same run (``benchmarks/api.py``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from innovation.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.api_site"
# The benchmark's clients send thousands of requests a minute from one address.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "1000000/minute", "user": "1000000/minute"},
}
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"hello", content_type="text/plain")


urlpatterns = [path("hello", hello), path("", include("innovation.urls"))]
