"""``chainrule demo``: the guided tour of the chain rule, in the terminal.

1. The symbolic derivation of (3x+2)^2, rule by rule (:mod:`chainrule.symbolic`).
2. The same derivative by automatic differentiation at x = 1, and the chain-rule
   product behind it (:func:`chainrule.viz.explain_backward`).
3. The computation graph as a picture (:func:`chainrule.viz.draw`); without Graphviz's
   ``dot`` the DOT file is written instead, with a hint on installing it.
4. A one-hidden-layer network (64 → 32 → 10, tanh) trained on the 8x8 digits by
   backprop, with a progress bar, then how the gradient reaches the first layer's
   weights W1: ∂L/∂W1 as a product of local derivatives, and the network's graph.

It takes a few seconds with the default ``--epochs``; files go to ``--out``.
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

import chainrule as cr
from chainrule import data, nn, optim, viz
from chainrule.cli._common import CLIError
from chainrule.nn import functional as F
from chainrule.viz.dot import INSTALL_HINT, GraphvizNotFound, dot_available
from chainrule.viz.format import fit, wrap

EXPRESSION = "(3x+2)^2"
DERIVATION_NEEDS_SYMPY = (
    "(The derivation rule by rule needs SymPy: pip install 'chainrule[demo]'. "
    "By hand: with u = 3x + 2 and y = u^2, dy/dx = dy/du \u00b7 du/dx = 2u \u00b7 3, "
    "which is 30 at x = 1. The rest of the tour needs NumPy only.)"
)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "demo",
        help="guided tour: derive (3x+2)^2, draw its graph, train a small network, "
        "and show how the gradient reaches the first layer",
        description="A guided tour of the chain rule: symbolic, automatic, drawn, and "
        "inside a neural network trained on handwritten digits.",
    )
    p.add_argument("--out", default="chainrule-demo", metavar="DIR",
                   help="folder for the pictures (default: ./chainrule-demo)")  # fmt: skip
    p.add_argument("--epochs", type=int, default=10, help="training epochs (default: 10)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.set_defaults(func=run)


def _section(title: str) -> None:
    print()
    print(title)
    print("\u2500" * len(title))


def _save_picture(graph, out_dir: str, stem: str) -> str:
    """Save as SVG and PNG, or, without Graphviz, as DOT with a hint. Returns a line."""
    svg = os.path.join(out_dir, stem + ".svg")
    try:
        graph.save(svg)
        graph.save(os.path.join(out_dir, stem + ".png"))
        return f"wrote {stem}.svg and {stem}.png"
    except GraphvizNotFound:
        graph.save(os.path.join(out_dir, stem + ".dot"))
        return f"wrote {stem}.dot (no picture: Graphviz's `dot` is not installed; see the end)"


class _Progress:
    """A progress bar: rich's when it is installed, else a plain one on stderr."""

    def __init__(self, total: int, description: str):
        self.total, self.done, self.description = total, 0, description
        self.status = ""
        self._rich = None
        try:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
        except ImportError:
            return
        self._rich = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(),
        )
        self._task = self._rich.add_task(description, total=total, status="")

    def __enter__(self):
        if self._rich is not None:
            self._rich.__enter__()
        return self

    def advance(self, status: str = "") -> None:
        self.done += 1
        self.status = status
        if self._rich is not None:
            self._rich.update(self._task, advance=1, status=status)
            return
        width = 30
        filled = int(width * self.done / self.total)
        bar = "#" * filled + "." * (width - filled)
        end = "\n" if self.done == self.total else ""
        print(f"\r{self.description} [{bar}] {self.done}/{self.total} {status}", end=end,
              file=sys.stderr, flush=True)  # fmt: skip

    def __exit__(self, *exc):
        if self._rich is not None:
            self._rich.__exit__(*exc)
        return False


