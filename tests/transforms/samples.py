"""Test functions for the transforms, each written twice: with autograd_lite operations and
(for the optional oracle) with torch, on the same fixed constants."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import autograd_lite as ag

RNG = np.random.default_rng(42)
W = RNG.standard_normal((3, 4))
B = RNG.standard_normal(3)
A = RNG.standard_normal((2, 3))
M = RNG.standard_normal((4, 4))


@dataclass
class Sample:
    """`fn(*args)` with autograd_lite, `torch_fn(*args)` with torch; `shapes` of the args."""

    name: str
    fn: Callable
    torch_fn: Callable
    shapes: list[tuple[int, ...]]

    def args(self, seed: int = 0) -> list[np.ndarray]:
        rng = np.random.default_rng(seed)
        return [rng.uniform(0.3, 1.5, shape) for shape in self.shapes]


def t(torch, array: np.ndarray):
    return torch.as_tensor(array, dtype=torch.float64)


def mlp(x):
    return (x @ W.T + B).tanh() * 2.0


def mlp_torch(x):
    import torch

    return torch.tanh(x @ t(torch, W).T + t(torch, B)) * 2.0


def softmax_mix(x):
    return x.softmax(axis=-1) * (x / 3).exp()


def softmax_mix_torch(x):
    import torch

    return torch.softmax(x, dim=-1) * torch.exp(x / 3)


def reduce_to_scalar(x):
    return x.logsumexp() + (x ** 2).mean() * x[0, 1]


def reduce_to_scalar_torch(x):
    import torch

    return torch.logsumexp(x, dim=(0, 1)) + (x ** 2).mean() * x[0, 1]


def scalar_to_matrix(x):
    return (x * A).sin() + x ** 2


def scalar_to_matrix_torch(x):
    import torch

    return torch.sin(x * t(torch, A)) + x ** 2


def two_args(x, y):
    return x * y / (1 + y ** 2) + (x.log() * y).sum()


def two_args_torch(x, y):
    import torch

    return x * y / (1 + y ** 2) + (torch.log(x) * y).sum()


def quadratic(x):
    return (x @ M @ x) * 0.5 + (x.sin() * x).sum()


def quadratic_torch(x):
    import torch

    return (x @ t(torch, M) @ x) * 0.5 + (torch.sin(x) * x).sum()


def wide_to_narrow(x):
    h = ag.concatenate([x[:2] * x[2:4], x[4:].reshape(2, 3).sum(axis=0)])
    return ag.stack([h.max(), h.sigmoid().mean(), (h ** 2).sum().sqrt()])


def wide_to_narrow_torch(x):
    import torch

    h = torch.cat([x[:2] * x[2:4], x[4:].reshape(2, 3).sum(dim=0)])
    return torch.stack([h.max(), torch.sigmoid(h).mean(), (h ** 2).sum().sqrt()])


SAMPLES = [
    Sample("vector-to-vector", mlp, mlp_torch, [(4,)]),
    Sample("matrix-to-matrix", softmax_mix, softmax_mix_torch, [(2, 3)]),
    Sample("matrix-to-scalar", reduce_to_scalar, reduce_to_scalar_torch, [(2, 3)]),
    Sample("scalar-to-matrix", scalar_to_matrix, scalar_to_matrix_torch, [()]),
    Sample("two-arguments", two_args, two_args_torch, [(3,), (3,)]),
    Sample("quadratic-form", quadratic, quadratic_torch, [(4,)]),
    Sample("wide-to-narrow", wide_to_narrow, wide_to_narrow_torch, [(10,)]),
]

SCALAR_SAMPLES = [s for s in SAMPLES if s.name in ("matrix-to-scalar", "quadratic-form")]


def central_jacobian(fn: Callable, args: list[np.ndarray], argnum: int,
                     eps: float = 1e-6) -> np.ndarray:
    """Finite-difference Jacobian, written independently of autograd_lite.gradient_check."""
    def value(*xs):
        with ag.no_grad():
            return np.asarray(fn(*[ag.Tensor(x) for x in xs]).data, dtype=np.float64)

    base = value(*args)
    x = args[argnum]
    jac = np.zeros(base.shape + x.shape)
    for index in np.ndindex(x.shape):
        up = [a.copy() for a in args]
        down = [a.copy() for a in args]
        up[argnum][index] += eps
        down[argnum][index] -= eps
        jac[(Ellipsis,) + index] = (value(*up) - value(*down)) / (2 * eps)
    return jac
