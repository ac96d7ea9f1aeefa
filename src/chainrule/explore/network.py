"""The Network panel: the tutorial's one-hidden-layer network on the 8x8 digits.

``64 → 32 (tanh) → 10``, cross-entropy loss, plain gradient descent on the whole
training set (1,438 images), so that one "step" is exactly one update
``W ← W − lr·∂L/∂W`` and, with the default learning rate, the loss goes down. The
session lives in the server process (the work is bounded by our own sizes, not by user
input); a lock serialises the requests.

:func:`explain_first_layer` is the one place that explains ∂L/∂W1; it is written so that
a layer-level explanation can replace :func:`chainrule.viz.explain_backward` there.
"""

from __future__ import annotations

import threading

import numpy as np

from chainrule import data, nn, optim, viz
from chainrule.nn import functional as F
from chainrule.tensors import manual_seed, no_grad

HIDDEN = 32
LEARNING_RATE = 0.5
MAX_STEPS_PER_REQUEST = 50  # "train" asks for chunks of at most this many steps
EXPLAIN_BATCH = 8  # images in the explained forward pass


def explain_first_layer(model: nn.Sequential, images, labels) -> str:
    """How ∂L/∂W1 comes about on a small batch: the chain-rule product, as text."""
    W1 = model[0].weight
    z1 = model[0](images)
    h = model[1](z1)
    z2 = model[2](h)
    L = F.cross_entropy(z2, labels)
    names = {"W1": W1, "z1": z1, "h": h, "z2": z2, "L": L}
    # W1.grad holds the last training step's gradient (the whole training set), not this
    # batch's: hidden while explaining, so the text does not compare the two
    grad, W1.grad = W1.grad, None
    try:
        return str(viz.explain_backward(L, wrt=W1, names=names, model=model))
    finally:
        W1.grad = grad


class NetworkSession:
    """The network, its data, and the history of its training loss."""

    def __init__(self, seed: int = 0, lr: float = LEARNING_RATE):
        self._lock = threading.Lock()
        train, test = data.datasets.load_digits()
        self._train_x, self._train_y = train.tensors
        self._test_x, self._test_y = test.tensors
        self.seed, self.lr = seed, lr
        self.reset()

    def reset(self) -> dict:
        with self._lock:
            manual_seed(self.seed)
            self.model = nn.Sequential(nn.Linear(64, HIDDEN), nn.Tanh(), nn.Linear(HIDDEN, 10))
            self.optimizer = optim.SGD(self.model.parameters(), lr=self.lr)
            self.steps = 0
            self.history = [self._loss()]
            return self._state(previous_w1=None)

    def _loss(self) -> float:
        with no_grad():
            return F.cross_entropy(self.model(self._train_x), self._train_y).item()

    def train(self, steps: int = 1) -> dict:
        """``steps`` full-batch gradient-descent updates; the state after them."""
        if not isinstance(steps, int) or isinstance(steps, bool):
            raise ValueError("steps must be a whole number")
        if not 1 <= steps <= MAX_STEPS_PER_REQUEST:
            raise ValueError(f"steps must be 1..{MAX_STEPS_PER_REQUEST}, got {steps}")
        with self._lock:
            before = self.model[0].weight.detach().numpy().copy()
            for _ in range(steps):
                loss = F.cross_entropy(self.model(self._train_x), self._train_y)
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()
                self.steps += 1
                self.history.append(self._loss())
            return self._state(previous_w1=before)

    def state(self) -> dict:
        with self._lock:
            return self._state(previous_w1=None)

    def _state(self, previous_w1) -> dict:
        W1 = self.model[0].weight.detach().numpy()
        images, labels = self._test_x[:EXPLAIN_BATCH], self._test_y[:EXPLAIN_BATCH]
        with no_grad():
            predicted = np.argmax(self.model(self._test_x).numpy(), axis=1)
        change = None if previous_w1 is None else W1 - previous_w1
        return {
            "architecture": str(self.model),
            "learning_rate": self.lr,
            "steps": self.steps,
            "loss": self.history[-1],
            "history": self.history,
            "test_accuracy": float(np.mean(predicted == self._test_y.numpy())),
            "w1": np.round(W1, 4).tolist(),
            "w1_change": None if change is None else np.round(change, 6).tolist(),
            "w1_change_norm": None if change is None else float(np.linalg.norm(change)),
            "explanation": explain_first_layer(self.model, images, labels),
        }
