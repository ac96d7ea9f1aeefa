"""Complex matrices in ``chainrule.numpy.linalg`` and the general ``eig``: gradients in
autograd's convention (``dL/da - i dL/db`` for a real loss of ``z = a + ib``), checked
against PyTorch (whose convention is the conjugate) and against the Hermitian
routines where both apply."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

LA = cnp.linalg
RNG = np.random.default_rng(7)
Z = RNG.standard_normal((4, 3)) + 1j * RNG.standard_normal((4, 3))
C = RNG.uniform(0.5, 1.5, 3)


def _torch_grad(loss, z):
    torch = pytest.importorskip("torch")
    t = torch.tensor(z, requires_grad=True)
    loss(torch, t).backward()
    return t.grad.numpy()


def test_svdvals_and_nuclear_norm_match_pytorch_conjugated():
    ours = cr.grad(lambda z: cnp.sum(LA.svd(z, compute_uv=False) * C))(Z)
    theirs = _torch_grad(lambda torch, t: (torch.linalg.svdvals(t) * torch.tensor(C)).sum(), Z)
    np.testing.assert_allclose(ours, np.conj(theirs), atol=1e-10)
    ours = cr.grad(lambda z: LA.norm(z, ord="nuc"))(Z)
    theirs = _torch_grad(lambda torch, t: torch.linalg.matrix_norm(t, ord="nuc"), Z)
    np.testing.assert_allclose(ours, np.conj(theirs), atol=1e-10)


def test_svd_vectors_match_pytorch_conjugated():
    def ours_loss(z):
        u, s, vh = LA.svd(z, full_matrices=False)
        return cnp.sum(cnp.abs(u) * C) + cnp.sum(cnp.abs(vh[:, :2]))

    def torch_loss(torch, t):
        u, s, vh = torch.linalg.svd(t, full_matrices=False)
        return (u.abs() * torch.tensor(C)).sum() + vh[:, :2].abs().sum()

    np.testing.assert_allclose(
        cr.grad(ours_loss)(Z), np.conj(_torch_grad(torch_loss, Z)), atol=1e-10
    )


def test_hermitian_eigh_matches_pytorch_conjugated():
    q = np.linalg.qr(RNG.standard_normal((3, 3)) + 1j * RNG.standard_normal((3, 3)))[0]
    h = (q * [1.0, 2.0, 3.5]) @ q.conj().T

    def ours_loss(a):
        w, v = LA.eigh(a)
        return cnp.sum(w * C) + cnp.sum(cnp.abs(v[0]))

    def torch_loss(torch, t):
        t = (t + t.conj().T) / 2  # the same Hermitian part that eigh reads
        w, v = torch.linalg.eigh(t)
        return (w * torch.tensor(C)).sum() + v[0].abs().sum()

    np.testing.assert_allclose(
        cr.grad(ours_loss)(h), np.conj(_torch_grad(torch_loss, h)), atol=1e-10
    )


def test_eig_of_a_symmetric_matrix_agrees_with_eigvalsh():
    q = np.linalg.qr(RNG.standard_normal((4, 4)))[0]
    a = (q * [1.0, 2.0, 3.0, 4.5]) @ q.T
    weights = np.array([0.3, -1.0, 2.0, 0.7])

    def by_eig(x):
        w = cnp.real(LA.eigvals(x))
        return cnp.sum(cnp.sort(w) * weights)

    g_eig = cr.grad(by_eig)(a)
    g_eigh = cr.grad(lambda x: cnp.sum(LA.eigvalsh(x) * weights))(a)
    np.testing.assert_allclose(g_eig, g_eigh, atol=1e-10)


def test_eig_of_a_real_matrix_with_complex_eigenvalues():
    a = np.array([[1.0, -2.0, 0.3], [2.0, 1.0, 0.1], [0.0, 0.2, 3.0]])
    w, v = LA.eig(a)
    assert np.iscomplexobj(w) and np.allclose(a @ v, v * w)
    # derivatives (both modes, second order) of a phase-free function of the result
    cr.check_grads(lambda x: cnp.abs(LA.eig(x)[0]) + cnp.sum(cnp.abs(LA.eig(x)[1]), 0), (a,))
    assert np.isrealobj(cr.grad(lambda x: cnp.sum(cnp.abs(LA.eigvals(x))))(a))


def test_complex_norms_are_norms_of_the_moduli():
    z = Z[:, 0]
    for ord_ in (None, 1, 3, np.inf):
        want = cr.grad(lambda r: LA.norm(r, ord=ord_))(np.abs(z)) * np.conj(z) / np.abs(z)
        np.testing.assert_allclose(cr.grad(lambda x: LA.norm(x, ord=ord_))(z), want, atol=1e-12)
    assert cr.grad(lambda x: LA.norm(x))(np.zeros(3, complex)).tolist() == [0, 0, 0]


def test_norm_of_a_list_of_traced_values():
    assert cr.grad(lambda x: LA.norm([x, x + 2.0]))(0.0) == 1.0
    assert cr.grad(lambda x: LA.norm((x, 3.0 * x)))(1.0) == pytest.approx(np.sqrt(10.0))


def test_other_functions_still_refuse_traced_complex_matrices():
    with pytest.raises(NotImplementedError, match="complex"):
        cr.grad(lambda z: cnp.abs(LA.det(z)))(Z[:3])
