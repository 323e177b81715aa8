"""The indicator engine: catalogue, computation, lineage, publication and scheduling.

Entry points: ``scheduling.indicator_run_start`` (start a run), ``scheduling.
request_indicator_refresh`` (after data changes), ``lineage.lineage`` (records behind a figure),
``publication.indicator_year_publish`` (publish a year) and ``selectors`` (read stored values).
"""
