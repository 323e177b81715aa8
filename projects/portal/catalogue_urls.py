"""The public catalogue of needs and the applications to take them up: ``/catalogue/``."""

from __future__ import annotations

from django.urls import path

from . import catalogue

app_name = "catalogue"

urlpatterns = [
    path("", catalogue.catalogue_list, name="list"),
    path("<int:pk>/", catalogue.need_detail, name="detail"),
    path("<int:pk>/apply/", catalogue.apply, name="apply"),
    path("my-applications/", catalogue.my_applications, name="my_applications"),
    path("applications/<int:pk>/", catalogue.application_detail, name="application"),
    path(
        "attachments/<int:pk>/",
        catalogue.application_attachment,
        name="application_attachment",
    ),
]
