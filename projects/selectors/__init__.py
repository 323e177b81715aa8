"""Read queries, scoped to what the asking user may see (DESIGN §7).

One module per record type, mirroring ``projects/workflows/``. Every surface (portal, admin,
reports, API) reads records through these functions and never filters a model itself, so a
visibility rule is written once:

- ``<noun>_list_for(*, user)``: a QuerySet of the records ``user`` may see in full;
- ``<noun>_get_for(*, user, pk)``: one of them, or ``RecordNotFound`` (a 404 that names
  nothing), whether the record is missing or only hidden from ``user``;
- ``need_summary_list`` / ``need_summary_get``: the public summary of published needs, which
  cannot reach a need's confidential details.
"""
