"""micrograd's demo notebook (karpathy/micrograd, demo.ipynb): a 2-16-16-1 ReLU network
trained on 100 two-moons points with an SVM "max-margin" (hinge) loss plus L2 regularisation,
by plain SGD with a learning rate decaying from 1.0 to 0.1, on scalar Values.

The notebook draws its points with scikit-learn's `make_moons(n_samples=100, noise=0.1)` after
`np.random.seed(1337)`; `moons` below redoes that draw in NumPy (the outer and inner half
circles, one shuffle and Gaussian noise from NumPy's global generator, in that order), so the
port can be checked against the numbers the notebook printed (`PRINTED`).
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np

#: Lines changed from the original, and why.
CHANGES = [
    ("from micrograd.engine import Value", "from autograd_lite import Value", "the import"),
    ("from micrograd.nn import MLP", "from autograd_lite.nn.scalar import MLP", "the import"),
    ("from sklearn.datasets import make_moons", "moons() below",
     "scikit-learn is not a dependency; the same draw redone in NumPy"),
    ("model = MLP(2, [16, 16, 1])",
     "model = MLP(2, [16, 16, 1]) + 3 lines setting w.data = random.uniform(-1, 1), b.data = 0",
     "nn.scalar draws weights from autograd_lite's own generator, in [-1/sqrt(nin), "
     "1/sqrt(nin)] with random biases; micrograd draws uniform(-1, 1) from Python's `random` "
     "with zero biases. Copying micrograd's draws reproduces its numbers"),
]

#: The loss the notebook printed at steps 0-9 and 99 (its output cell).
PRINTED = {
    0: 0.8958441028683222, 1: 1.7235905336972022, 2: 0.7429006313851131,
    3: 0.7705641260584198, 4: 0.3692793385976538, 5: 0.313545481918522,
    6: 0.2814234349772435, 7: 0.26888733313983904, 8: 0.2567147286057417,
    9: 0.2704862551637922, 99: 0.010978370135492717,
}


def moons(n_samples: int = 100, noise: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles drawn as scikit-learn's `make_moons` draws them from
    NumPy's global generator: `n // 2` points on the upper arc, the rest on the lower one, one
    permutation of the rows, then Gaussian noise of scale `noise` on both coordinates."""
    n_out = n_samples // 2
    n_in = n_samples - n_out
    upper = np.linspace(0, np.pi, n_out)
    lower = np.linspace(0, np.pi, n_in)
    X = np.vstack([np.append(np.cos(upper), 1 - np.cos(lower)),
                   np.append(np.sin(upper), 1 - np.sin(lower) - 0.5)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    order = np.arange(n_samples)
    np.random.shuffle(order)
    X, y = X[order], y[order]
    X += np.random.normal(scale=noise, size=X.shape)
    return X, y


def train(Value: Any, model: Any, X: np.ndarray, y: np.ndarray, steps: int) -> list[tuple]:
    """The notebook's loss function and optimisation loop, as written there (full batch)."""

    def loss(batch_size=None):
        Xb, yb = X, y
        inputs = [list(map(Value, xrow)) for xrow in Xb]
        # forward the model to get scores
        scores = list(map(model, inputs))
        # svm "max-margin" loss
        losses = [(1 + -yi*scorei).relu() for yi, scorei in zip(yb, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        # L2 regularization
        alpha = 1e-4
        reg_loss = alpha * sum(p*p for p in model.parameters())
        total_loss = data_loss + reg_loss
        # also get accuracy
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    history = []
    for k in range(steps):
        total_loss, acc = loss()
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9*k/100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        history.append((total_loss.data, acc))
    return history


def data() -> tuple[np.ndarray, np.ndarray]:
    """The notebook's seeds and points, labels mapped to -1 and +1."""
    np.random.seed(1337)
    random.seed(1337)
    X, y = moons(n_samples=100, noise=0.1)
    return X, y * 2 - 1


def original(steps: int = 100) -> list[tuple]:
    from micrograd.engine import Value
    from micrograd.nn import MLP
    X, y = data()
    model = MLP(2, [16, 16, 1])  # 2-layer neural network
    return train(Value, model, X, y, steps)


def port(steps: int = 100) -> list[tuple]:
    from autograd_lite import Value
    from autograd_lite.nn.scalar import MLP
    X, y = data()
    model = MLP(2, [16, 16, 1])  # 2-layer neural network
    for layer in model.layers:  # micrograd's initial weights: see CHANGES
        for neuron in layer.neurons:
            for w in neuron.w:
                w.data = random.uniform(-1, 1)
            neuron.b.data = 0.0
    return train(Value, model, X, y, steps)
