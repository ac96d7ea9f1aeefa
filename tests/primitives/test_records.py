"""The conventions of the rule table (stated in :mod:`chainrule.primitives`), checked over
the registry, so that a new record that breaks one fails here: each record is bound to
``<name>_p`` and to no other name, users call a function in front of it (never the
record), and every rule names the primal output ``ans`` and the incoming cotangent or
tangent ``g`` in the same places."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys

import chainrule.numpy as cnp
import chainrule.primitives
import chainrule.scipy.special as csp
from chainrule.core.primitive import Primitive, registry

MODULES = [
    importlib.import_module(f"chainrule.primitives.{info.name}")
    for info in pkgutil.iter_modules(chainrule.primitives.__path__)
]


def _bindings(modules) -> dict[str, set[tuple[str, str]]]:
    """Record name -> the (module, attribute) pairs bound to it."""
    found: dict[str, set[tuple[str, str]]] = {}
    for module in modules:
        for attr, value in vars(module).items():
            if isinstance(value, Primitive):
                found.setdefault(value.name, set()).add((module.__name__, attr))
    return found


BINDINGS = _bindings(MODULES)
# records that other layers declare (one-off primitives such as stop_gradient)
ELSEWHERE = _bindings(
    m
    for name, m in list(sys.modules.items())
    if name.startswith("chainrule.") and not name.startswith("chainrule.primitives")
)
RECORDS = [registry[name] for name in sorted(BINDINGS)]


def test_the_scan_sees_the_rule_table():
    assert len(MODULES) > 20 and len(RECORDS) > 100


def test_every_record_is_bound_to_its_name_p_only():
    wrong = sorted(
        f"{module}.{attr} holds the record {name!r}"
        for name, places in BINDINGS.items()
        for module, attr in places
        if attr != f"{name}_p"
    )
    assert not wrong, "\n".join(wrong)


def test_every_registered_record_is_bound_in_a_module():
    lost = sorted(set(registry) - set(BINDINGS) - set(ELSEWHERE))
    assert not lost, f"records bound to no module-level name: {lost}"


def test_public_functions_are_never_records():
    namespaces = {"chainrule.numpy": cnp, "chainrule.numpy.linalg": cnp.linalg}
    namespaces["chainrule.scipy.special"] = csp
    checked = 0
    for label, namespace in namespaces.items():
        for name in namespace.__all__ if hasattr(namespace, "__all__") else dir(namespace):
            obj = getattr(namespace, name)
            assert not isinstance(obj, Primitive), f"{label}.{name} is a record, not a function"
            fast = getattr(obj, "primitive", None)
            if fast is not None:  # a ufunc's public function names its record
                assert fast.name == obj.__name__, f"{label}.{name} -> {fast}"
            checked += 1
    assert checked > 200


def _params(fn) -> list[str]:
    return list(inspect.signature(fn).parameters)


def test_rules_name_ans_and_g_in_the_same_places():
    wrong = []
    for prim in RECORDS:
        if _params(prim.impl)[:1] != ["xp"]:
            wrong.append(f"{prim.name}: the forward takes xp first")
        for i, rule in prim.vjps.items():
            if _params(rule)[:1] != ["ans"]:
                wrong.append(f"{prim.name}: VJP {i} {_params(rule)}")
        for i, rule in prim.jvps.items():
            if _params(rule)[:2] != ["g", "ans"]:
                wrong.append(f"{prim.name}: JVP {i} {_params(rule)}")
        if prim.vjp_joint is not None and _params(prim.vjp_joint)[:2] != ["argnums", "ans"]:
            wrong.append(f"{prim.name}: joint VJP {_params(prim.vjp_joint)}")
        if prim.jvp_joint is not None and _params(prim.jvp_joint)[:2] != ["gs", "ans"]:
            wrong.append(f"{prim.name}: joint JVP {_params(prim.jvp_joint)}")
    assert not wrong, "\n".join(wrong)
