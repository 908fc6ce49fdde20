"""PyTorch tutorials "PyTorch: optim" (pytorch/tutorials, beginner_source/examples_nn/
polynomial_optim.py) and "PyTorch: Custom nn Modules" (polynomial_module.py): the same cubic
fit to sin(x), first as `nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))` on the features
(x, x^2, x^3) with `nn.MSELoss(reduction="sum")` and `optim.SGD`, then as a Module subclass
holding four `nn.Parameter` scalars, trained the same way; 2000 steps each, lr 1e-6.

Both sides start from the same weights (the tutorials draw them from PyTorch's generator) and
run in float64.
"""

from __future__ import annotations

import math

import numpy as np

#: Lines changed from the original, and why.
CHANGES = [
    ("import torch", "import numpy as np; from autograd_lite import Tensor, nn, optim",
     "the imports (torch.nn -> nn, torch.optim -> optim)"),
    ("x = torch.linspace(-math.pi, math.pi, 2000)",
     "x = Tensor(np.linspace(-math.pi, math.pi, 2000))", "NumPy makes the array"),
    ("y = torch.sin(x)", "y = np.sin(x)", "NumPy's ufuncs run on Tensors"),
    ("p = torch.tensor([1, 2, 3])", "p = Tensor([1, 2, 3])", "the constructor"),
    ("self.a = torch.nn.Parameter(torch.randn(()))",
     "self.a = nn.Parameter(rng.standard_normal())",
     "no global random state: NumPy's generator draws (both sides take the same numbers here)"),
    ("super().__init__()", "super().__init__()", "kept: optional here, harmless"),
]

STEPS = 2000


def initial(seed: int = 0) -> dict[str, list[float]]:
    rng = np.random.default_rng(seed)
    return {"linear": [float(v) for v in rng.uniform(-0.5, 0.5, 4)],
            "module": [float(v) for v in rng.standard_normal(4)]}


def original(init: dict[str, list[float]], steps: int = STEPS) -> dict[str, tuple]:
    import torch
    torch_float = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)  # the tutorials run in float32; compare in float64
    try:
        x = torch.linspace(-math.pi, math.pi, 2000)
        y = torch.sin(x)

        # polynomial_optim.py
        p = torch.tensor([1, 2, 3])
        xx = x.unsqueeze(-1).pow(p)
        model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
        weights = init["linear"]
        model.load_state_dict({"0.weight": torch.tensor([weights[1:]]),
                               "0.bias": torch.tensor(weights[:1])})
        loss_fn = torch.nn.MSELoss(reduction="sum")
        learning_rate = 1e-6
        optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
        printed = []
        for t in range(steps):
            y_pred = model(xx)
            loss = loss_fn(y_pred, y)
            if t % 100 == 99:
                printed.append((t, loss.item()))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        linear_layer = model[0]
        sequential = (printed, [linear_layer.bias.item(), *linear_layer.weight[0].tolist()])

        # polynomial_module.py
        class Polynomial3(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.a, self.b, self.c, self.d = (torch.nn.Parameter(torch.tensor(v))
                                                  for v in init["module"])

            def forward(self, x):
                return self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3

        model = Polynomial3()
        criterion = torch.nn.MSELoss(reduction="sum")
        optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
        printed = []
        for t in range(steps):
            y_pred = model(x)
            loss = criterion(y_pred, y)
            if t % 100 == 99:
                printed.append((t, loss.item()))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        module = (printed, [model.a.item(), model.b.item(), model.c.item(), model.d.item()])
    finally:
        torch.set_default_dtype(torch_float)
    return {"sequential": sequential, "module": module}


def port(init: dict[str, list[float]], steps: int = STEPS) -> dict[str, tuple]:
    from autograd_lite import Tensor, nn, optim
    x = Tensor(np.linspace(-math.pi, math.pi, 2000))
    y = np.sin(x)

    # polynomial_optim.py
    p = Tensor([1, 2, 3])
    xx = x.unsqueeze(-1).pow(p)
    model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
    weights = init["linear"]
    model.load_state_dict({"0.weight": [weights[1:]], "0.bias": weights[:1]})
    loss_fn = nn.MSELoss(reduction="sum")
    learning_rate = 1e-6
    optimizer = optim.SGD(model.parameters(), lr=learning_rate)
    printed = []
    for t in range(steps):
        y_pred = model(xx)
        loss = loss_fn(y_pred, y)
        if t % 100 == 99:
            printed.append((t, loss.item()))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    linear_layer = model[0]
    sequential = (printed, [linear_layer.bias.item(), *linear_layer.weight[0].tolist()])

    # polynomial_module.py
    class Polynomial3(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b, self.c, self.d = (nn.Parameter(v) for v in init["module"])

        def forward(self, x):
            return self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3

    model = Polynomial3()
    criterion = nn.MSELoss(reduction="sum")
    optimizer = optim.SGD(model.parameters(), lr=1e-6)
    printed = []
    for t in range(steps):
        y_pred = model(x)
        loss = criterion(y_pred, y)
        if t % 100 == 99:
            printed.append((t, loss.item()))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    module = (printed, [model.a.item(), model.b.item(), model.c.item(), model.d.item()])
    return {"sequential": sequential, "module": module}
