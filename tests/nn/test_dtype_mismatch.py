"""A layer refuses an input whose dtype is not its weight's, naming the layer and both
dtypes (PyTorch raises too); the same input cast to the weight's dtype goes through."""

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn
from chainrule.nn import functional as F

LAYERS = [
    ("Linear", lambda: nn.Linear(3, 2), (4, 3)),
    ("Conv2d", lambda: nn.Conv2d(1, 2, 3), (1, 1, 5, 5)),
    ("BatchNorm1d", lambda: nn.BatchNorm1d(3), (4, 3)),
    ("BatchNorm2d", lambda: nn.BatchNorm2d(1, affine=False), (2, 1, 3, 3)),
    ("LayerNorm", lambda: nn.LayerNorm(3), (4, 3)),
]


@pytest.mark.parametrize("name, make, shape", LAYERS, ids=[row[0] for row in LAYERS])
def test_a_float64_batch_into_a_float32_layer_is_refused(name, make, shape):
    layer = make()
    batch = cr.tensor(np.ones(shape))  # a NumPy array keeps float64
    with pytest.raises(RuntimeError, match=f"^{name}: input dtype float64 does not match "
                       "weight dtype float32"):  # fmt: skip
        layer(batch)
    assert layer(batch.float()).dtype == np.float32
    layer.double()
    assert layer(batch).dtype == np.float64


def test_the_functional_form_names_the_function():
    w = cr.zeros(2, 3, dtype=cr.float64)
    with pytest.raises(RuntimeError, match="^linear: input dtype int64 does not match"):
        F.linear(cr.tensor([[1, 2, 3]]), w)
