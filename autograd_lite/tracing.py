"""Recording a function for the transforms: its arguments become graph nodes, it runs once.

`record` turns every leaf of the differentiated arguments (pytrees of floats and arrays) into a
fresh input node, calls `f` with grad mode on, and returns a `Recording`: the output, the input
nodes, and the nodes between them (the only ones a sweep visits).

Transforms nest, as in HIPS autograd and JAX. While `f` runs, its call is an active *frame* on
a per-thread stack. A transform called inside another one (directly, as in `grad(grad(f))`, or
from a function that closes over the outer variable, `grad(lambda x: x * grad(lambda y: x *
y)(2.0))`) looks at the graph its output was recorded on: when that graph reaches an input of
an enclosing frame, the derivative depends on the outer variable, so the inner transform runs
its sweeps with `create_graph` and returns Tensors on the graph (`Recording.traced`), which the
outer transform differentiates in turn. Otherwise it returns plain floats and arrays. A Tensor
that requires grad given as a differentiated argument counts as an outer variable too.

A function that ignores an argument gets the derivative zero for it, as in HIPS autograd and
JAX; one that loses the dependence on the way (`float(x.sum())`, `math.exp(x)`, `np.asarray`)
must not get a silent zero instead. So the input nodes note when `f` uses them (an op takes
them as an input: every op reads its inputs' `requires_grad` when it records) and when `f`
reads their values out of the graph (`float(x)`, `x.item()`, `np.asarray(x)`, `x.data`,
`x.tolist()`), and `check_uses` raises `TypeError` when

- `f` returns a plain number or array (not a Tensor) although it used its inputs: the value
  was computed from them and left the graph (a true constant can be returned as a Tensor);
- `f` read an input's values out of the graph and its output does not depend on that input
  through the graph.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .engine.grad_mode import enable_grad
from .engine.node import Node
from .engine.order import topological_order
from .ops.shape import Reshape
from .pytree import CONTAINERS, LEAF, TreeDef, flatten_with_paths, leaf_paths
from .tensor import Tensor, apply_unary, concatenate, constant


# ----- frames: the transform calls in progress ------------------------------------------------
class Frame:
    """One transform call whose `f` is running: its input nodes, those `f` used (in an op, or
    by reading their values) and those whose values it read out of the graph."""

    __slots__ = ("inputs", "read", "used")

    def __init__(self, inputs: set[Node]) -> None:
        self.inputs = inputs
        self.used: set[Node] = set()
        self.read: set[Node] = set()


class FrameStack(threading.local):
    """The frames of the calling thread, innermost last (another thread's transforms are
    never mistaken for enclosing ones)."""

    def __init__(self) -> None:
        self.frames: list[Frame] = []


STACK = FrameStack()


def note_use(node: Node, read: bool = False) -> None:
    """Remember that `f` used input `node` (`read`: by reading its values out of the graph)."""
    for frame in reversed(STACK.frames):
        if node in frame.inputs:
            frame.used.add(node)
            if read:
                frame.read.add(node)
            return


#: `requires_grad` as Node stores it (the slot), under the property of `TransformInput`.
REQUIRES_GRAD_SLOT = Node.__dict__["requires_grad"]


class TransformInput(Tensor):
    """The node that stands for one leaf of a differentiated argument while `f` runs.

    It is a Tensor in every way; it only notes when `f` uses it, so that a lost dependence
    is reported instead of differentiated as zero (see the module docstring). Every op reads
    its inputs' `requires_grad` when it records, which is how a use in an op is seen.
    """

    __slots__ = ()

    @property  # type: ignore[override]
    def requires_grad(self) -> bool:
        """Whether gradients flow to this node (True for a transform's input)."""
        note_use(self)
        return REQUIRES_GRAD_SLOT.__get__(self, Node)  # type: ignore[no-any-return]

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        REQUIRES_GRAD_SLOT.__set__(self, value)

    def __float__(self) -> float:
        note_use(self, read=True)
        return Tensor.__float__(self)

    def item(self) -> float:
        note_use(self, read=True)
        return Tensor.item(self)

    def tolist(self) -> Any:
        note_use(self, read=True)
        return Tensor.tolist(self)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        note_use(self, read=True)
        return Tensor.__array__(self, dtype, copy)

    @property  # type: ignore[override]
    def data(self) -> np.ndarray:
        """The values, as for any Tensor (reading them takes them out of the graph)."""
        note_use(self, read=True)
        return Tensor.data.fget(self)  # type: ignore[attr-defined, no-any-return]

    @data.setter
    def data(self, value: Any) -> None:
        Tensor.data.fset(self, value)  # type: ignore[attr-defined]


# ----- arguments ------------------------------------------------------------------------------
def resolve_argnums(who: str, argnums: tuple[int, ...], nargs: int) -> tuple[int, ...]:
    """The argument positions as non-negative ints; raises when one is out of range."""
    if nargs == 0:
        raise TypeError(
            f"{who}: the function was called without positional arguments, so there is nothing "
            "to differentiate; pass the point as a positional argument, e.g. grad(f)(x)"
        )
    positions = []
    for a in argnums:
        if not -nargs <= a < nargs:
            raise ValueError(
                f"{who}: argnums={a} is out of range for a call with {nargs} positional "
                f"argument{'' if nargs == 1 else 's'} (valid: 0 .. {nargs - 1}, or negative "
                "from the end)"
            )
        positions.append(a % nargs)
    if len(set(positions)) != len(positions):
        raise ValueError(f"{who}: argnums {argnums} names the same argument twice")
    return tuple(positions)


def as_float_array(who: str, value: Any, position: int, path: str = ""
                   ) -> tuple[np.ndarray, bool]:
    """A leaf of a differentiated argument as a floating-point ndarray, and whether it was a
    number (`position` and `path` name it in errors: "argument 0['W']").

    Python ints and floats (and NumPy float scalars) are numbers. Integer, boolean, complex
    and non-numeric leaves raise `TypeError` (derivatives need floats); so does None.
    """
    if type(value) is float:  # the common cases first
        return np.asarray(value), True
    if type(value) is np.ndarray and value.dtype.kind == "f":
        return value, False
    where = f"{who}: {argument_label(position, path)}"
    if value is None:
        raise TypeError(
            f"{where} is None; a differentiated argument holds floats and float arrays (in "
            "lists, tuples and dicts). Leave it out of the structure, or pass the value it "
            "stands for"
        )
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{where} is a bool; derivatives need a float (e.g. 1.0)")
    if isinstance(value, Node):
        raise TypeError(
            f"{where} is a {type(value).__name__}; the transforms take floats and ndarrays "
            "(pass .data)"
        )
    if isinstance(value, (int, float)):
        return np.asarray(float(value)), True
    if isinstance(value, np.generic):
        array, scalar = np.asarray(value), True
    elif isinstance(value, np.ndarray):
        array, scalar = value, False
    else:
        raise TypeError(
            f"{where} is a {type(value).__name__}, not a float or an ndarray; differentiated "
            "arguments are floats and float arrays, or lists, tuples and dicts of them"
        )
    kind = array.dtype.kind
    if kind == "f":
        return array, scalar
    if kind in "iu":
        raise TypeError(
            f"{where} has the integer dtype {array.dtype}: derivatives need floating-point "
            "values. Pass it as floats, e.g. x.astype(float) or np.array(..., dtype=float)."
        )
    raise TypeError(
        f"{where} has dtype {array.dtype}: derivatives need a real floating-point array"
    )


def argument_label(position: int, path: str) -> str:
    """How an error names a leaf: "argument 0", or "argument 0['W'][1]" inside a pytree."""
    return f"argument {position}{path}"


def input_node(who: str, value: Any, position: int, path: str = ""
               ) -> tuple[Tensor, bool, bool]:
    """The graph node that stands for one leaf of a differentiated argument.

    Returns `(node, was_a_number, traced)`. An array or number becomes a fresh leaf that does
    not keep `.grad` (sweeps read gradients off the graph's edges). A Tensor that requires grad
    (an outer transform's variable) gets a fresh alias node on its graph (`traced`), so the
    results stay differentiable with respect to it and two arguments never share a node.
    """
    if isinstance(value, Tensor):
        if value.requires_grad:
            alias = apply_unary(Reshape(value.shape), value)
            alias.__class__ = TransformInput
            return alias, value.ndim == 0, True
        value = value._data
    array, scalar = as_float_array(who, value, position, path)
    leaf = TransformInput(array, requires_grad=True)
    leaf.keeps_grad = False
    return leaf, scalar, False


def describe_value(value: Any) -> str:
    """A short description of what `f` returned, for error messages."""
    if value is None:
        return "None (a missing return statement?)"
    if isinstance(value, np.ndarray):
        return f"a NumPy array of shape {value.shape}"
    if isinstance(value, np.generic):
        return f"a NumPy {type(value).__name__}"
    return f"a {type(value).__name__}"


# ----- the recording ---------------------------------------------------------------------------
class Recording:
    """`f` run once on input nodes.

    - `out`: the node the sweeps start from: `f`'s output, or, for a pytree output, its leaves
      joined into one vector (`out_def` then rebuilds the structure, `out_leaves` lists them).
    - `inputs`: one node per leaf of the differentiated arguments, in order; `scalars` says
      which were plain numbers; `arg_defs` holds each argument's structure.
    - `order`: the nodes between the inputs and `out`, parents first (the inputs left out).
    - `traced`: whether the derivatives depend on a variable of an enclosing transform (then
      they are computed with `create_graph` and returned as Tensors).
    - `aux`: what `f` returned beside its output with `has_aux=True`.
    """

    __slots__ = ("arg_defs", "aux", "inputs", "leaves_only", "order", "out", "out_def",
                 "out_leaves", "scalars", "traced")

    def __init__(self, out: Tensor, out_def: TreeDef | None, out_leaves: list[Tensor],
                 inputs: list[Tensor], scalars: list[bool], arg_defs: list[TreeDef],
                 order: list[Node], traced: bool, aux: Any) -> None:
        self.out = out
        self.out_def = out_def
        self.out_leaves = out_leaves
        self.inputs = inputs
        self.scalars = scalars
        self.arg_defs = arg_defs
        #: every differentiated argument is a single float or array (no structure to rebuild)
        self.leaves_only = arg_defs.count(LEAF) == len(arg_defs)
        self.order = order
        self.traced = traced
        self.aux = aux


def argument_nodes(who: str, args: Sequence[Any], positions: Sequence[int]
                   ) -> tuple[list[Any], list[Tensor], list[bool], list[TreeDef], bool]:
    """`args` with every leaf of the differentiated arguments replaced by its input node.

    Returns the new arguments, the input nodes, which were numbers, each argument's structure,
    and whether any leaf was a Tensor that requires grad.
    """
    call_args = list(args)
    inputs: list[Tensor] = []
    scalars: list[bool] = []
    arg_defs: list[TreeDef] = []
    traced = False
    for position in positions:
        value = args[position]
        if not isinstance(value, CONTAINERS):  # one float or array: no structure to walk
            node, scalar, traced_leaf = input_node(who, value, position)
            inputs.append(node)
            scalars.append(scalar)
            arg_defs.append(LEAF)
            call_args[position] = node
            traced = traced or traced_leaf
            continue
        pairs, treedef = flatten_argument(who, value, position)
        nodes = []
        for path, leaf in pairs:
            node, scalar, traced_leaf = input_node(who, leaf, position, path)
            nodes.append(node)
            scalars.append(scalar)
            traced = traced or traced_leaf
        inputs.extend(nodes)
        arg_defs.append(treedef)
        call_args[position] = treedef.unflatten(nodes)
    return call_args, inputs, scalars, arg_defs, traced


def flatten_argument(who: str, value: Any, position: int) -> tuple[list[tuple[str, Any]],
                                                                    TreeDef]:
    """The leaves of one differentiated argument with their paths, and its structure."""
    try:
        return flatten_with_paths(value)
    except ValueError as exc:
        raise ValueError(f"{who}: argument {position}: {exc}; pass a tree, not a cycle") from None


def record(
    who: str,
    f: Callable[..., Any],
    args: Sequence[Any],
    kwargs: dict[str, Any],
    argnums: tuple[int, ...],
    has_aux: bool = False,
    tree_output: bool = False,
) -> Recording:
    """Run `f(*args, **kwargs)` with the leaves of the arguments at `argnums` replaced by input
    nodes, and describe what it recorded (see `Recording`).

    `tree_output`: `f` may return a pytree of Tensors (jacobian, vjp, jvp); otherwise it must
    return a single Tensor (grad, hessian) or, with `has_aux`, a pair `(Tensor, aux)`.
    """
    positions = resolve_argnums(who, argnums, len(args))
    # A transform differentiates even when called under no_grad().
    with enable_grad():
        call_args, inputs, scalars, arg_defs, traced = argument_nodes(who, args, positions)
        frame = Frame(set(inputs))
        frames = STACK.frames
        frames.append(frame)
        try:
            result = f(*call_args, **kwargs)
        finally:
            frames.pop()
        aux = None
        if has_aux:
            if not (isinstance(result, tuple) and len(result) == 2):
                raise TypeError(
                    f"{who}: with has_aux=True, f must return a pair (output, auxiliary data), "
                    f"got {describe_value(result)}"
                )
            result, aux = result
        out, out_def, out_leaves, plain = output_node(who, result, tree_output)
    order, reached, outer = scan(out, inputs, frames)
    if frame.used and (plain or frame.read):
        check_uses(who, frame, inputs, reached, positions, arg_defs, plain)
    return Recording(out, out_def, out_leaves, inputs, scalars, arg_defs, order,
                     traced or outer, aux)


def scan(out: Tensor, inputs: Sequence[Tensor], frames: list[Frame]
         ) -> tuple[list[Node], set[Node], bool]:
    """One pass over the graph `out` was recorded on.

    Returns the nodes between `inputs` and `out` (see `nodes_between`), the inputs that `out`
    depends on, and whether the graph reaches an input of an enclosing transform (`frames`
    are those still running).
    """
    enclosing: set[Node] = set()
    for frame in frames:
        enclosing |= frame.inputs
    full: list[Any] = topological_order(out)
    reached: set[Node] = set(inputs)
    reached_inputs: set[Node] = set()
    between: list[Node] = []
    outer = False
    for node in full:
        if node in reached:
            reached_inputs.add(node)
            continue
        if enclosing and node in enclosing:
            outer = True
        for parent in node.parents:
            if parent in reached:
                reached.add(node)
                between.append(node)
                break
    return between, reached_inputs, outer


def nodes_between(inputs: Sequence[Node], out: Node) -> list[Node]:
    """The nodes of `out`'s graph that depend on some of `inputs`, parents before children,
    the inputs themselves left out: all a sweep from the inputs to `out` needs to visit.
    Nodes that `f` closes over (model parameters and their hooks) are not among them."""
    return scan(out, inputs, [])[0]  # type: ignore[arg-type]


def check_uses(who: str, frame: Frame, inputs: Sequence[Tensor], reached: set[Node],
               positions: Sequence[int], arg_defs: Sequence[TreeDef],
               plain: list[tuple[str, Any]]) -> None:
    """Raise when the derivative would be a silent zero because a dependence was lost on the
    way (see the module docstring): `plain` lists the output leaves `f` returned as plain
    numbers or arrays, with their paths."""
    labels = []
    for position, treedef in zip(positions, arg_defs):
        labels += [argument_label(position, path) for path in leaf_paths(treedef)]
    if plain:
        path, value = plain[0]
        where = f" at {path}" if path else ""
        used = next(label for node, label in zip(inputs, labels) if node in frame.used)
        raise TypeError(
            f"{who}: f returned {describe_value(value)}{where}, not an autograd_lite Tensor, "
            f"although it used {used}: a value computed from an argument that left the graph "
            "(float(...), .item(), np.asarray(...), math functions such as math.exp) has no "
            "derivative to follow, and would give a silent 0. Build the result with "
            "autograd_lite operations on f's arguments (x * y, x.sin(), autograd_lite.exp(x), "
            "x @ W, x.sum()); return a true constant as autograd_lite.Tensor(value)."
        )
    for node, label in zip(inputs, labels):
        if node in frame.read and node not in reached:
            raise TypeError(
                f"{who}: f read the values of {label} out of the graph (float(x), x.item(), "
                "np.asarray(x), x.data or x.tolist()), and its output does not depend on "
                f"{label} through the graph, so its derivative would silently be 0. Build the "
                "result with autograd_lite operations on f's arguments (x * y, x.sin(), "
                "autograd_lite.exp(x), x @ W, x.sum()); for control flow, compare the Tensor "
                "itself (if x > 0: ...), which needs no values read out."
            )


def output_node(who: str, result: Any, tree_output: bool
                ) -> tuple[Tensor, TreeDef | None, list[Tensor], list[tuple[str, Any]]]:
    """`f`'s result as the node the sweeps start from, its structure, its leaves, and the
    leaves that were plain numbers or arrays (with their paths, for `check_uses`).

    A Tensor is used as it is (`out_def` None). A plain number (or, for the transforms that
    take array outputs, a numeric array) is a constant output, with derivative zero. With
    `tree_output`, a list, tuple or dict of those is joined into one flat vector.
    """
    if isinstance(result, Tensor):
        return result, None, [result], []
    plain: list[tuple[str, Any]] = []
    if isinstance(result, CONTAINERS) and tree_output:
        pairs, treedef = flatten_with_paths(result)
        leaves = [output_leaf(who, leaf, path, True, plain) for path, leaf in pairs]
        if not leaves:
            return constant(np.zeros(0)), treedef, leaves, plain
        joined = concatenate([leaf.reshape(-1) for leaf in leaves])
        return joined, treedef, leaves, plain
    leaf = output_leaf(who, result, "", tree_output, plain)
    return leaf, None, [leaf], plain


def output_leaf(who: str, value: Any, path: str, arrays: bool,
                plain: list[tuple[str, Any]]) -> Tensor:
    """One leaf of `f`'s output as a Tensor: a constant for a plain number (or numeric array,
    with `arrays`), noted in `plain`; anything else raises `TypeError`."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (tuple, list)) and not path:
        raise TypeError(
            f"{who}: f returned a {type(value).__name__} of {len(value)} items; return a "
            "single Tensor (join outputs with autograd_lite.stack or concatenate"
            + (", or pass has_aux=True to return (output, extra data))"
               if who in ("grad", "value_and_grad") else ")")
        )
    numeric = isinstance(value, (int, float, np.generic, np.ndarray)) and not isinstance(
        value, (bool, np.bool_))
    if numeric and np.asarray(value).dtype.kind in "iuf" and (arrays or np.size(value) == 1):
        plain.append((path, value))
        array = np.asarray(value)
        return constant(array if array.dtype.kind == "f" else array.astype(np.float64))
    where = f" at {path}" if path else ""
    raise TypeError(
        f"{who}: f returned {describe_value(value)}{where}, not an autograd_lite Tensor, so "
        "there is no recorded graph to differentiate. Build the result with autograd_lite "
        "operations on f's arguments (x * y, x.sin(), autograd_lite.exp(x), x @ W, x.sum()); "
        "math functions (math.exp), np.asarray(x), float(...) and .item() leave the graph."
    )
