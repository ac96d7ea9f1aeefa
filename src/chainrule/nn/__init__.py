"""``chainrule.nn``: PyTorch-style neural network layers on the eager ``Tensor`` graph.

Built on the layers below it: the maths from ``chainrule.numpy`` and
``chainrule.scipy``, parameters and buffers as ``Tensor`` s, ``stop_gradient`` from
``chainrule.functional``, and the sliding-windows primitive for convolution and
pooling. Names, defaults, state_dict keys and array layouts are PyTorch's, so models
and weights port by name; see ``docs/nn.md`` for the few documented differences
(float64 by default, errors' types).
"""

from chainrule.nn import functional, init, parallel, utils
from chainrule.nn.activation import (
    ELU,
    GELU,
    LeakyReLU,
    LogSoftmax,
    ReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Tanh,
)
from chainrule.nn.container import ModuleDict, ModuleList, Sequential
from chainrule.nn.conv import Conv2d
from chainrule.nn.dropout import Dropout
from chainrule.nn.linear import Flatten, Identity, Linear, Unflatten
from chainrule.nn.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)
from chainrule.nn.module import Module
from chainrule.nn.normalization import BatchNorm1d, BatchNorm2d, LayerNorm
from chainrule.nn.parameter import Parameter
from chainrule.nn.pooling import AvgPool2d, MaxPool2d
from chainrule.nn.sparse import Embedding

__all__ = [
    "functional",
    "utils",
    "init",
    "parallel",
    "Parameter",
    "Module",
    "Sequential",
    "ModuleList",
    "ModuleDict",
    "Identity",
    "Linear",
    "Flatten",
    "Unflatten",
    "Conv2d",
    "MaxPool2d",
    "AvgPool2d",
    "BatchNorm1d",
    "BatchNorm2d",
    "LayerNorm",
    "Dropout",
    "Embedding",
    "ReLU",
    "LeakyReLU",
    "ELU",
    "GELU",
    "SiLU",
    "Softplus",
    "Tanh",
    "Sigmoid",
    "Softmax",
    "LogSoftmax",
    "MSELoss",
    "L1Loss",
    "SmoothL1Loss",
    "HuberLoss",
    "CrossEntropyLoss",
    "NLLLoss",
    "BCELoss",
    "BCEWithLogitsLoss",
]
