"""The demo data set: a coherent Chongqing whose records reproduce the bureau's report figures.

``demo_seed`` builds it (``manage.py seed_demo`` is the thin command around it); the pieces live
one per concern: ``figures`` (the targets and yearly series), ``vocabulary`` (the word lists
of ``data/*.toml``; place and chain names from the product's choices), one generator per record
family, ``builder`` (in-memory world, then one write pass).
"""

from __future__ import annotations

from .service import DemoResult, demo_is_present, demo_reset, demo_seed

__all__ = ["DemoResult", "demo_is_present", "demo_reset", "demo_seed"]
