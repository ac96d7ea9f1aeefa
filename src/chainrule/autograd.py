"""``chainrule.autograd``: PyTorch's ``torch.autograd`` namespace (a public facade; the
functions live in :mod:`chainrule.tensors.autograd`)."""

from chainrule.tensors.autograd import *  # noqa: F403
from chainrule.tensors.autograd import __all__  # noqa: F401
