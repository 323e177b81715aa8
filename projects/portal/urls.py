"""The portal's pages, included at the root (``innovation/urls.py``).

``need_detail`` and ``contract_detail`` are the pages the notification e-mails link to
(``projects.notifications.queue.record_url``): keep their names and paths.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import accounts, language, needs, organisation, records

urlpatterns = [
    path("", organisation.home, name="home"),
    # Accounts: sign-up is ours; the rest are Django's auth views with the portal's templates.
    path("accounts/signup/", accounts.sign_up, name="signup"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(
            email_template_name="registration/reset_email.txt",
            subject_template_name="registration/reset_subject.txt",
            success_url=reverse_lazy("password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("language/", language.set_language, name="set_language"),
    # Needs.
    path("needs/new/", needs.need_new, name="need_new"),
    path("needs/<int:pk>/", needs.need_detail, name="need_detail"),
    path("needs/<int:pk>/edit/indicators/", needs.need_indicators, name="need_indicators"),
    path("needs/<int:pk>/edit/attachments/", needs.need_attachments, name="need_attachments"),
    path("needs/<int:pk>/edit/<slug:part>/", needs.need_part, name="need_part"),
    path(
        "needs/<int:pk>/attachments/<int:attachment>/",
        needs.need_attachment_download,
        name="need_attachment",
    ),
    path(
        "needs/<int:pk>/attachments/<int:attachment>/remove/",
        needs.need_attachment_delete,
        name="need_attachment_remove",
    ),
    # A project, a contract; the transitions of any record the portal shows.
    path("projects/<int:pk>/", records.project_detail, name="project_detail"),
    path("contracts/<int:pk>/", records.contract_detail, name="contract_detail"),
    path("<slug:kind>/<int:pk>/transition/<slug:name>/", records.transition, name="transition"),
    # My organisation.
    path("organisation/", organisation.organisation, name="organisation"),
    path(
        "organisation/<slug:section>/",
        organisation.organisation_section,
        name="organisation_section",
    ),
]
