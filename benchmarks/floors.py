"""The hand-written floors: what a careful person writes without any autodiff engine.

- `NumpyMLP`: forward and backward of an MLP (relu hidden layers, a linear last layer) derived
  by hand in NumPy, with an in-place SGD update (T1, T2, M1).
- `numpy_relu_chain`: the O1 chain `y = relu(y * w + b)` forward and backward in NumPy.
- `PythonScalarMLP`: the S1 scalar MLP epoch (hinge loss + L2) on Python floats.
- `python_tanh_chain`, `python_relu_chain`: the S2 chain on Python floats.

They compute exactly what the engines compute (same formulas, same order of the layers), so
the first step of every engine can be checked against them before anything is timed.
"""

from __future__ import annotations

import math

import numpy as np


class NumpyMLP:
    """`x -> Linear -> relu -> ... -> Linear`, loss "mse" (mean squared error over all
    elements) or "ce" (mean softmax cross-entropy over integer labels), plain SGD updating the
    weights in place without temporaries (a temporary the size of the weights costs more than
    the arithmetic on large layers: fresh memory must be faulted in).

    `params` is `[W0, b0, W1, b1, ...]` with `W` of shape `(out, in)` (PyTorch's layout); they
    are copied, so the caller's arrays stay the initial weights.
    """

    def __init__(self, params: list[np.ndarray], x: np.ndarray, target: np.ndarray,
                 loss: str, lr: float) -> None:
        self.params = [p.copy() for p in params]
        self.x = x
        self.target = target
        self.loss = loss
        self.lr = lr
        self.rows = np.arange(x.shape[0])

    def forward_backward(self) -> tuple[float, list[np.ndarray]]:
        params = self.params
        n_layers = len(params) // 2
        inputs = [self.x]  # the input of each layer
        pre = []  # the pre-activation of each hidden layer
        h = self.x
        for i in range(n_layers):
            w, b = params[2 * i], params[2 * i + 1]
            z = h @ w.T + b
            if i < n_layers - 1:
                pre.append(z)
                h = np.maximum(z, 0)
                inputs.append(h)
            else:
                h = z
        out = h
        if self.loss == "mse":
            diff = out - self.target
            loss = (diff * diff).mean()
            g = diff * (2.0 / diff.size)
        else:
            shifted = out - out.max(axis=1, keepdims=True)
            exp = np.exp(shifted)
            total = exp.sum(axis=1, keepdims=True)
            log_probs = shifted - np.log(total)
            n = out.shape[0]
            loss = -log_probs[self.rows, self.target].mean()
            g = exp / total
            g[self.rows, self.target] -= 1.0
            g *= 1.0 / n
        grads: list[np.ndarray] = [None] * len(params)  # type: ignore[list-item]
        for i in range(n_layers - 1, -1, -1):
            grads[2 * i] = g.T @ inputs[i]
            grads[2 * i + 1] = g.sum(axis=0)
            if i > 0:
                g = (g @ params[2 * i]) * (pre[i - 1] > 0)
        return float(loss), grads

    def step(self) -> tuple[float, list[np.ndarray]]:
        loss, grads = self.forward_backward()
        lr = self.lr
        for p, g in zip(self.params, grads):
            g *= lr  # in place, no temporary: the gradients are not needed after the step
            p -= g
        return loss, grads

    def first(self) -> dict:
        loss, grads = self.forward_backward()
        result = {"loss": loss, "grads": [g.copy() for g in grads]}
        for p, g in zip(self.params, grads):
            p -= self.lr * g
        return result

    def run(self) -> None:
        self.step()


def numpy_relu_chain(x: np.ndarray, w: np.ndarray, b: np.ndarray, links: int
                     ) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """`y = relu(y * w + b)` `links` times from `x`, then `sum(y)`; returns the sum and the
    gradients for x, w and b."""
    ys = [x]
    pres = []
    y = x
    for _ in range(links):
        z = y * w + b
        pres.append(z)
        y = np.maximum(z, 0)
        ys.append(y)
    total = float(y.sum())
    g = np.ones_like(y)
    gw = np.zeros_like(w)
    gb = np.zeros_like(b)
    for i in range(links - 1, -1, -1):
        g = g * (pres[i] > 0)
        gb += g
        gw += g * ys[i]
        g = g * w
    return total, g, gw, gb


