"""Sweep entries for the sliding-windows family (see ``_spec.py``).

References are written with plain NumPy: ``np.pad`` + NumPy's own
``sliding_window_view`` + slicing for the forward, and a loop over window offsets for
the transpose (the scatter-add adjoint).
"""

import itertools

import numpy as np

from chainrule.primitives import windows
from tests.primitives._spec import Arg, OpSpec

SPECS = []


def _ref_windows(x, window, strides, dilation, padding, pad_value=0.0):
    k = len(window)
    lead = x.ndim - k
    x = np.pad(x, ((0, 0),) * lead + padding, constant_values=pad_value)
    span = tuple(d * (w - 1) + 1 for w, d in zip(window, dilation, strict=True))
    full = np.lib.stride_tricks.sliding_window_view(x, span, axis=tuple(range(lead, x.ndim)))
    steps = (slice(None),) * lead
    steps += tuple(slice(None, None, s) for s in strides)
    steps += tuple(slice(None, None, d) for d in dilation)
    return full[steps]


def _ref_transpose(g, in_shape, window, strides, dilation, padding):
    k = len(window)
    spatial = in_shape[len(in_shape) - k :]
    out = g.shape[g.ndim - 2 * k : g.ndim - k]
    acc = np.zeros(
        g.shape[: g.ndim - 2 * k]
        + tuple(n + a + b for n, (a, b) in zip(spatial, padding, strict=True))
    )
    for pos in itertools.product(*(range(n) for n in out)):
        for off in itertools.product(*(range(w) for w in window)):
            idx = tuple(
                p * s + o * d for p, s, o, d in zip(pos, strides, off, dilation, strict=True)
            )
            acc[(Ellipsis,) + idx] += g[(Ellipsis,) + pos + off]
    inner = tuple(slice(a, a + n) for (a, _), n in zip(padding, spatial, strict=True))
    return acc[(Ellipsis,) + inner]


CASES = [
    # name, input shape, window, strides, dilation, padding
    ("2x2", (2, 3, 5, 6), (2, 2), (1, 1), (1, 1), ((0, 0), (0, 0))),
    ("3x3-pad1", (1, 2, 4, 4), (3, 3), (1, 1), (1, 1), ((1, 1), (1, 1))),
    ("3x2-stride2-asympad", (2, 5, 6), (3, 2), (2, 1), (1, 1), ((1, 0), (2, 1))),
    ("2x3-dilated", (1, 1, 6, 7), (2, 3), (2, 1), (2, 2), ((1, 1), (0, 1))),
    ("1d-stride3", (3, 10), (3,), (3,), (1,), ((2, 0),)),
]

for name, shape, window, strides, dilation, padding in CASES:
    kw = dict(window_shape=window, strides=strides, dilation=dilation, padding=padding)
    SPECS.append(
        OpSpec(
            f"sliding_windows-{name}",
            lambda x, kw=kw: windows.sliding_windows(x, **kw),
            [Arg(shape)],
            ref=lambda x, w=window, s=strides, d=dilation, p=padding: _ref_windows(x, w, s, d, p),
            covers=("sliding_windows",),
        )
    )
    out_shape = np.shape(windows.sliding_windows(np.zeros(shape), **kw))
    SPECS.append(
        OpSpec(
            f"sliding_windows_transpose-{name}",
            lambda g, shape=shape, kw=kw: windows.sliding_windows_transpose(g, shape, **kw),
            [Arg(out_shape)],
            ref=lambda g, shape=shape, w=window, s=strides, d=dilation, p=padding: _ref_transpose(
                g, shape, w, s, d, p
            ),
            covers=("sliding_windows_transpose",),
        )
    )

# Max pooling pads with -inf: the padded positions are constants with no gradient.
SPECS.append(
    OpSpec(
        "sliding_windows-maxpool-neg-inf-pad",
        lambda x: windows.sliding_windows(x, (2, 2), strides=2, padding=1, pad_value=-np.inf).max(
            axis=(-2, -1)
        ),
        [Arg((2, 2, 5, 5))],
        ref=lambda x: _ref_windows(x, (2, 2), (2, 2), (1, 1), ((1, 1), (1, 1)), -np.inf).max(
            axis=(-2, -1)
        ),
        covers=("sliding_windows", "max"),
    )
)

# NumPy's own signature (stride 1 over chosen axes, in the given order).
SPECS.append(
    OpSpec(
        "sliding_window_view-axes",
        lambda x: windows.sliding_window_view(x, (2, 3), axis=(2, 0)),
        [Arg((4, 3, 5))],
        ref=lambda x: np.lib.stride_tricks.sliding_window_view(x, (2, 3), axis=(2, 0)),
        covers=("sliding_windows",),
    )
)
