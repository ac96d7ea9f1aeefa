"""Train a classifier on the 8x8 handwritten digits with chainrule's nn, optim and data.

    python examples/train_digits.py            # MLP 64-128-10 with Adam, 20 epochs
    python examples/train_digits.py cnn        # a small CNN, 30 epochs

The same training as ``chainrule train digits [--model cnn]``, written out as a plain
PyTorch-style loop to read and modify. It prints the test accuracy after every epoch
and saves the trained weights with ``cr.save`` (a safetensors file; no pickle).
Measured (seed 0): the MLP reaches 98.05% and the CNN 98.61% test accuracy; the CLI,
with the same models and optimizer, gets 97.8-98.1% and 98.1-98.9% over seeds 0-4
(see docs/nn.md).
"""

import sys

import numpy as np

import chainrule as cr
from chainrule import data, nn, optim
from chainrule.nn import functional as F


def make_model(kind: str) -> nn.Module:
    if kind == "mlp":
        return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1),  # (N, 1, 8, 8) -> (N, 16, 8, 8)
        nn.ReLU(),
        nn.MaxPool2d(2),  # -> (N, 16, 4, 4)
        nn.Conv2d(16, 32, 3, padding=1),  # -> (N, 32, 4, 4)
        nn.ReLU(),
        nn.MaxPool2d(2),  # -> (N, 32, 2, 2)
        nn.Flatten(),  # -> (N, 128)
        nn.Linear(128, 128),
        nn.ReLU(),
        nn.Linear(128, 10),
    )


def accuracy(model: nn.Module, dataset) -> float:
    images, labels = dataset.tensors
    model.eval()
    with cr.no_grad():
        predicted = np.argmax(model(images).numpy(), axis=1)
    return float((predicted == labels.numpy()).mean())


def main(kind: str = "mlp", seed: int = 0) -> float:
    cr.manual_seed(seed)  # initialisation is reproducible
    train, test = data.datasets.load_digits(flatten=(kind == "mlp"))
    model = make_model(kind)
    print(model)
    epochs = 20 if kind == "mlp" else 30
    opt = optim.Adam(model.parameters(), lr=3e-3)
    schedule = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    loader = data.DataLoader(train, batch_size=32, shuffle=True, seed=seed)

    for epoch in range(epochs):
        model.train()
        total = 0.0
        for images, labels in loader:
            loss = F.cross_entropy(model(images), labels)
            opt.zero_grad()
            loss.backward()  # backprop: the chain rule through every layer
            opt.step()
            total += float(loss) * len(labels)
        schedule.step()
        print(
            f"epoch {epoch + 1:2d}  loss {total / len(train):.4f}  "
            f"test accuracy {100 * accuracy(model, test):.1f}%"
        )

    acc = accuracy(model, test)
    print(f"final test accuracy ({kind}): {100 * acc:.2f}%")
    cr.save(model.state_dict(), f"digits-{kind}.safetensors")
    print(f"weights saved to digits-{kind}.safetensors")
    return acc


if __name__ == "__main__":
    kind = sys.argv[1] if len(sys.argv) > 1 else "mlp"
    if kind not in ("mlp", "cnn"):
        sys.exit("usage: python examples/train_digits.py [mlp|cnn]")
    main(kind)
