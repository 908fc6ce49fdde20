"""HIPS autograd's example "A multi-layer perceptron for classification" (HIPS/autograd,
examples/neural_net.py): the parameters are a list of (weights, biases) pairs, the network is
`np.dot` and `np.tanh` layers with a log-softmax output, the objective is the negative log
posterior (log-likelihood plus an L2 prior), and `grad` of it feeds an Adam optimiser that
walks the list of pairs.

The network, the objective, `grad` of it and the training loop run with the imports renamed
and nothing else. What changes is outside autodiff: HIPS autograd's helper library (its
`flatten` utility and its functional `adam`, which autograd_lite does not have: the L2 norm is
written as a sum of squares and `adam` below is the same rule over the list of pairs), and the
data: the example trains on MNIST, which is not available offline, so `data()` makes a small
three-class problem of Gaussian blobs with one-hot labels. The function bodies are shared:
`run` takes the NumPy module and `grad` as arguments, so the original (HIPS's `autograd.numpy`,
`autograd.grad`) and the port (NumPy itself, `autograd_lite.grad`) run the same lines.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy

#: Lines changed from the original, and why.
CHANGES = [
    ("import autograd.numpy as np", "import numpy as np",
     "NumPy's functions (np.dot, np.sum, np.tanh) run autograd_lite's ops on Tensors"),
    ("import autograd.numpy.random as npr", "import numpy.random as npr", "the import"),
    ("from autograd import grad", "from autograd_lite import grad", "the import"),
    ("from autograd.scipy.special import logsumexp", "from autograd_lite import logsumexp",
     "autograd_lite has its own logsumexp (NumPy has none)"),
    ("from autograd.misc.flatten import flatten; l2_norm: flatten(params) then np.dot",
     "l2_norm: sum(np.sum(W ** 2) + np.sum(b ** 2) for W, b in params)",
     "no flatten utility; the same sum of squares"),
    ("from autograd.misc.optimizers import adam", "adam() below",
     "autograd_lite's optimizers update Tensors in place; a functional Adam over a list of "
     "pairs is a few lines (the same rule as HIPS's)"),
    ("from data import load_mnist", "data() below", "MNIST is not available offline"),
    ("layer_sizes = [784, 200, 100, 10]; batch_size = 256; step_size = 0.001",
     "layer_sizes = [4, 16, 16, 3]; batch_size = 32; step_size = 0.01",
     "sized for the small stand-in data set"),
    ("print(f\"{iter // num_batches:15}|{train_acc:20}|{test_acc:20}\")",
     "printed.append((iter // num_batches, train_acc, test_acc))",
     "the test compares the accuracies instead of reading them"),
]

LAYER_SIZES = [4, 16, 16, 3]


def data(n_train: int = 240, n_test: int = 120) -> tuple:
    """Three Gaussian blobs in 4-D with one-hot labels: (N, train_images, train_labels,
    test_images, test_labels), like load_mnist's tuple."""
    rng = numpy.random.default_rng(0)
    centres = rng.normal(scale=2.0, size=(3, 4))

    def draw(n):
        labels = rng.integers(0, 3, size=n)
        return centres[labels] + rng.normal(size=(n, 4)), numpy.eye(3)[labels]

    train_images, train_labels = draw(n_train)
    test_images, test_labels = draw(n_test)
    return n_train, train_images, train_labels, test_images, test_labels


def adam(grad, x, callback=None, num_iters=100, step_size=0.001, b1=0.9, b2=0.999, eps=10**-8):
    """Adam on a list of (W, b) pairs, with HIPS's update rule and callback(x, i, g)."""
    m = [tuple(numpy.zeros_like(a) for a in pair) for pair in x]
    v = [tuple(numpy.zeros_like(a) for a in pair) for pair in x]
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        new_x, new_m, new_v = [], [], []
        for xs, gs, ms, vs in zip(x, g, m, v):
            ms = tuple((1 - b1) * gi + b1 * mi for gi, mi in zip(gs, ms))
            vs = tuple((1 - b2) * gi ** 2 + b2 * vi for gi, vi in zip(gs, vs))
            m_hat = [mi / (1 - b1 ** (i + 1)) for mi in ms]
            v_hat = [vi / (1 - b2 ** (i + 1)) for vi in vs]
            new_x.append(tuple(xi - step_size * mh / (numpy.sqrt(vh) + eps)
                               for xi, mh, vh in zip(xs, m_hat, v_hat)))
            new_m.append(ms)
            new_v.append(vs)
        x, m, v = new_x, new_m, new_v
    return x


