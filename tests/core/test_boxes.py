"""Boxes: their array surface is declared by the class and delegates to the operations
the primitives layer registers; the boxes around a box whose class names methods for
them (a Tensor) present those methods first."""

import os
import subprocess
import sys

import numpy as np
import pytest

import chainrule  # noqa: F401  (registers the array operations)
from chainrule.core.array_ops import ArrayOps, ops, register_array_ops
from chainrule.core.reverse import ReverseBox, ReverseTrace
from chainrule.core.trace import Box, box_type


@pytest.mark.parametrize(
    "module, cls", [("chainrule.core.trace", "Box"), ("chainrule.tensors.tensor_class", "Tensor")]
)
def test_importing_the_package_adds_nothing_to_box_or_tensor(module, cls):
    # each class declares its whole surface: no module attaches attributes to it later
    code = (
        f"from {module} import {cls}; before = set(dir({cls}));"
        "import chainrule, chainrule.nn, chainrule.viz, chainrule.symbolic;"
        f"print(sorted(set(dir({cls})) ^ before))"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "[]"


def test_the_array_surface_is_declared_by_the_class():
    own = vars(Box)
    for name in ("__add__", "__rmatmul__", "__and__", "__getitem__", "__iter__", "__array__",
                 "__array_ufunc__", "__array_function__", "shape", "dtype", "T", "mT",
                 "reshape", "transpose", "sum", "max", "astype"):  # fmt: skip
        assert name in own, name


def test_every_declared_operation_is_registered():
    for name in ArrayOps.__annotations__:
        assert callable(getattr(ops, name)), name


def test_registering_checks_the_table():
    with pytest.raises(ValueError, match="missing"):
        register_array_ops(add=np.add)
    complete = {name: getattr(ops, name) for name in ArrayOps.__annotations__}
    with pytest.raises(ValueError, match="unknown.*'cube'"):
        register_array_ops(**complete, cube=np.cbrt)


class _Methods(Box):
    __slots__ = ()

    def sum(self, dim=None):  # a method with another meaning than NumPy's
        return ("methods", dim)

    def double(self):
        return "doubled"


class _Kind(Box):
    __slots__ = ()
    _boxed_methods = _Methods


def test_box_type_gives_the_boxes_around_a_kind_its_methods():
    assert box_type(ReverseBox, np.ones(2)) is ReverseBox
    assert box_type(ReverseBox, ReverseBox(1.0, ReverseTrace(1), None)) is ReverseBox
    kind = _Kind(np.ones(2), ReverseTrace(1))
    cls = box_type(ReverseBox, kind)
    assert issubclass(cls, ReverseBox) and issubclass(cls, _Methods)
    assert cls is box_type(ReverseBox, kind)  # made once
    box = cls(kind, ReverseTrace(2), None)
    assert box.sum(dim=1) == ("methods", 1) and box.double() == "doubled"
    assert box.reshape is not None  # NumPy's methods that the kind does not name remain
    around = box_type(ReverseBox, box)(box, ReverseTrace(3), None)
    assert around.double() == "doubled"  # boxes around that box present them too
