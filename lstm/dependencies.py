"""Dependency graphs of a recurrent layer and of self-attention, and their longest chain.

Behind the claim "limited parallelisation" (chapter "Disadvantages of LSTMs",
#sec-limited-parallelisation): a graph maps each computed quantity to the quantities it needs;
:func:`longest_dependency_chain` counts the operations that must run one after another.
:func:`recurrent_dependencies` (``h{t}`` needs ``h{t-1}`` and ``x{t}``) gives a chain of ``T``,
:func:`attention_dependencies` (every ``y{t}`` needs all inputs) a chain of 1.
:func:`graph_coordinates` turns a graph into one polyline for drawing.

This module sits below the experiments and the explorers: both import it, it imports neither.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from lstm._checks import check_size

__all__ = [
    "attention_dependencies",
    "graph_coordinates",
    "longest_dependency_chain",
    "recurrent_dependencies",
]


def longest_dependency_chain(dependencies: Mapping[str, Sequence[str]]) -> int:
    """Length of the longest chain of operations that must run one after another.

    ``dependencies`` maps each computed quantity to the quantities it needs. Names that are
    never keys (the inputs) are available at the start and count 0; each computed quantity
    counts 1, so the answer is the number of rounds an ideal parallel machine (unlimited cores)
    needs: in each round it computes everything whose needs are ready.

    Parameters
    ----------
    dependencies : mapping of str to sequence of str
        ``{"h1": ["h0", "x1"], "h2": ["h1", "x2"]}`` means h1 needs h0 and x1, and so on.

    Returns
    -------
    int
        The longest chain (0 for an empty mapping).

    Raises
    ------
    TypeError
        If ``dependencies`` is not a mapping of names to sequences of names.
    ValueError
        If the dependencies contain a cycle.

    Examples
    --------
    >>> longest_dependency_chain({"h1": ["x1"], "h2": ["h1", "x2"], "y": ["x1", "x2"]})
    2
    """
    if not isinstance(dependencies, Mapping):
        raise TypeError(f"dependencies must be a mapping; got {type(dependencies).__name__}")
    for name, needs in dependencies.items():
        if isinstance(needs, (str, bytes)) or not isinstance(needs, Sequence):
            raise TypeError(
                f"dependencies[{name!r}] must be a sequence of names; got {needs!r}"
            )
    depth: dict[str, int] = {}
    in_progress: set[str] = set()
    for root in dependencies:
        if root in depth:
            continue
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            name, children_done = stack.pop()
            if name in depth:
                continue
            if name not in dependencies:
                depth[name] = 0
                continue
            if children_done:
                in_progress.discard(name)
                depth[name] = 1 + max((depth[need] for need in dependencies[name]), default=0)
                continue
            if name in in_progress:
                raise ValueError(f"dependencies contain a cycle through {name!r}")
            in_progress.add(name)
            stack.append((name, True))
            for need in dependencies[name]:
                if need in in_progress:
                    raise ValueError(f"dependencies contain a cycle through {need!r}")
                if need not in depth:
                    stack.append((need, False))
    return max((depth[name] for name in dependencies), default=0)


def recurrent_dependencies(sequence_length: int) -> dict[str, list[str]]:
    """Dependencies of a recurrent layer: state ``h{t}`` needs ``h{t-1}`` and input ``x{t}``.

    Parameters
    ----------
    sequence_length : int
        ``T``, positive.

    Returns
    -------
    dict
        ``{"h1": ["h0", "x1"], ..., "hT": ["h{T-1}", "xT"]}`` (``h0`` is the given start state).
    """
    length = check_size(sequence_length, "sequence_length")
    return {f"h{t}": [f"h{t - 1}", f"x{t}"] for t in range(1, length + 1)}


def attention_dependencies(sequence_length: int) -> dict[str, list[str]]:
    """Dependencies of a self-attention layer: every output ``y{t}`` needs all inputs.

    Parameters
    ----------
    sequence_length : int
        ``T``, positive.

    Returns
    -------
    dict
        ``{"y1": ["x1", ..., "xT"], ..., "yT": ["x1", ..., "xT"]}``.
    """
    length = check_size(sequence_length, "sequence_length")
    inputs = [f"x{t}" for t in range(1, length + 1)]
    return {f"y{t}": inputs for t in range(1, length + 1)}


def graph_coordinates(dependencies: Mapping[str, Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Edges of a dependency graph as one polyline (NaN between segments), for drawing.

    Inputs ``x{t}`` sit at height 0 and computed nodes (``h{t}``, ``y{t}``) at height 1, both
    at horizontal position ``t``; the start state ``h0`` sits at position 0, height 1.
    """
    xs: list[float] = []
    ys: list[float] = []
    for node, needs in dependencies.items():
        node_position = float(node[1:])
        for need in needs:
            need_position = float(need[1:])
            need_height = 0.0 if need.startswith("x") else 1.0
            xs += [need_position, node_position, np.nan]
            ys += [need_height, 1.0, np.nan]
    if not xs:
        return np.array([np.nan]), np.array([np.nan])
    return np.array(xs), np.array(ys)
