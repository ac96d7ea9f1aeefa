"""PyTorch's ``torch.utils`` path: ``chainrule.utils.data`` is :mod:`chainrule.data`."""

from chainrule.utils import data

__all__ = ["data"]
