"""Settings of the API benchmark's server: the product's, with the "hello" floor's URLs
(``benchmarks/api_urls.py``) and throttles the benchmark's clients do not reach."""

from __future__ import annotations

from innovation.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.api_urls"
# The benchmark's clients send thousands of requests a minute from one address.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "1000000/minute", "user": "1000000/minute"},
}
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405
