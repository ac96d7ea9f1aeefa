"""The tutorial's two cases, end to end:

1. d/dx (3x + 2)^2 = 18x + 12, checked at a few points by reverse and forward mode;
2. backprop through a one-hidden-layer network out = σ(W2·tanh(W1·x + b1) + b2),
   printing the gradient of the loss with respect to W1 (functional API and Tensor API,
   which must agree).

Run: ``python examples/quickstart.py``
"""

import numpy as np

import chainrule as cr
import chainrule.numpy as cnp


def square_of_affine(x):
    return (3 * x + 2) ** 2


def sigmoid(z):
    return 1.0 / (1.0 + cnp.exp(-z))


def network(params, x):
    hidden = cnp.tanh(params["W1"] @ x + params["b1"])
    return sigmoid(params["W2"] @ hidden + params["b2"])


def loss(params, x, target):
    return cnp.sum((network(params, x) - target) ** 2)


def main() -> None:
    print("1) d/dx (3x+2)^2 = 2(3x+2)·3 = 18x + 12")
    for x in (-1.0, 0.0, 0.5, 2.0):
        rev = cr.grad(square_of_affine)(x)
        _, fwd = cr.jvp(square_of_affine, (x,), (1.0,))
        print(
            f"   x = {x:5.2f}: reverse {rev:8.3f}   forward {fwd:8.3f}"
            f"   18x+12 = {18 * x + 12:8.3f}"
        )
        assert np.isclose(rev, 18 * x + 12) and np.isclose(fwd, 18 * x + 12)

    rng = np.random.default_rng(0)
    params = {
        "W1": rng.normal(size=(4, 3)),
        "b1": np.zeros(4),
        "W2": rng.normal(size=(2, 4)),
        "b2": np.zeros(2),
    }
    x = np.array([0.5, -1.0, 2.0])
    target = np.array([1.0, 0.0])
    grads = cr.grad(loss)(params, x, target)
    print("\n2) one-hidden-layer network: dL/dW1 (functional API, cr.grad over a dict)")
    print(np.array2string(grads["W1"], precision=5, suppress_small=True))

    tensors = {k: cr.tensor(v, requires_grad=True) for k, v in params.items()}
    out = loss(tensors, cr.tensor(x), cr.tensor(target))
    out.backward()
    print("   the same from the Tensor API (loss.backward(), W1.grad):")
    print(np.array2string(tensors["W1"].grad.numpy(), precision=5, suppress_small=True))
    assert np.allclose(tensors["W1"].grad.numpy(), grads["W1"])
    cr.check_grads(lambda W1: loss({**params, "W1": W1}, x, target), (params["W1"],), order=2)
    print("   check_grads: reverse and forward mode agree with finite differences (order 2)")


if __name__ == "__main__":
    main()
