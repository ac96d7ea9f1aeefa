"""Sweep entries for ``chainrule.numpy.fft`` (see ``_spec.py``): each of the four
records with a length change (``s``/``n`` that pads or cuts), a non-default ``norm``
and the 1-D/2-D front ends. Complex outputs are checked through their real and
imaginary parts, stacked into one real array."""

import numpy as np

import chainrule.numpy as cnp
from tests.primitives._spec import Arg, OpSpec

F = cnp.fft


def _parts(z):
    return cnp.stack([cnp.real(z), cnp.imag(z)])


def _np_parts(z):
    return np.stack([z.real, z.imag])


SPECS = [
    OpSpec("fft-n-pad", lambda x: _parts(F.fft(x, n=7)), [Arg((3, 5))],
           lambda x: _np_parts(np.fft.fft(x, n=7)), covers=("fftn",)),
    OpSpec("fft2-cut-ortho", lambda x: _parts(F.fft2(x, s=(2, 4), norm="ortho")), [Arg((3, 5))],
           lambda x: _np_parts(np.fft.fft2(x, s=(2, 4), norm="ortho")), covers=("fftn",)),
    OpSpec("ifftn-forward", lambda x: _parts(F.ifftn(x * (1 + 0.5j), norm="forward")), [Arg((3, 4))],
           lambda x: _np_parts(np.fft.ifftn(x * (1 + 0.5j), norm="forward")), covers=("ifftn",)),
    OpSpec("rfft-n-pad", lambda x: _parts(F.rfft(x, n=8, axis=0)), [Arg((5, 2))],
           lambda x: _np_parts(np.fft.rfft(x, n=8, axis=0)), covers=("rfftn",)),
    OpSpec("rfft2-cut", lambda x: _parts(F.rfft2(x, s=(3, 5))), [Arg((4, 6))],
           lambda x: _np_parts(np.fft.rfft2(x, s=(3, 5))), covers=("rfftn",)),
    OpSpec("irfft-odd-ortho", lambda x: F.irfft(x * (1 - 1j), n=7, norm="ortho"),
           [Arg((2, 4))], lambda x: np.fft.irfft(x * (1 - 1j), n=7, norm="ortho"),
           covers=("irfftn",)),
    OpSpec("irfft2-even", lambda x: F.irfft2(x + 0.3j * x[::-1]), [Arg((4, 3))],
           lambda x: np.fft.irfft2(x + 0.3j * x[::-1]), covers=("irfftn",)),
]  # fmt: skip