def run(lib: SimpleNamespace, num_epochs: int = 5) -> dict[str, Any]:
    """The example's code, on the NumPy module, `grad`, `logsumexp`, `l2_norm` and `adam` of
    `lib`. Returns the initial gradient, the accuracies printed and the trained parameters."""
    np, npr, grad, logsumexp = lib.np, lib.npr, lib.grad, lib.logsumexp

    def init_random_params(scale, layer_sizes, rs=npr.RandomState(0)):  # noqa: B008 - as written
        """Build a list of (weights, biases) tuples,
        one for each layer in the net."""
        return [
            (
                scale * rs.randn(m, n),  # weight matrix
                scale * rs.randn(n),
            )  # bias vector
            for m, n in zip(layer_sizes[:-1], layer_sizes[1:])
        ]

    def neural_net_predict(params, inputs):
        for W, b in params:
            outputs = np.dot(inputs, W) + b
            inputs = np.tanh(outputs)
        return outputs - logsumexp(outputs, axis=1, keepdims=True)

    def log_posterior(params, inputs, targets, L2_reg):
        log_prior = -L2_reg * lib.l2_norm(params)
        log_lik = np.sum(neural_net_predict(params, inputs) * targets)
        return log_prior + log_lik

    def accuracy(params, inputs, targets):
        target_class = np.argmax(targets, axis=1)
        predicted_class = np.argmax(neural_net_predict(params, inputs), axis=1)
        return np.mean(predicted_class == target_class)

    layer_sizes = LAYER_SIZES
    L2_reg = 1.0
    param_scale = 0.1
    batch_size = 32
    step_size = 0.01

    N, train_images, train_labels, test_images, test_labels = data()
    init_params = init_random_params(param_scale, layer_sizes)
    num_batches = int(np.ceil(len(train_images) / batch_size))

    def batch_indices(iter):
        idx = iter % num_batches
        return slice(idx * batch_size, (idx + 1) * batch_size)

    def objective(params, iter):
        idx = batch_indices(iter)
        return -log_posterior(params, train_images[idx], train_labels[idx], L2_reg)

    objective_grad = grad(objective)
    printed = []

    def print_perf(params, iter, gradient):
        if iter % num_batches == 0:
            train_acc = accuracy(params, train_images, train_labels)
            test_acc = accuracy(params, test_images, test_labels)
            printed.append((iter // num_batches, float(train_acc), float(test_acc)))

    first_grad = objective_grad(init_params, 0)
    optimized_params = lib.adam(objective_grad, init_params, step_size=step_size,
                                num_iters=num_epochs * num_batches, callback=print_perf)
    return {"first_grad": first_grad, "printed": printed, "params": optimized_params}


def original(num_epochs: int = 5) -> dict[str, Any]:
    import autograd.numpy as np
    import autograd.numpy.random as npr
    from autograd import grad
    from autograd.misc.flatten import flatten
    from autograd.misc.optimizers import adam as hips_adam
    from autograd.scipy.special import logsumexp

    def l2_norm(params):
        """Computes l2 norm of params by flattening them into a vector."""
        flattened, _ = flatten(params)
        return np.dot(flattened, flattened)

    lib = SimpleNamespace(np=np, npr=npr, grad=grad, logsumexp=logsumexp, l2_norm=l2_norm,
                          adam=hips_adam)
    return run(lib, num_epochs)


def port(num_epochs: int = 5) -> dict[str, Any]:
    import numpy as np
    import numpy.random as npr

    from autograd_lite import grad, logsumexp

    def l2_norm(params):
        return sum(np.sum(W ** 2) + np.sum(b ** 2) for W, b in params)

    lib = SimpleNamespace(np=np, npr=npr, grad=grad, logsumexp=logsumexp, l2_norm=l2_norm,
                          adam=adam)
    return run(lib, num_epochs)
