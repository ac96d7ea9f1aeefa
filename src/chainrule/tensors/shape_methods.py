"""Shape methods of :class:`~chainrule.tensors.Tensor`, with PyTorch's names and
signatures: ``view``, ``flatten(start_dim, end_dim)``, ``permute``, ``transpose(d0, d1)``,
``t``, ``unsqueeze``, ``squeeze(dim)``, ``expand``, ``repeat`` (whole copies, NumPy's
``tile``), ``gather``, and the queries ``size``, ``dim``, ``numel``."""

from __future__ import annotations

import numpy as np

import chainrule.numpy as cnp
from chainrule.core.trace import shape_arg, unbox_all
from chainrule.tensors.methods import TensorMethods


class ShapeMethods(TensorMethods):
    __slots__ = ()

    # PyTorch's size() is a method where NumPy's (Box.size) is an attribute
    def size(self, dim=None):  # type: ignore[override]
        shape = self.shape
        return shape if dim is None else shape[dim]

    def dim(self):
        return self.ndim

    def numel(self):
        return int(np.prod(self.shape))

    def view(self, *shape):
        return cnp.reshape(self, shape_arg(shape))

    def flatten(self, start_dim=0, end_dim=-1):
        shape = self.shape
        if not shape:
            return cnp.reshape(self, (1,))
        start = start_dim % len(shape)
        end = end_dim % len(shape)
        new = shape[:start] + (int(np.prod(shape[start : end + 1])),) + shape[end + 1 :]
        return cnp.reshape(self, new)

    def permute(self, *dims):
        return cnp.transpose(self, shape_arg(dims))

    def transpose(self, dim0=None, dim1=None):
        if dim0 is None:
            return cnp.transpose(self)
        return cnp.swapaxes(self, dim0, dim1)

    def t(self):
        return cnp.transpose(self)

    def unsqueeze(self, dim):
        return cnp.expand_dims(self, dim)

    def squeeze(self, dim=None):
        """Drop the size-1 axes among ``dim`` (an int or a tuple; all when None); axes
        of another size are left alone, as in PyTorch."""
        if dim is None:
            return cnp.squeeze(self)
        shape = self.shape
        if not shape:
            return self
        dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
        axes = tuple(d % len(shape) for d in dims if shape[d] == 1)
        return cnp.squeeze(self, axis=axes) if axes else self

    def expand(self, *sizes):
        sizes = shape_arg(sizes)
        lead = len(sizes) - self.ndim
        target = tuple((self.shape[i - lead] if s == -1 else s) for i, s in enumerate(sizes))
        return cnp.broadcast_to(self, target)

    def repeat(self, *sizes):
        """PyTorch's ``repeat`` (NumPy's ``tile``: whole copies), not NumPy's ``repeat``."""
        sizes = shape_arg(sizes)
        if len(sizes) < self.ndim:
            raise RuntimeError(
                f"repeat(): give at least one size per dimension ({self.ndim}), got {len(sizes)}"
            )
        return cnp.tile(self, sizes)

    def gather(self, dim, index, *, sparse_grad=False):
        """PyTorch's ``gather``: ``out[i][j] = self[index[i][j]][j]`` for ``dim=0``.
        ``index`` has ``self``'s number of dimensions and is no larger along the others."""
        return _gather(self, dim, np.asarray(unbox_all(index)))


def _gather(x, dim, idx):
    shape = x.shape
    if idx.dtype.kind not in "iu":
        raise RuntimeError(f"gather(): index must be an integer tensor, got dtype {idx.dtype}")
    if idx.ndim != len(shape):
        raise RuntimeError(
            f"gather(): index has {idx.ndim} dimensions but the tensor has {len(shape)}"
        )
    if not shape:
        return cnp.reshape(_gather(cnp.reshape(x, (1,)), 0, idx.reshape(1)), ())
    d = dim % len(shape)
    if any(idx.shape[i] > shape[i] for i in range(len(shape)) if i != d):
        raise RuntimeError(
            f"gather(): index of shape {idx.shape} is larger than the tensor of shape "
            f"{shape} outside dimension {d}"
        )
    if idx.size and (idx.min() < 0 or idx.max() >= shape[d]):
        raise RuntimeError(f"gather(): index out of range for dimension {d} of size {shape[d]}")
    if idx.shape[:d] + idx.shape[d + 1 :] != shape[:d] + shape[d + 1 :]:
        x = x[tuple(slice(None) if i == d else slice(n) for i, n in enumerate(idx.shape))]
    return cnp.take_along_axis(x, idx, axis=d)
