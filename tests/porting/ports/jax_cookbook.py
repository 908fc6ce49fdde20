"""The JAX autodiff cookbook (jax-ml/jax, docs/notebooks/autodiff_cookbook.md), two sections:

- "Differentiating with respect to nested lists, tuples, and dicts": the cookbook's logistic
  regression (`predict(W, b, inputs) = sigmoid(inputs . W + b)`, the negative log-likelihood of
  four labelled points) differentiated with respect to `{'W': W, 'b': b}`; the gradient comes
  back as a dict of the same keys.
- "Hessian-vector products": `hvp` three ways (reverse-over-reverse with `grad` of `vdot` of
  `grad`, forward-over-reverse with `jvp` of `grad`, reverse-over-forward with `grad` of `jvp`)
  for `f(X) = sum(tanh(X) ** 2)` on a 30 x 40 array, checked against the dense Hessian
  contracted with `V`, as the cookbook checks it.

JAX is not installed here: the original side runs the same functions on HIPS autograd (whose
`grad`, `hessian` and `make_jvp` mean the same things); the random arrays come from NumPy's
generator instead of `jax.random`. `run_*` take the NumPy module and the transforms, so both
sides run the same lines.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy

#: Lines changed from the original, and why.
CHANGES = [
    ("import jax.numpy as jnp", "import numpy as jnp",
     "NumPy's functions (np.dot, np.sum, np.vdot, np.tanh, np.log) run autograd_lite's ops on "
     "Tensors"),
    ("from jax import grad, jvp, jacrev, jacfwd",
     "from autograd_lite import grad, jvp, hessian",
     "the names; jacfwd(jacrev(f)) is autograd_lite.hessian(f)"),
    ("key, W_key, b_key = random.split(key, 3); W = random.normal(W_key, (3,)) (and X, V of "
     "the Hessian-vector products)",
     "W = rng.standard_normal(3)",
     "jax.random's keys have no counterpart; NumPy's generator draws (the numbers differ)"),
]


def logistic_setup() -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    inputs = numpy.array([[0.52, 1.12, 0.77],
                          [0.88, -1.08, 0.15],
                          [0.52, 0.06, -1.30],
                          [0.74, -2.49, 1.39]])
    targets = numpy.array([True, True, False, True])
    rng = numpy.random.default_rng(0)
    W = rng.standard_normal(3)
    b = rng.standard_normal(())
    return inputs, targets, W, b


def run_pytrees(lib: SimpleNamespace) -> dict[str, Any]:
    jnp, grad = lib.jnp, lib.grad
    inputs, targets, W, b = logistic_setup()

    def sigmoid(x):
        return 0.5 * (jnp.tanh(x / 2) + 1)

    def predict(W, b, inputs):
        return sigmoid(jnp.dot(inputs, W) + b)

    def loss2(params_dict):
        preds = predict(params_dict['W'], params_dict['b'], inputs)
        label_probs = preds * targets + (1 - preds) * (1 - targets)
        return -jnp.sum(jnp.log(label_probs))

    def loss3(params_list):  # the same with a nested list and tuple
        (W, b), = params_list
        return loss2({'W': W, 'b': b})

    return {"dict": grad(loss2)({'W': W, 'b': b}), "nested": grad(loss3)([(W, b)]),
            "separate": grad(lambda W, b: loss2({'W': W, 'b': b}), (0, 1))(W, b)}


def hvp_data() -> tuple[numpy.ndarray, numpy.ndarray]:
    rng = numpy.random.default_rng(1)
    return rng.standard_normal((30, 40)), rng.standard_normal((30, 40))


HVP_WAYS = ("fwdrev", "revrev", "revfwd")


def run_hvp(lib: SimpleNamespace, ways: tuple[str, ...] = HVP_WAYS) -> dict[str, Any]:
    """The section's code; `ways` picks the hvp functions to run (all three by default)."""
    jnp, grad, jvp, hessian = lib.jnp, lib.grad, lib.jvp, lib.hessian

    # reverse-over-reverse
    def hvp_revrev(f, x, v):
        return grad(lambda x: jnp.vdot(grad(f)(x), v))(x)

    # forward-over-reverse
    def hvp(f, primals, tangents):
        return jvp(grad(f), primals, tangents)[1]

    # reverse-over-forward
    def hvp_revfwd(f, primals, tangents):
        g = lambda primals: jvp(f, primals, tangents)[1]  # noqa: E731 - the cookbook's lambda
        return grad(g)(primals)

    def f(X):
        return jnp.sum(jnp.tanh(X)**2)

    X, V = hvp_data()
    ans1 = hvp(f, (X,), (V,))
    ans2 = numpy.tensordot(hessian(f)(X), V, 2)
    result = {"fwdrev": ans1, "dense": ans2,
              "allclose": bool(numpy.allclose(ans1, ans2, 1e-4, 1e-4))}
    if "revrev" in ways:
        result["revrev"] = hvp_revrev(f, X, V)
    if "revfwd" in ways:
        result["revfwd"] = hvp_revfwd(f, (X,), (V,))
    return result


def hips_lib() -> SimpleNamespace:
    import autograd.numpy as anp
    from autograd import grad, hessian, make_jvp

    def jvp(f, primals, tangents):  # JAX's jvp signature on HIPS's make_jvp
        return make_jvp(lambda args: f(*args))(tuple(primals))(tuple(tangents))

    # HIPS autograd defines no derivative for vdot: sum(a * b) is the same for one shape.
    jnp = SimpleNamespace(sum=anp.sum, tanh=anp.tanh, dot=anp.dot, log=anp.log,
                          vdot=lambda a, b: anp.sum(a * b))
    return SimpleNamespace(jnp=jnp, grad=grad, jvp=jvp, hessian=hessian)


def our_lib() -> SimpleNamespace:
    import numpy as jnp

    from autograd_lite import grad, hessian, jvp
    return SimpleNamespace(jnp=jnp, grad=grad, jvp=jvp, hessian=hessian)


def original() -> dict[str, Any]:
    return {"pytrees": run_pytrees(hips_lib()), "hvp": run_hvp(hips_lib())}


def port() -> dict[str, Any]:
    return {"pytrees": run_pytrees(our_lib()), "hvp": run_hvp(our_lib())}