class PythonScalarMLP:
    """The S1 epoch on Python floats: an MLP of single neurons (relu hidden layers, a linear
    output), the mean hinge loss `max(0, 1 - y * score)` plus `alpha * sum(p ** 2)`, backward
    by hand, and an SGD step.

    `layers[l][j]` is neuron j of layer l as `(weights list, bias)`; it is copied.
    """

    def __init__(self, layers: list, xs: list, ys: list, alpha: float, lr: float) -> None:
        self.layers = [[(list(w), b) for w, b in layer] for layer in layers]
        self.xs = xs
        self.ys = ys
        self.alpha = alpha
        self.lr = lr

    def epoch(self) -> tuple[float, list[float]]:
        layers = self.layers
        last = len(layers) - 1
        gw = [[[0.0] * len(w) for w, _ in layer] for layer in layers]
        gb = [[0.0] * len(layer) for layer in layers]
        n = len(self.xs)
        data_loss = 0.0
        for x, y in zip(self.xs, self.ys):
            acts = [x]
            h = x
            for li, layer in enumerate(layers):
                out = []
                for w, b in layer:
                    total = b
                    for wi, hi in zip(w, h):
                        total += wi * hi
                    out.append(total if li == last or total > 0.0 else 0.0)
                acts.append(out)
                h = out
            score = h[0]
            margin = 1.0 - y * score
            if margin <= 0.0:
                continue
            data_loss += margin
            g = [-y / n]
            for li in range(last, -1, -1):
                inputs = acts[li]
                outs = acts[li + 1]
                g_in = [0.0] * len(inputs)
                lw, lb = gw[li], gb[li]
                for j, (w, _) in enumerate(layers[li]):
                    gj = g[j]
                    if li != last and outs[j] <= 0.0:
                        continue
                    lb[j] += gj
                    row = lw[j]
                    for k, wk in enumerate(w):
                        row[k] += gj * inputs[k]
                        g_in[k] += gj * wk
                g = g_in
        alpha = self.alpha
        reg = 0.0
        flat_grads = []
        for li, layer in enumerate(layers):
            for j, (w, b) in enumerate(layer):
                row = gw[li][j]
                for k, wk in enumerate(w):
                    reg += wk * wk
                    row[k] += 2.0 * alpha * wk
                reg += b * b
                gb[li][j] += 2.0 * alpha * b
                flat_grads.extend(row)
                flat_grads.append(gb[li][j])
        loss = data_loss / n + alpha * reg
        lr = self.lr
        for li, layer in enumerate(layers):
            new_layer = []
            for j, (w, b) in enumerate(layer):
                row = gw[li][j]
                new_layer.append(([wk - lr * gk for wk, gk in zip(w, row)], b - lr * gb[li][j]))
            layers[li] = new_layer
        return loss, flat_grads

    def first(self) -> dict:
        loss, grads = self.epoch()
        return {"loss": loss, "grads": grads}

    def run(self) -> None:
        self.epoch()


def python_tanh_chain(x: float, links: int) -> tuple[float, float]:
    """`y = tanh(0.999 * y + 0.001)` `links` times on floats; returns y and dy/dx."""
    tanh = math.tanh
    outs = []
    y = x
    for _ in range(links):
        y = tanh(y * 0.999 + 0.001)
        outs.append(y)
    g = 1.0
    for t in reversed(outs):
        g = g * (1.0 - t * t) * 0.999
    return y, g


def python_relu_chain(x: float, links: int) -> tuple[float, float]:
    """`y = relu(0.999 * y + 0.001)` `links` times on floats; returns y and dy/dx."""
    outs = []
    y = x
    for _ in range(links):
        z = y * 0.999 + 0.001
        y = max(0.0, z)
        outs.append(z)
    g = 1.0
    for z in reversed(outs):
        g = g * 0.999 if z > 0.0 else 0.0
    return y, g
