"""The tutorial's network, trained by backpropagation, written twice.

    out = σ(W2 · tanh(W1 · x + b1) + b2)

1. With ``nn`` (PyTorch style): ``nn.Linear`` layers, ``loss.backward()`` fills ``.grad``.
2. With the functional API (JAX/autograd style): a loss function of a *dict* of
   parameters, differentiated by ``cr.grad``, which returns a dict of the same shape.

Both start from the same weights, and the script asserts that they produce the same
gradients (to rounding) before training each for a few hundred steps on a small
problem: is a digit from the 8x8 digits data a "0" or not? (σ is the logistic sigmoid,
so ``out`` is a probability and the loss is binary cross-entropy.)

    python examples/tutorial_network.py
"""

import numpy as np

import chainrule as cr
import chainrule.numpy as cnp
from chainrule import data, nn
from chainrule.scipy.special import expit  # σ(z) = 1 / (1 + e^-z)

HIDDEN = 16
LR = 0.5
STEPS = 300


class TutorialNet(nn.Module):
    def __init__(self, n_in: int, n_hidden: int):
        super().__init__()
        self.layer1 = nn.Linear(n_in, n_hidden)  # W1 (hidden, in), b1 (hidden,)
        self.layer2 = nn.Linear(n_hidden, 1)  # W2 (1, hidden),   b2 (1,)

    def forward(self, x):
        h = cnp.tanh(self.layer1(x))
        return expit(self.layer2(h))[:, 0]


def predict(params: dict, x):
    """The same network as a plain function of a dict of arrays (column-vector maths:
    W·x for each row x of the batch is x @ W.T)."""
    h = cnp.tanh(x @ params["W1"].T + params["b1"])
    return expit(h @ params["W2"].T + params["b2"])[:, 0]


def bce(p, y):
    """Binary cross-entropy, averaged over the batch."""
    return -cnp.mean(y * cnp.log(p) + (1 - y) * cnp.log(1 - p))


def functional_loss(params: dict, x, y):
    return bce(predict(params, x), y)


def main() -> None:
    # float64 for the layers too (the Tensor world's default is float32, as PyTorch's):
    # the two ways are compared with the functional API's float64 to 1e-10
    cr.set_default_dtype(cr.float64)
    cr.manual_seed(0)
    train, test = data.datasets.load_digits()
    x_train, labels = (t.numpy() for t in train.tensors)
    y_train = (labels == 0).astype(np.float64)
    x_test, test_labels = (t.numpy() for t in test.tensors)
    y_test = (test_labels == 0).astype(np.float64)

    # --- 1. nn: the PyTorch way ----------------------------------------------------------
    net = TutorialNet(64, HIDDEN)
    x, y = cr.from_numpy(x_train), cr.from_numpy(y_train)
    loss = bce(net(x), y)
    loss.backward()
    nn_grads = {
        "W1": net.layer1.weight.grad.numpy(),
        "b1": net.layer1.bias.grad.numpy(),
        "W2": net.layer2.weight.grad.numpy(),
        "b2": net.layer2.bias.grad.numpy(),
    }

    # --- 2. the functional way: grad of a function of a dict -----------------------------
    params = {
        "W1": net.layer1.weight.detach().numpy().copy(),
        "b1": net.layer1.bias.detach().numpy().copy(),
        "W2": net.layer2.weight.detach().numpy().copy(),
        "b2": net.layer2.bias.detach().numpy().copy(),
    }
    fn_grads = cr.grad(functional_loss)(params, x_train, y_train)

    for name in params:
        np.testing.assert_allclose(fn_grads[name], nn_grads[name], rtol=1e-10, atol=1e-12)
    print("nn and cr.grad give the same gradients:", ", ".join(sorted(params)))
    # the chain rule by hand, for the output bias: dL/db2 = mean(out - y)
    # (σ' cancels against the cross-entropy's 1/(p(1-p)))
    out = predict(params, x_train)
    np.testing.assert_allclose(fn_grads["b2"], [np.mean(out - y_train)], rtol=1e-10)
    print("and dL/db2 = mean(out - y), as the chain rule says by hand")

    # --- train both for a while with plain gradient descent -------------------------------
    step = cr.value_and_grad(functional_loss)
    for i in range(STEPS):
        # nn version
        net.zero_grad()
        loss = bce(net(x), y)
        loss.backward()
        with cr.no_grad():
            for p in net.parameters():
                p -= LR * p.grad
        # functional version
        value, grads = step(params, x_train, y_train)
        params = {k: params[k] - LR * grads[k] for k in params}
        if i % 100 == 0 or i == STEPS - 1:
            print(f"step {i:3d}  loss (nn) {float(loss):.4f}  loss (functional) {float(value):.4f}")

    with cr.no_grad():
        acc_nn = np.mean((net(cr.from_numpy(x_test)).numpy() > 0.5) == y_test)
    acc_fn = np.mean((np.asarray(predict(params, x_test)) > 0.5) == y_test)
    print(f"test accuracy, 'is it a 0?': nn {100 * acc_nn:.1f}%, functional {100 * acc_fn:.1f}%")
    # the two trajectories are the same computation in floating point
    np.testing.assert_allclose(
        net.layer1.weight.detach().numpy(), params["W1"], rtol=1e-8, atol=1e-10
    )


if __name__ == "__main__":
    main()
