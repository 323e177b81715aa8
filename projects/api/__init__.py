"""The REST API (``/api/v1/``): the integrators' surface, on the same selectors and workflows
as the portal and the admin. Its schema is at ``/api/schema/``, its documentation at
``/api/docs/``."""
