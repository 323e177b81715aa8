"""The manager reports: the bureau's indicators as web pages, with drill-down, exports,
recompute and publication. Reads go through ``projects.indicators.selectors`` and
``lineage``; runs and publication through ``scheduling``, ``runs`` and ``publication``."""
