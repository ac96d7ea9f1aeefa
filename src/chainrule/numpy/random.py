"""``chainrule.numpy.random``: NumPy's random functions (their outputs are constants,
so nothing here needs a derivative rule), as ``autograd.numpy.random`` provides."""

# ruff: noqa: F401, F403
from numpy.random import *
from numpy.random import default_rng, get_bit_generator, seed, set_bit_generator
