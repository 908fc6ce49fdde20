"""HIPS autograd's example "tanh and its derivatives" (HIPS/autograd, examples/tanh.py):
tanh written with `np.exp`, and its first four derivatives on 700 points of [-7, 7] by nesting
`elementwise_grad` (the gradient of the sum of an elementwise function is its derivative at
each point). The example plots them; here they are returned.

`run` takes the NumPy module and `elementwise_grad`, so the original (`autograd.numpy`,
`autograd.elementwise_grad`) and the port (NumPy, `autograd_lite.elementwise_grad`) run the
same lines.
"""

from __future__ import annotations

from typing import Any

#: Lines changed from the original, and why.
CHANGES = [
    ("import autograd.numpy as np", "import numpy as np",
     "NumPy's ufuncs (np.exp) run on autograd_lite's Tensors"),
    ("from autograd import elementwise_grad as egrad",
     "from autograd_lite import elementwise_grad as egrad", "the import"),
    ("plt.plot(...), plt.savefig('tanh.png')", "(returned instead)", "the test compares arrays"),
]


def run(np: Any, egrad: Any) -> list[Any]:
    def tanh(x):
        return (1.0 - np.exp(-2 * x)) / (1.0 + np.exp(-(2 * x)))

    x = np.linspace(-7, 7, 700)
    return [
        tanh(x),
        egrad(tanh)(x),
        egrad(egrad(tanh))(x),
        egrad(egrad(egrad(tanh)))(x),
        egrad(egrad(egrad(egrad(tanh))))(x),
    ]


def original() -> list[Any]:
    import autograd.numpy as np
    from autograd import elementwise_grad as egrad
    return run(np, egrad)


def port() -> list[Any]:
    import numpy as np

    from autograd_lite import elementwise_grad as egrad
    return run(np, egrad)

