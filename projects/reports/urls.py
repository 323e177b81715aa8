from __future__ import annotations

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("figures/<slug:code>/", views.figure_detail, name="figure"),
    path("figures/<slug:code>/records/", views.figure_records, name="records"),
    path("recompute/", views.recompute, name="recompute"),
    path("runs/<int:run_id>/", views.run_status, name="run_status"),
    path("publish/", views.publish, name="publish"),
    path("revisions/", views.revisions, name="revisions"),
    path("compare/", views.compare, name="compare"),
    path("export.<str:kind>", views.export, name="export"),
]
