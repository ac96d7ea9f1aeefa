"""Sweep entries for the SciPy-backed records (``special_scipy``, ``scipy_linalg``):
forwards against SciPy, derivatives by central differences. Order and shape
parameters are fixed in each entry (they have no derivative)."""

import numpy as np
from scipy import integrate, linalg, special

import chainrule.numpy as cnp
import chainrule.scipy.linalg as cla
import chainrule.scipy.special as csp
from chainrule.scipy import integrate as csp_integrate
from tests.primitives._spec import Arg, OpSpec

SPECS = []
V, M = (4,), (3, 4)


def _add(name, fun, args, ref, covers, **kw):
    SPECS.append(OpSpec(name, fun, args, ref=ref, covers=covers, **kw))


# -- elementwise in one argument ----------------------------------------------------------
for _name, _low, _high in [
    ("gamma", 0.3, 4.0), ("rgamma", 0.3, 4.0), ("erfcinv", 0.1, 1.9), ("ndtri", 0.05, 0.95),
    ("log_ndtr", -4.0, 3.0), ("j0", 0.2, 10.0), ("j1", 0.2, 10.0), ("y0", 0.2, 10.0),
    ("y1", 0.2, 10.0), ("i0", 0.2, 5.0), ("i1", 0.2, 5.0),
]:  # fmt: skip
    for _shape in ((), M):
        _add(f"{_name}-{_shape}", getattr(csp, _name), [Arg(_shape, _low, _high)],
             getattr(special, _name), (_name,))  # fmt: skip
_add("gammasgn", csp.gammasgn, [Arg(V, -3.5, 3.5)], special.gammasgn, ("gammasgn",),
     zero_derivative=True)  # fmt: skip
_add("gamma-negative", csp.gamma, [Arg(V, -1.9, -1.1)], special.gamma, ("gamma",))

# -- two arguments, both differentiable -----------------------------------------------------
for _name in ("beta", "betaln"):
    for _sa, _sb in [(V, V), (M, V), ((3, 1), (1, 4))]:
        _add(f"{_name}-{_sa}-{_sb}", getattr(csp, _name), [Arg(_sa, 0.5, 4.0), Arg(_sb, 0.5, 4.0)],
             getattr(special, _name), (_name,))  # fmt: skip

# -- an order or shape parameter (fixed) and x --------------------------------------------
for _name, _param, _low, _high in [
    ("gammainc", 2.5, 0.2, 5.0), ("gammaincc", 2.5, 0.2, 5.0), ("gammainc", 0.7, 0.2, 5.0),
    ("stdtr", 3.5, -3.0, 3.0), ("jv", 2.0, 0.2, 10.0), ("jv", 1.5, 0.2, 10.0),
    ("yv", 2.0, 0.5, 10.0), ("iv", 2.0, 0.2, 5.0), ("ive", 1.5, 0.2, 5.0), ("ive", 2, -5.0, 5.0),
    ("jn", 3, 0.2, 10.0), ("yn", 2, 0.5, 10.0),
]:  # fmt: skip
    _rec = {"jn": "jv", "yn": "yv"}.get(_name, _name)
    _add(f"{_name}-{_param}", lambda x, _n=_name, _p=_param: getattr(csp, _n)(_p, x),
         [Arg(M, _low, _high)], lambda x, _n=_name, _p=_param: getattr(special, _n)(_p, x),
         (_rec,))  # fmt: skip
_add("iv-order-array", lambda x: csp.iv(np.array([0.5, 1.0, 2.0, 3.5]), x), [Arg(M, 0.2, 5.0)],
     lambda x: special.iv(np.array([0.5, 1.0, 2.0, 3.5]), x), ("iv",))  # fmt: skip
_add("betainc", lambda x: csp.betainc(np.array([1.5, 2.0, 3.0, 0.8]), 2.5, x),
     [Arg(M, 0.05, 0.95)], lambda x: special.betainc(np.array([1.5, 2.0, 3.0, 0.8]), 2.5, x),
     ("betainc",))  # fmt: skip
_add("multigammaln", lambda a: csp.multigammaln(a, 3), [Arg(M, 2.5, 5.0)],
     lambda a: special.multigammaln(a, 3), ("gammaln",))  # fmt: skip


# -- linear algebra -------------------------------------------------------------------------
def _triangular(lower):
    def draw(rng):
        a = rng.uniform(-1.0, 1.0, (3, 3)) + 3.0 * np.eye(3)
        return np.tril(a) if lower else np.triu(a)

    return draw


def _spd(rng):
    a = rng.uniform(-1.0, 1.0, (3, 3))
    return a @ a.T + 3.0 * np.eye(3)


# each triangle with each trans on a matrix b; a vector b; a unit diagonal
for _lower, _trans, _bshape, _unit in [
    (True, 0, (3, 2), False), (True, 1, (3, 2), False), (False, 0, (3, 2), False),
    (False, 1, (3, 2), False), (True, 0, (3,), False), (False, 1, (3,), True),
]:  # fmt: skip
    _kw = {"lower": _lower, "trans": _trans, "unit_diagonal": _unit}
    _add(f"solve_triangular-{_lower}-{_trans}-{_bshape}-{_unit}",
         lambda a, b, _kw=_kw: cla.solve_triangular(a, b, **_kw),
         [Arg(draw=_triangular(_lower)), Arg(_bshape)],
         lambda a, b, _kw=_kw: linalg.solve_triangular(a, b, **_kw),
         ("solve_triangular",))  # fmt: skip
_add("solve_sylvester", cla.solve_sylvester,
     [Arg(draw=lambda r: r.uniform(-1, 1, (3, 3)) + 3 * np.eye(3)),
      Arg(draw=lambda r: r.uniform(-1, 1, (2, 2)) + 3 * np.eye(2)), Arg((3, 2))],
     linalg.solve_sylvester, ("solve_sylvester",))  # fmt: skip
_add("sqrtm", cla.sqrtm, [Arg(draw=_spd)], linalg.sqrtm, ("sqrtm",))
_add("sqrtm-nonsymmetric", cla.sqrtm,
     [Arg(draw=lambda r: r.uniform(-0.5, 0.5, (3, 3)) + 2 * np.eye(3))], linalg.sqrtm,
     ("sqrtm",))  # fmt: skip


# -- odeint: y0, the times and the arguments ------------------------------------------------
def _dynamics(y, t, a, b):
    return -cnp.sqrt(t) * y + a - b * cnp.mean(y**2)


def _solve(y0, t, a, b, module):
    return module.odeint(_dynamics, y0, t, args=(a, b), rtol=1e-10, atol=1e-10)


_add("odeint", lambda y0, t, a, b: _solve(y0, t, a, b, csp_integrate),
     [Arg((2,)), Arg(draw=lambda r: np.sort(r.uniform(0.1, 0.6, 3))), Arg((2,)), Arg((), 0.2, 0.5)],
     lambda y0, t, a, b: _solve(y0, t, a, b, integrate), ("odeint",), atol=1e-6, rtol=1e-6)  # fmt: skip
