"""Test-wide settings. Under CI (the CI environment variable set) Hypothesis runs a
fixed, derandomised set of examples so a run is reproducible; locally it explores new
examples each time."""

import os

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def float64_default():
    """float64 as chainrule's default dtype during the test (restored after): for tests
    whose references are computed in double precision."""
    import chainrule as cr

    old = cr.get_default_dtype()
    cr.set_default_dtype(cr.float64)
    yield
    cr.set_default_dtype(old)
