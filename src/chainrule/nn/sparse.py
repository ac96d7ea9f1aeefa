"""``Embedding``: a lookup table of ``num_embeddings`` rows, initialised N(0, 1) as in
PyTorch (the ``padding_idx`` row starts at zero and receives no gradient)."""

from __future__ import annotations

import numpy as np

from chainrule.nn import functional as F
from chainrule.nn import init
from chainrule.nn.module import Module
from chainrule.nn.parameter import Parameter, new_parameter

__all__ = ["Embedding"]


class Embedding(Module):
    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        _weight=None,
        device=None,
        dtype=None,
    ):
        super().__init__()
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise ValueError(
                    f"Embedding: padding_idx {padding_idx} must be within num_embeddings "
                    f"({num_embeddings})"
                )
            padding_idx %= num_embeddings
        self.padding_idx = padding_idx
        if _weight is None:
            self.weight = new_parameter((num_embeddings, embedding_dim), dtype)
            self.reset_parameters()
        else:
            self.weight = Parameter(_weight)
            if tuple(self.weight.shape) != (num_embeddings, embedding_dim):
                raise ValueError(
                    f"Embedding: _weight of shape {tuple(self.weight.shape)} doesn't match "
                    f"num_embeddings and embedding_dim ({num_embeddings}, {embedding_dim})"
                )

    @classmethod
    def from_pretrained(cls, embeddings, freeze: bool = True, padding_idx: int | None = None):
        """An ``Embedding`` whose table is ``embeddings`` (2-d, shared, not copied), as
        PyTorch's: frozen (no gradient) unless ``freeze=False``."""
        shape = tuple(np.shape(np.asarray(embeddings)))
        if len(shape) != 2:
            raise ValueError(f"Embedding.from_pretrained: embeddings must be 2-d, got {shape}")
        emb = cls(shape[0], shape[1], padding_idx=padding_idx, _weight=embeddings)
        emb.weight.requires_grad_(not freeze)
        return emb

    def reset_parameters(self) -> None:
        init.normal_(self.weight)
        if self.padding_idx is not None:
            values = np.array(self.weight)
            values[self.padding_idx] = 0.0
            init._fill(self.weight, values)

    def forward(self, input):
        return F.embedding(input, self.weight, self.padding_idx, _layer=self)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        return s
