"""docs/api.md lists every public name of autograd_lite, with its real signature.

The public names are `autograd_lite.__all__`, the `__all__` of every public subpackage it
exports (`nn`, `nn.functional`, `nn.scalar`, `optim`, `datasets`) and of `debug` and `viz`,
plus the public attributes of the classes learners use directly (`Value`, `Tensor`,
`nn.Module`, `optim.Optimizer`, `debug.Step`). A name is documented by a code span at the
start of a row of one of the page's tables, written relative to the package (`grad(...)`,
`nn.Linear(...)`, `Tensor.backward(...)`); when the span shows a call signature, its parameter
names, kinds and defaults must be the real ones.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import types
from pathlib import Path

import pytest

import autograd_lite

PAGE = Path(__file__).resolve().parent.parent / "docs" / "api.md"
ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|", re.MULTILINE)
DECLARATION = re.compile(r"^([A-Za-z_][\w.]*)(\(.*\))?$")
# Classes whose public attributes are part of the reference, relative to the package.
CLASSES = ["Value", "Tensor", "nn.Module", "optim.Optimizer", "debug.Step", "Explorer"]
EXTRA_MODULES = ["debug", "viz"]


def resolve(name: str):
    obj = autograd_lite
    for part in name.split("."):
        obj = getattr(obj, part) if hasattr(obj, part) else importlib.import_module(
            f"{obj.__name__}.{part}")
    return obj


def module_names(prefix: str, module: types.ModuleType) -> set[str]:
    names = set()
    for name in getattr(module, "__all__", []):
        obj = getattr(module, name)
        if isinstance(obj, types.ModuleType):
            names |= module_names(f"{prefix}{name}.", obj)
        else:
            names.add(f"{prefix}{name}")
    return names


def public_names() -> set[str]:
    names = module_names("", autograd_lite)
    for sub in EXTRA_MODULES:
        found = module_names(f"{sub}.", importlib.import_module(f"autograd_lite.{sub}"))
        # a name the package re-exports at the top is documented there
        names |= {n for n in found if n.split(".")[-1] not in autograd_lite.__all__}
    for cls_name in CLASSES:
        cls = resolve(cls_name)
        names |= {f"{cls_name}.{attr}" for attr in dir(cls)
                  if not attr.startswith("_") and any(attr in vars(c) for c in cls.__mro__
                                                      if c is not object)}
    return names


def declarations() -> dict[str, str | None]:
    """Documented name -> the signature shown (e.g. "(f, argnums=0)"), or None."""
    found = {}
    for span in ROW.findall(PAGE.read_text()):
        match = DECLARATION.match(span)
        if match and span not in ("name",):
            found[match.group(1)] = match.group(2)
    return found


def test_every_public_name_is_documented():
    missing = sorted(public_names() - set(declarations()))
    assert not missing, f"docs/api.md does not document: {missing}"


def test_every_documented_name_exists():
    stale = []
    for name in declarations():
        try:
            resolve(name)
        except (AttributeError, ModuleNotFoundError):
            stale.append(name)
    assert not stale, f"docs/api.md documents names that do not exist: {stale}"


def documented_parameters(name: str, signature: str) -> list[tuple[str, str, object]]:
    tree = ast.parse(f"def f{signature}: pass").body[0].args
    params = []
    positional = tree.posonlyargs + tree.args
    defaults = [None] * (len(positional) - len(tree.defaults)) + tree.defaults
    for arg, default in zip(positional, defaults):
        params.append((arg.arg, "positional",
                       inspect.Parameter.empty if default is None else ast.literal_eval(default)))
    if tree.vararg:
        params.append((tree.vararg.arg, "*", inspect.Parameter.empty))
    for arg, default in zip(tree.kwonlyargs, tree.kw_defaults):
        params.append((arg.arg, "keyword",
                       inspect.Parameter.empty if default is None else ast.literal_eval(default)))
    if tree.kwarg:
        params.append((tree.kwarg.arg, "**", inspect.Parameter.empty))
    return params


def real_parameters(obj) -> list[tuple[str, str, object]]:
    kinds = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**",
             inspect.Parameter.KEYWORD_ONLY: "keyword"}
    params = []
    for p in inspect.signature(obj).parameters.values():
        if p.name in ("self", "cls"):
            continue
        params.append((p.name, kinds.get(p.kind, "positional"), p.default))
    return params


@pytest.mark.parametrize("name", sorted(n for n, sig in declarations().items() if sig))
def test_documented_signature_is_the_real_one(name):
    obj = resolve(name)
    if isinstance(obj, property):
        pytest.fail(f"{name} is a property: document it without parentheses")
    documented = documented_parameters(name, declarations()[name])
    real = real_parameters(obj)
    assert documented == real, f"{name}: the page shows {documented}, the code has {real}"


def test_properties_and_attributes_are_shown_without_parentheses():
    for name, signature in declarations().items():
        if "." not in name or signature is not None:
            continue
        owner, attr = name.rsplit(".", 1)
        try:
            member = inspect.getattr_static(resolve(owner), attr)
        except AttributeError:
            continue  # a module attribute (e.g. a registry), nothing to check
        assert not inspect.isfunction(member), f"{name} is a method: show its signature"
