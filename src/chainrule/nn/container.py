"""Containers: ``Sequential`` (children named ``"0"``, ``"1"``, ... so that state_dict
keys read ``0.weight`` as in PyTorch), ``ModuleList`` and ``ModuleDict``, with PyTorch's
list and dict methods (``insert``, ``pop``, ``extend``, ``del``, which renumber as
PyTorch does) and reprs."""

from __future__ import annotations

from collections import OrderedDict

from chainrule.nn._display import module_list_repr
from chainrule.nn.module import Module

__all__ = ["Sequential", "ModuleList", "ModuleDict"]


def _renumber(modules: OrderedDict, items=None) -> None:
    """Make ``items`` (by default the children themselves) the children, named ``"0"``,
    ``"1"``, ... in order: after a delete or an insert, as PyTorch's containers do."""
    items = list(modules.values()) if items is None else items
    modules.clear()
    for i, module in enumerate(items):
        modules[str(i)] = module


def _insert(container: Module, index: int, module: Module) -> None:
    n = len(container._modules)
    if not -n <= index <= n:
        raise IndexError(f"index {index} is out of range for insertion into length {n}")
    if not isinstance(module, Module):
        raise TypeError(f"{type(module).__name__} is not a Module subclass")
    index = index + n if index < 0 else index
    items = list(container._modules.values())
    items.insert(index, module)
    _renumber(container._modules, items)


def _index(i, n: int, kind: str) -> int:
    i = int(i)
    if not -n <= i < n:
        raise IndexError(f"index {i} is out of range for a {kind} of length {n}")
    return i % n


class _ModuleSequence(Module):
    """What ``Sequential`` and ``ModuleList`` share: children kept in order, appended
    under the name of their position."""

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def append(self, module: Module):
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules):
        for module in modules:
            self.append(module)
        return self

    def pop(self, idx):
        module = self[idx]
        del self[idx]
        return module


class Sequential(_ModuleSequence):
    """Apply the given modules in order. ``Sequential(a, b)`` names them ``"0"`` and
    ``"1"``; ``Sequential(OrderedDict(name=module, ...))`` keeps the given names."""

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], (dict, OrderedDict)):
            for name, module in args[0].items():
                self.add_module(name, module)
        else:
            for i, module in enumerate(args):
                self.add_module(str(i), module)

    def forward(self, input):
        for module in self._modules.values():
            input = module(input)
        return input

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return Sequential(OrderedDict(list(self._modules.items())[idx]))
        if isinstance(idx, str):
            return self._modules[idx]
        keys = list(self._modules)
        return self._modules[keys[_index(idx, len(keys), "Sequential")]]

    def __setitem__(self, idx, module) -> None:
        keys = list(self._modules)
        setattr(self, keys[_index(idx, len(keys), "Sequential")], module)

    def __delitem__(self, idx) -> None:
        keys = list(self._modules)
        if isinstance(idx, slice):
            for key in keys[idx]:
                del self._modules[key]
        else:
            del self._modules[keys[_index(idx, len(keys), "Sequential")]]
        _renumber(self._modules)  # PyTorch renumbers the remaining children

    def insert(self, index: int, module: Module) -> Sequential:
        _insert(self, index, module)
        return self


class ModuleList(_ModuleSequence):
    """A list of modules whose parameters are registered (``"0.weight"``, ...)."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return ModuleList(list(self._modules.values())[idx])
        return self._modules[str(_index(idx, len(self), "ModuleList"))]

    def __setitem__(self, idx, module) -> None:
        self.add_module(str(_index(idx, len(self), "ModuleList")), module)

    def __delitem__(self, idx) -> None:
        if isinstance(idx, slice):
            for i in range(len(self))[idx]:
                del self._modules[str(i)]
        else:
            del self._modules[str(_index(idx, len(self), "ModuleList"))]
        _renumber(self._modules)

    def insert(self, index: int, module: Module) -> None:
        _insert(self, index, module)

    def __iadd__(self, modules) -> ModuleList:
        return self.extend(modules)

    def __add__(self, other) -> ModuleList:
        return ModuleList(list(self) + list(other))

    def __repr__(self) -> str:
        return module_list_repr(self)  # runs of identical entries folded, as PyTorch does

    def forward(self, *args, **kwargs):
        raise NotImplementedError("ModuleList has no forward(); iterate over it instead")


class ModuleDict(Module):
    """A dict of modules whose parameters are registered under their keys."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]

    def __setitem__(self, key: str, module: Module) -> None:
        self.add_module(key, module)

    def __delitem__(self, key: str) -> None:
        del self._modules[key]

    def pop(self, key: str) -> Module:
        module = self[key]
        del self[key]
        return module

    def clear(self) -> None:
        self._modules.clear()

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def __contains__(self, key) -> bool:
        return key in self._modules

    def keys(self):
        return self._modules.keys()

    def values(self):
        return self._modules.values()

    def items(self):
        return self._modules.items()

    def update(self, modules) -> None:
        items = modules.items() if hasattr(modules, "items") else modules
        for key, module in items:
            self.add_module(key, module)

    def forward(self, *args, **kwargs):
        raise NotImplementedError("ModuleDict has no forward(); index it instead")
