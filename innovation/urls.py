from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from projects.health import healthz

# Uploaded files are never served as static media: an attachment is read only through the
# portal's download view, which checks who may see its record.
urlpatterns = [
    path("catalogue/", include("projects.portal.catalogue_urls")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("projects.api.urls")),
    path("reports/", include("projects.reports.urls")),
    path("", include("projects.portal.urls")),
]
# Pages for the portal, the error format under /api/.
handler404 = "projects.api.errors.page_not_found"
handler500 = "projects.api.errors.server_error"
