"""Sweep entries for ``chainrule.scipy.signal`` (see ``_spec.py``): the full
convolution record through each mode, in one and two dimensions."""

from scipy import signal  # in the test extra

from chainrule.scipy.signal import convolve
from tests.primitives._spec import Arg, OpSpec

SPECS = [
    OpSpec("convolve-full-1d", lambda a, b: convolve(a, b), [Arg((5,)), Arg((3,))],
           lambda a, b: signal.convolve(a, b), covers=("convolve_full",)),
    OpSpec("convolve-valid-2d", lambda a, b: convolve(a, b, "valid"),
           [Arg((4, 5)), Arg((2, 3))], lambda a, b: signal.convolve(a, b, "valid"),
           covers=("convolve_full",)),
    OpSpec("convolve-same-2d", lambda a, b: convolve(a, b, "same"),
           [Arg((3, 4)), Arg((2, 2))], lambda a, b: signal.convolve(a, b, "same"),
           covers=("convolve_full",)),
]  # fmt: skip
