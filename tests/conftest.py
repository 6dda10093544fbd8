"""Hypothesis profiles: ``ci`` (the default: enough examples to matter, in seconds) and
``long`` (10^5 examples a property, run by hand with ``--hypothesis-profile=long``)."""

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=100_000, deadline=None,
                          suppress_health_check=list(HealthCheck))
settings.load_profile("ci")
