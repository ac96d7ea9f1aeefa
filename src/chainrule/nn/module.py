"""``nn.Module``: the base class of every layer, with PyTorch's semantics.

A module owns three ordered registries, filled by plain attribute assignment:
``_parameters`` (:class:`Parameter` s), ``_buffers`` (tensors saved with the model
but not trained, such as BatchNorm's running statistics) and ``_modules`` (children).
Everything else is derived from them by walking the tree: ``named_parameters`` yields
dotted names (``"0.weight"``, ``"features.1.bias"``), ``state_dict`` maps those names to
the tensors, and ``load_state_dict`` writes them back after checking every key's shape
and dtype. Because the names and array layouts are PyTorch's, a ``state_dict`` moves
between chainrule and PyTorch by name (see ``docs/nn.md``).

The class keeps the registries and the walks over them; reading and writing the state
(:mod:`chainrule.nn._state_dict`) and the printed layout (:mod:`chainrule.nn._display`)
are functions of a module, in their own files.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

import numpy as np

from chainrule.nn._display import module_repr
from chainrule.nn._state_dict import array_of, collect_state, load_state
from chainrule.nn.parameter import Parameter
from chainrule.tensors import Tensor, no_grad
from chainrule.tensors.device import CPU, as_device, move
from chainrule.tensors.device import device as Device

__all__ = ["Module"]


class Module:
    """Base class for all layers. Subclasses call ``super().__init__()`` first, assign
    parameters, buffers and submodules as attributes, and define ``forward``."""

    training: bool

    def __init__(self) -> None:
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent", set())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_forward_hooks", OrderedDict())
        object.__setattr__(self, "_forward_pre_hooks", OrderedDict())

    # -- calling ------------------------------------------------------------------------
    def forward(self, *args, **kwargs):
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing "forward"')

    def __call__(self, *args, **kwargs):
        for hook in list(self._forward_pre_hooks.values()):
            result = hook(self, args)
            if result is not None:
                args = result if isinstance(result, tuple) else (result,)
        out = self.forward(*args, **kwargs)
        for hook in list(self._forward_hooks.values()):
            result = hook(self, args, out)
            if result is not None:
                out = result
        return out

    def register_forward_hook(self, hook):
        """``hook(module, inputs, output)`` runs after ``forward``; returns a handle
        whose ``remove()`` unregisters it."""
        return _Handle(self._forward_hooks, hook)

    def register_forward_pre_hook(self, hook):
        """``hook(module, inputs)`` runs before ``forward`` and may replace the inputs."""
        return _Handle(self._forward_pre_hooks, hook)

    # -- registration ---------------------------------------------------------------------
    def __setattr__(self, name: str, value) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"cannot assign {name!r} before Module.__init__() call in "
                f"{type(self).__name__}.__init__"
            )
        params, buffers, modules = self._parameters, self._buffers, self._modules
        if isinstance(value, Parameter):
            self._drop(name, keep=params)
            params[name] = value
        elif isinstance(value, Module):
            self._drop(name, keep=modules)
            modules[name] = value
        elif name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign {type(value).__name__} as parameter {name!r} "
                    "(nn.Parameter or None expected)"
                )
            params[name] = None
        elif name in modules:
            if value is not None:
                raise TypeError(
                    f"cannot assign {type(value).__name__} as child module {name!r} "
                    "(nn.Module or None expected)"
                )
            modules[name] = None
        elif name in buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign {type(value).__name__} as buffer {name!r} "
                    "(Tensor or None expected)"
                )
            buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _drop(self, name: str, keep: OrderedDict | None = None) -> None:
        """Forget ``name`` everywhere except in ``keep``, the registry about to receive
        it: re-assigning a parameter or child keeps its place in the order (and so in
        ``state_dict`` keys and optimizer indices), as in PyTorch."""
        self.__dict__.pop(name, None)
        for registry in (self._parameters, self._buffers, self._modules):
            if registry is not keep:
                registry.pop(name, None)
        if keep is not self._buffers:
            self._non_persistent.discard(name)

    def _check_free(self, name: str, registry: OrderedDict) -> None:
        """PyTorch's rule for ``register_*``: the name may be reused within its own
        registry, but may not shadow another attribute (a child, a method, ...)."""
        self._check_name(name)
        if name not in registry and hasattr(self, name):
            raise KeyError(f"attribute '{name}' already exists")

    def __getattr__(self, name: str):
        # only called when normal lookup fails: look in the registries
        d = self.__dict__
        for registry in ("_parameters", "_buffers", "_modules"):
            if registry in d and name in d[registry]:
                return d[registry][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for registry in (self._parameters, self._buffers, self._modules):
            if name in registry:
                del registry[name]
                self._non_persistent.discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self):
        extra = list(self._parameters) + list(self._buffers) + list(self._modules)
        return sorted(set(super().__dir__()) | set(extra))

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign {type(param).__name__} as parameter {name!r} "
                "(nn.Parameter or None expected)"
            )
        self._check_free(name, self._parameters)
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """A tensor kept with the module (moved by ``to``, saved in ``state_dict`` when
        ``persistent``) but not trained."""
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"buffer {name!r} must be a Tensor or None, got {type(tensor).__name__}"
            )
        self._check_free(name, self._buffers)
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent.discard(name)
        else:
            self._non_persistent.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self._check_free(name, self._modules)
        self._modules[name] = module

    register_module = add_module

    def _check_name(self, name: str) -> None:
        if not isinstance(name, str) or not name or "." in name:
            raise KeyError(
                f"module attribute names must be non-empty strings without '.', got {name!r}"
            )

    def get_submodule(self, target: str) -> Module:
        mod = self
        for part in target.split(".") if target else []:
            if part not in mod._modules:
                raise AttributeError(
                    f"{type(mod).__name__} has no submodule {part!r} (in {target!r})"
                )
            mod = mod._modules[part]
        return mod

    def get_parameter(self, target: str) -> Parameter:
        prefix, _, name = target.rpartition(".")
        mod = self.get_submodule(prefix)
        if name not in mod._parameters:
            raise AttributeError(f"{type(mod).__name__} has no parameter {name!r}")
        return mod._parameters[name]

    # -- walking the tree -------------------------------------------------------------------
    def named_modules(self, memo=None, prefix: str = "", remove_duplicate: bool = True):
        if memo is None:
            memo = set()
        if remove_duplicate:
            if id(self) in memo:
                return
            memo.add(id(self))
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            sub = f"{prefix}.{name}" if prefix else name
            yield from module.named_modules(memo, sub, remove_duplicate)

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_children(self):
        seen = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self) -> Iterator[Module]:
        for _, module in self.named_children():
            yield module

    def _named_members(self, registry: str, prefix: str, recurse: bool, remove_duplicate=True):
        seen = set()
        mods = (
            self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
            if recurse
            else [(prefix, self)]
        )
        for mod_prefix, module in mods:
            for name, value in getattr(module, registry).items():
                if value is None or (remove_duplicate and id(value) in seen):
                    continue
                seen.add(id(value))
                yield (f"{mod_prefix}.{name}" if mod_prefix else name), value

    def named_parameters(self, prefix: str = "", recurse: bool = True, remove_duplicate=True):
        """``(dotted_name, parameter)`` pairs; a parameter shared by two layers once."""
        yield from self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix: str = "", recurse: bool = True, remove_duplicate=True):
        yield from self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def apply(self, fn) -> Module:
        """Call ``fn`` on every submodule (children first) and on ``self``."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # -- modes and gradients -------------------------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> Module:
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.parameters():
            if p.grad is None:
                continue
            if set_to_none:
                p.grad = None
            else:
                p.grad = Tensor(np.zeros_like(array_of(p.grad)))

    # -- dtype and device ---------------------------------------------------------------------
    def to(self, *args, dtype=None, device=None, non_blocking=False) -> Module:
        """Move parameters and buffers to ``device`` and cast the floating ones to
        ``dtype``: ``to("cuda")``, ``to(cr.float64)``, ``to("cuda", cr.float64)``,
        ``to(tensor)`` (its device and dtype). In place, as PyTorch's: the parameters
        stay the same objects (an optimizer made before keeps working). Integer buffers
        keep their dtype."""
        for a in args:
            if isinstance(a, (str, Device)):
                device = a
            elif isinstance(a, Tensor):
                dtype, device = a.dtype, a.device
            else:
                dtype = a
        where = as_device(device)
        if dtype is not None:
            dtype = np.dtype(dtype)
            if dtype.kind != "f":
                raise TypeError(f"Module.to only accepts floating point dtypes, got {dtype}")
        with no_grad():
            for t in list(self.parameters()) + list(self.buffers()):
                for owner in (t, t.grad):
                    if owner is None:
                        continue
                    value = array_of(owner)
                    new = _converted(value, dtype, where)
                    if new is not value:  # (an unchanged tensor keeps its version)
                        owner.data = new
        return self

    def cuda(self, device=None) -> Module:
        """Move parameters and buffers to CUDA device ``device`` (0 by default)."""
        if device is None or isinstance(device, int):
            device = Device("cuda", device or 0)
        return self.to(device)

    def float(self) -> Module:
        return self.to(np.float32)

    def double(self) -> Module:
        return self.to(np.float64)

    def cpu(self) -> Module:
        """Move parameters and buffers to the host."""
        return self.to(CPU)

    # -- state dict ---------------------------------------------------------------------------
    def state_dict(self, destination=None, prefix: str = "", keep_vars: bool = False):
        """An ordered mapping from dotted names to parameters and persistent buffers
        (detached unless ``keep_vars``), with PyTorch's key names and layouts."""
        return collect_state(self, destination, prefix, keep_vars)

    def load_state_dict(self, state_dict, strict: bool = True, assign: bool = False):
        """Copy values into this module's parameters and buffers, by name.

        Every key's shape and dtype are checked first and nothing is written unless all
        of them fit; a mismatch raises ``RuntimeError`` naming the key and both shapes
        (or dtypes). With ``strict`` (the default), missing and unexpected keys are
        errors too. Returns ``(missing_keys, unexpected_keys)``. ``assign`` is accepted
        for PyTorch's signature; the values are always copied into the existing tensors.
        """
        return load_state(self, state_dict, strict)

    # -- display ------------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The text inside this module's parentheses in ``repr`` (override in layers)."""
        return ""

    def _get_name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        return module_repr(self)


class _Handle:
    """Returned by ``register_forward_hook``; ``remove()`` unregisters the hook."""

    _next = 0

    def __init__(self, registry: OrderedDict, hook):
        _Handle._next += 1
        self.id = _Handle._next
        self._registry = registry
        registry[self.id] = hook

    def remove(self) -> None:
        self._registry.pop(self.id, None)


def _converted(value, dtype, where):
    """``value`` cast to ``dtype`` if it is floating (and not already), then moved to
    ``where``; the same array when neither changes it."""
    if dtype is not None and value.dtype.kind == "f" and value.dtype != dtype:
        value = value.astype(dtype)
    return value if where is None else move(value, where)
