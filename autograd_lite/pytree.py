"""Pytrees: nested lists, tuples and dicts whose leaves are numbers and arrays.

The function transforms take model parameters as they are usually kept, `{"W": W, "b": b}` or
`[(W1, b1), (W2, b2)]`, and give derivatives back in the same structure. `flatten` lists the
leaves in a fixed order and returns a `TreeDef` that rebuilds the structure around new leaves
(`TreeDef.unflatten`): lists and tuples item by item, dicts in their own key order (insertion
order, as Python keeps it), depth first. A list stays a list, a tuple a tuple (a namedtuple
keeps its class), a dict a dict with its keys in the same order.

Everything that is not a list, tuple or dict is a leaf. Which leaves are acceptable (floats and
float arrays for a differentiated argument) is the caller's business; `flatten_with_paths` names
each leaf by its path, `[0]['W']`, so an error can say which one is wrong.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

#: The containers a pytree is made of.
CONTAINERS = (list, tuple, dict)


class TreeDef:
    """The structure of a pytree without its leaves: rebuilds it with `unflatten`.

    `kind` is `"leaf"`, `"list"`, `"tuple"` or `"dict"`; `children` holds one TreeDef per item;
    `keys` the dict's keys in order; `cls` the tuple's or dict's class (a namedtuple, an
    OrderedDict); `num_leaves` how many leaves the structure holds.
    """

    __slots__ = ("children", "cls", "keys", "kind", "num_leaves")

    def __init__(self, kind: str, children: tuple[TreeDef, ...] = (), keys: tuple = (),
                 cls: type | None = None) -> None:
        self.kind = kind
        self.children = children
        self.keys = keys
        self.cls = cls
        self.num_leaves: int = 1 if kind == "leaf" else sum(c.num_leaves for c in children)

    @property
    def is_leaf(self) -> bool:
        """True for a bare leaf (a single number, array or Tensor, no container)."""
        return self.kind == "leaf"

    def unflatten(self, leaves: Sequence[Any]) -> Any:
        """The structure rebuilt around `leaves` (in `flatten`'s order)."""
        if self.kind == "leaf" and len(leaves) == 1:
            return leaves[0]
        if len(leaves) != self.num_leaves:
            raise ValueError(
                f"unflatten: the structure {self.describe()} holds {self.num_leaves} leaves, got "
                f"{len(leaves)}"
            )
        return self.build(iter(leaves))

    def build(self, leaves: Any) -> Any:
        if self.kind == "leaf":
            return next(leaves)
        items = [child.build(leaves) for child in self.children]
        if self.kind == "list":
            return items
        if self.kind == "dict":
            pairs = zip(self.keys, items)
            return OrderedDict(pairs) if self.cls is OrderedDict else dict(pairs)
        if self.cls is not None and self.cls is not tuple:
            return self.cls(*items)  # a namedtuple
        return tuple(items)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, TreeDef) and self.kind == other.kind
                and self.keys == other.keys and self.cls is other.cls
                and self.children == other.children)

    def __hash__(self) -> int:
        return hash((self.kind, self.keys, self.num_leaves))

    def describe(self) -> str:
        """A short description for error messages: `a leaf`, `a list of 2 items`,
        `a dict with keys ['W', 'b']`."""
        if self.kind == "leaf":
            return "a single leaf"
        if self.kind == "dict":
            return f"a dict with keys {list(self.keys)!r}"
        name = self.cls.__name__ if self.cls is not None else self.kind
        count = len(self.children)
        return f"a {name} of {count} item{'' if count == 1 else 's'}"

    def __repr__(self) -> str:
        return f"<TreeDef: {self.describe()}, {self.num_leaves} leaves>"


#: The structure of a bare leaf (shared: most arguments are one array or one number).
LEAF = TreeDef("leaf")


def flatten(tree: Any) -> tuple[list[Any], TreeDef]:
    """The leaves of `tree` in order, and its structure."""
    if not isinstance(tree, CONTAINERS):
        return [tree], LEAF
    pairs, treedef = flatten_with_paths(tree)
    return [leaf for _, leaf in pairs], treedef


def flatten_with_paths(tree: Any, prefix: str = "") -> tuple[list[tuple[str, Any]], TreeDef]:
    """Like `flatten`, with each leaf named by its path below `prefix`: `[1][0]`, `['W']`.

    Raises `ValueError` for a container that contains itself.
    """
    pairs: list[tuple[str, Any]] = []
    treedef = walk(tree, prefix, pairs, set())
    return pairs, treedef


def walk(tree: Any, path: str, pairs: list[tuple[str, Any]], open_ids: set[int]) -> TreeDef:
    """Collect the leaves below `tree` into `pairs`; return its structure."""
    if not isinstance(tree, CONTAINERS):
        pairs.append((path, tree))
        return LEAF
    if id(tree) in open_ids:
        raise ValueError(f"the {type(tree).__name__} at {path or 'the top'} contains itself")
    open_ids.add(id(tree))
    if isinstance(tree, dict):
        keys = tuple(tree)
        children = tuple(walk(tree[k], f"{path}[{k!r}]", pairs, open_ids) for k in keys)
        treedef = TreeDef("dict", children, keys,
                          OrderedDict if isinstance(tree, OrderedDict) else dict)
    else:
        kind = "list" if isinstance(tree, list) else "tuple"
        children = tuple(walk(item, f"{path}[{i}]", pairs, open_ids)
                         for i, item in enumerate(tree))
        cls = type(tree) if kind == "tuple" and hasattr(tree, "_fields") else None
        treedef = TreeDef(kind, children, (), cls)
    open_ids.discard(id(tree))
    return treedef


def tree_map(fn: Callable[[Any], Any], tree: Any) -> Any:
    """`tree` with `fn` applied to every leaf (the structure kept)."""
    leaves, treedef = flatten(tree)
    return treedef.unflatten([fn(leaf) for leaf in leaves])


def leaf_paths(treedef: TreeDef, prefix: str = "") -> list[str]:
    """The path of every leaf of `treedef`, in `flatten`'s order (`prefix` for a bare leaf)."""
    paths: list[str] = []
    collect_paths(treedef, prefix, paths)
    return paths


def collect_paths(treedef: TreeDef, path: str, paths: list[str]) -> None:
    if treedef.kind == "leaf":
        paths.append(path)
        return
    labels = ([f"[{k!r}]" for k in treedef.keys] if treedef.kind == "dict"
              else [f"[{i}]" for i in range(len(treedef.children))])
    for label, child in zip(labels, treedef.children):
        collect_paths(child, path + label, paths)