def _tour_scalar(out_dir: str) -> None:
    _section(f"1. The chain rule by hand: d/dx {EXPRESSION}")
    try:
        from chainrule import symbolic  # needs SymPy, an optional dependency
    except ImportError:
        exact = None
        print("\n".join(wrap(DERIVATION_NEEDS_SYMPY)))
    else:
        d = symbolic.derive(EXPRESSION, wrt="x")
        print(fit(str(d)))
        exact = d.at(x=1)
        print(f"\nAt x = 1 the derivative is {exact:g}.")

    _section("2. The same number by automatic differentiation")
    print(">>> x = cr.tensor(1.0, requires_grad=True)")
    print(">>> u = 3 * x + 2                # the u of the derivation above")
    print(">>> y = u ** 2")
    print(">>> y.backward(retain_graph=True)  # keep the graph to explain and draw it")
    x = cr.tensor(1.0, requires_grad=True)
    u = 3 * x + 2
    y = u**2
    y.backward(retain_graph=True)  # keep the graph for the explanation and the picture
    same = ""
    if exact is not None and abs(x.grad.item() - exact) < 1e-9:
        same = "\u2713 the same as the symbolic result"
    print(f"x.grad = {x.grad.item():g}   {same}")
    print("\nbackward() multiplied the local derivatives along the graph:\n")
    print(viz.explain_backward(y, wrt=x, names={"x": x, "u": u, "y": y}))

    _section("3. The computation graph")
    graph = viz.draw(y, names={"x": x, "u": u, "y": y})
    print(_save_picture(graph, out_dir, "chain_rule"))
    print("Each box: the op, its value and its gradient; each edge: the local derivative.")


def _tour_network(out_dir: str, epochs: int, seed: int) -> None:
    _section("4. Backprop in a one-hidden-layer network (8x8 digits)")
    train, test = data.datasets.load_digits()
    cr.manual_seed(seed)
    model = nn.Sequential(nn.Linear(64, 32), nn.Tanh(), nn.Linear(32, 10))
    print(model)
    opt = optim.Adam(model.parameters(), lr=1e-2)
    loader = data.DataLoader(train, batch_size=64, shuffle=True, seed=seed)
    steps = epochs * len(loader)
    start = time.perf_counter()
    with _Progress(steps, "training") as bar:
        for epoch in range(epochs):
            for images, labels in loader:
                loss = F.cross_entropy(model(images), labels)
                opt.zero_grad()
                loss.backward()
                opt.step()
                bar.advance(f"epoch {epoch + 1}/{epochs}  loss {loss.item():.3f}")
    with cr.no_grad():
        images, labels = test.tensors
        predicted = np.argmax(model(images).numpy(), axis=1)
        accuracy = float(np.mean(predicted == labels.numpy()))
    print(f"test accuracy {accuracy:.1%} after {epochs} epochs "
          f"({time.perf_counter() - start:.1f} s)")  # fmt: skip

    _section("5. How the gradient reaches the first layer's weights W1")
    images, labels = next(iter(data.DataLoader(test, batch_size=8)))
    W1 = model[0].weight
    z1 = model[0](images)
    h = model[1](z1)
    z2 = model[2](h)
    L = F.cross_entropy(z2, labels)
    W2 = model[2].weight
    names = {"W1": W1, "b1": model[0].bias, "W2": W2, "b2": model[2].bias,
             "z1": z1, "h": h, "z2": z2, "L": L}  # fmt: skip
    print("On a batch of 8 test images x, with y their one-hot labels:")
    print("    z1 = W1·x + b1    h = tanh(z1)    z2 = W2·h + b2    L = cross_entropy(z2, y)")
    print("so by the chain rule  \u2202L/\u2202W1 = \u2202L/\u2202z2 \u00b7 \u2202z2/\u2202h "
          "\u00b7 \u2202h/\u2202z1 \u00b7 \u2202z1/\u2202W1.\n")  # fmt: skip
    model.zero_grad()
    L.backward(retain_graph=True)  # keep the graph for the explanation and the picture
    ex = viz.explain_backward(L, wrt=W1, names=names, model=model)
    print(ex)
    factors = ex.paths[0].factors
    print(f"\nThe product of the {len(factors)} factors, \u2016\u00b7\u2016 = "
          f"{np.linalg.norm(ex.path_sum):.4g}, is W1.grad (\u2016\u00b7\u2016 = "
          f"{np.linalg.norm(W1.grad.numpy()):.4g}).")  # fmt: skip
    graph = viz.draw(L, names={"x": images, **names}, model=model)
    print()
    print(_save_picture(graph, out_dir, "network"))


def run(args) -> int:
    if args.epochs < 0:
        raise CLIError("--epochs must be 0 or more")
    created = not os.path.exists(args.out)
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as exc:
        raise CLIError(f"can't create {args.out}: {exc.strerror or exc}") from None
    try:
        print("chainrule demo: the chain rule, by hand, by machine, and in a neural network")
        _tour_scalar(args.out)
        _tour_network(args.out, args.epochs, args.seed)
    except BaseException:
        if created and not os.listdir(args.out):  # leave no empty folder behind
            os.rmdir(args.out)
        raise
    if not dot_available():
        print()
        print("\n".join(wrap("The pictures were written as .dot files. " + INSTALL_HINT)))
    print("\nDone. Pictures are in:")
    print(f"  {os.path.abspath(args.out)}{os.sep}")
    return 0
