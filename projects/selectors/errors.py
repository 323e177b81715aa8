"""The one error the selectors raise: the record is not there for this user."""

from __future__ import annotations

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

# One message per record type, none naming the record: a refused read must not confirm that
# the record exists, nor say anything about it.
_MESSAGES = {
    "projects.technicalneed": _("There is no such technical need."),
    "projects.needattachment": _("There is no such attachment."),
    "projects.needapplication": _("There is no such application."),
    "projects.applicationattachment": _("There is no such attachment."),
    "projects.researchproject": _("There is no such research project."),
    "projects.transfercontract": _("There is no such contract."),
    "projects.organization": _("There is no such organisation."),
    "projects.bottleneck": _("There is no such bottleneck."),
    "projects.innovationplatform": _("There is no such innovation platform."),
    "projects.certification": _("There is no such certification."),
}


class RecordNotFound(Http404):
    """The record does not exist, or ``user`` may not see it; the two are not told apart.

    An ``Http404``, so Django views and DRF answer 404 without extra mapping (never a 403,
    which would confirm the record exists).
    """

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.message = str(_MESSAGES.get(model._meta.label_lower, _("There is no such record.")))
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message
