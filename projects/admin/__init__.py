"""The back office: every record in the Django admin, states read-only.

States move only through the workflow functions; the admin shows each record's timeline.
"""

from . import contracts, indicators, needs, organizations, research, statistics  # noqa: F401
