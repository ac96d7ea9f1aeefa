"""Test-wide settings. Under CI (the CI environment variable set) Hypothesis runs a
fixed, derandomised set of examples so a run is reproducible; locally it explores new
examples each time."""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
