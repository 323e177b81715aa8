"""The product's URLs plus a plain Django view, the floor of the API benchmark."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"hello", content_type="text/plain")


urlpatterns = [path("hello", hello), path("", include("innovation.urls"))]
