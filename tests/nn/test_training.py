"""End-to-end training: two moons with both engines, and a line by squared error."""

from __future__ import annotations

import numpy as np

from autograd_lite import Tensor, datasets, nn, no_grad, optim
from autograd_lite.nn import functional as F
from autograd_lite.nn import scalar
from autograd_lite.random import manual_seed


def test_tensor_mlp_learns_two_moons_to_97_percent():
    X, y = datasets.make_moons(200, noise=0.1, seed=0)
    manual_seed(0)
    model = nn.MLP(2, [16, 16, 1])
    opt = optim.Adam(model.parameters(), lr=0.03)
    inputs, targets = Tensor(X), y.astype(float)
    losses = []
    for _ in range(300):
        loss = F.binary_cross_entropy_with_logits(model(inputs).reshape(-1), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    with no_grad():
        predicted = model(inputs).data[:, 0] > 0
    assert np.mean(predicted == (y == 1)) >= 0.97
    assert losses[-1] < 0.1 * losses[0]


def test_scalar_mlp_learns_two_moons_to_90_percent():
    X, y = datasets.make_moons(200, noise=0.1, seed=0)
    rows, targets = X.tolist(), y.astype(float).tolist()
    manual_seed(0)
    model = scalar.MLP(2, [8, 8, 1])
    opt = optim.Adam(model.parameters(), lr=0.05)
    for _ in range(5):  # epochs of mini-batches of 10: many small steps learn fastest here
        for start in range(0, len(rows), 10):
            batch = slice(start, start + 10)
            loss = scalar.binary_cross_entropy_with_logits(
                [model(r) for r in rows[batch]], targets[batch]
            )
            opt.zero_grad()
            loss.backward()
            opt.step()
    predicted = np.array([model(r).data > 0 for r in rows])
    assert np.mean(predicted == (y == 1)) >= 0.90


def test_squared_error_regression_matches_least_squares():
    x, y = datasets.make_line(50, slope=2.5, intercept=-1.0, noise=0.3, seed=3)
    A = np.column_stack([x, np.ones_like(x)])
    (slope, intercept), *_ = np.linalg.lstsq(A, y, rcond=None)

    manual_seed(0)
    model = nn.Linear(1, 1)
    opt = optim.SGD(model.parameters(), lr=0.5, momentum=0.5)
    inputs = Tensor(x.reshape(-1, 1))
    for _ in range(300):
        loss = F.mse_loss(model(inputs).reshape(-1), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert abs(model.weight.item() - slope) < 1e-6
    assert abs(model.bias.item() - intercept) < 1e-6
