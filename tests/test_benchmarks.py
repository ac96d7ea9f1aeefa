"""The peer benchmark's own correctness: chainrule's implementations of its workloads
agree with the hand-written NumPy gradients, and the check that guards every timing
rejects a wrong gradient. (Timings are not tested; they belong to benchmarks/.)"""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import peer_chainrule  # noqa: E402
import peer_numpy  # noqa: E402
from peer_workloads import TOLERANCE, check, make_data  # noqa: E402

CASES = [
    (impl, workload)
    for impl, factories in peer_chainrule.IMPLS.items()
    for workload in factories
    if workload != "matmul"  # 1024² products: too slow for the suite; same code path as mlp
]


def _reference(workload):
    return peer_numpy.IMPLS[peer_numpy.NAME][workload](make_data(workload))()


@pytest.mark.parametrize("impl, workload", CASES)
def test_chainrule_matches_hand_written_numpy(impl, workload):
    got = peer_chainrule.IMPLS[impl][workload](make_data(workload))()
    error = check(workload, [peer_chainrule.to_numpy(g) for g in got], _reference(workload))
    assert error <= TOLERANCE[workload]  # check() raises first; this names the bound


def test_hand_written_hessian_matches_finite_differences():
    data = make_data("hessian")
    m, x = data["m"], data["x"]

    def grad(x):  # Σ_i softmax(M_i x)_j M_ij + x_j
        z = m * x
        p = np.exp(z - z.max(axis=1, keepdims=True))
        return (p / p.sum(axis=1, keepdims=True) * m).sum(axis=0) + x

    eps = 1e-6
    fd = np.stack([(grad(x + eps * e) - grad(x - eps * e)) / (2 * eps) for e in np.eye(100)])
    (h,) = _reference("hessian")
    np.testing.assert_allclose(h, fd, atol=1e-6)


def test_check_rejects_a_wrong_gradient():
    want = _reference("elementwise")
    wrong = [want[0], want[1] * (1 + 1e-6)]
    with pytest.raises(AssertionError, match="elementwise: gradient 1 differs"):
        check("elementwise", wrong, want)
    with pytest.raises(AssertionError, match="has shape"):
        check("elementwise", [want[0], want[1][:4]], want)
    with pytest.raises(AssertionError, match="1 gradients, expected 2"):
        check("elementwise", want[:1], want)
