"""``/api/``: the versioned endpoints under ``v1/``, the schema and its documentation."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework import permissions
from rest_framework.routers import DefaultRouter

from . import pages, views

router = DefaultRouter()
router.include_root_view = False
router.register("organisations", views.OrganizationViewSet, basename="organization")
router.register("needs", views.NeedViewSet, basename="need")
router.register("published-needs", views.PublishedNeedViewSet, basename="published-need")
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("bottlenecks", views.BottleneckViewSet, basename="bottleneck")
router.register("contracts", views.ContractViewSet, basename="contract")
router.register("platforms", views.PlatformViewSet, basename="platform")
router.register("certifications", views.CertificationViewSet, basename="certification")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("indicator-figures", views.PublishedFigureViewSet, basename="indicator-figure")
router.register("indicator-values", views.IndicatorValueViewSet, basename="indicator-value")
router.register("indicator-lineage", views.LineageViewSet, basename="indicator-lineage")
router.register("indicator-runs", views.IndicatorRunViewSet, basename="indicator-run")
router.register("tokens", views.TokenViewSet, basename="token")

app_name = "api"
urlpatterns = [
    path("tokens/", pages.api_tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", pages.api_token_revoke, name="token_revoke"),
    path("v1/me/", views.MeView.as_view(), name="me"),
    path("v1/", include(router.urls)),
    path(
        "schema/",
        views.SchemaView.as_view(permission_classes=[permissions.AllowAny]),
        name="schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(
            url_name="api:schema", permission_classes=[permissions.AllowAny]
        ),
        name="docs",
    ),
]
