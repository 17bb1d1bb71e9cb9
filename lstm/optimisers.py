"""Optimisation: gradient clipping, the Adam optimiser and learning-rate schedules.

* :func:`global_norm`, :func:`clip_by_global_norm` -- limit the length of the gradient
  (Pascanu, Mikolov & Bengio, 2013);
* :class:`Adam` -- Kingma & Ba (2015), updating the parameter arrays in place;
* :func:`step_decay` -- a learning-rate schedule (a callable of the step) that multiplies
  the rate by a factor every few steps, as the classic recipes do.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lstm._arguments import check_positive_float, check_positive_int

__all__ = ["Adam", "LearningRate", "clip_by_global_norm", "global_norm", "learning_rate_at", "step_decay"]


def global_norm(grads: dict[str, np.ndarray]) -> float:
    r"""Euclidean norm of all gradients taken together, :math:`\sqrt{\sum_k \|g_k\|^2}`."""
    return float(np.sqrt(sum(float(np.sum(np.square(g))) for g in grads.values())))


def clip_by_global_norm(
    grads: dict[str, np.ndarray], max_norm: float | None
) -> tuple[dict[str, np.ndarray], float]:
    r"""Scale all gradients down together when their global norm exceeds ``max_norm``.

    With :math:`n = \|g\|` the global norm, every gradient is multiplied by
    :math:`\min(1, \text{max\_norm} / n)`: the direction is kept, only the length is limited
    (Pascanu, Mikolov & Bengio, 2013).

    Hand-worked case: gradients ``(3, 4)`` have norm 5; with ``max_norm=1`` they become
    ``(0.6, 0.8)`` and the returned norm is 5.

    Parameters
    ----------
    grads : dict of numpy.ndarray
        Gradients by parameter name (not modified).
    max_norm : float or None
        Largest allowed global norm; ``None`` turns clipping off.

    Returns
    -------
    clipped : dict of numpy.ndarray
        The (possibly scaled) gradients, new arrays.
    norm : float
        The global norm *before* clipping.

    Raises
    ------
    ValueError
        If ``max_norm`` is not positive.
    """
    max_norm = check_positive_float("max_norm", max_norm, allow_none=True)
    norm = global_norm(grads)
    scale = 1.0
    if max_norm is not None and norm > max_norm:
        scale = max_norm / norm
    return {name: g * scale for name, g in grads.items()}, norm


class Adam:
    r"""The Adam optimiser (Kingma & Ba, 2015), updating arrays in place.

    For each parameter :math:`\theta` with gradient :math:`g` at step :math:`t`:

    .. math::
        m \leftarrow \beta_1 m + (1-\beta_1) g,\quad
        v \leftarrow \beta_2 v + (1-\beta_2) g^2,\quad
        \theta \leftarrow \theta - \eta\,
            \frac{m / (1-\beta_1^t)}{\sqrt{v / (1-\beta_2^t)} + \epsilon}

    Hand-worked case (``lr=0.1``, defaults otherwise): a parameter 1.0 with gradient 0.5 moves
    to ``1 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.900000002`` after the first step (Adam's first
    step has length ``lr`` whatever the gradient's size).

    Parameters
    ----------
    parameters : dict of numpy.ndarray
        The live arrays to update.
    lr : float, default 1e-2
        Learning rate :math:`\eta`; the attribute ``lr`` may be changed between steps
        (that is how :func:`lstm.training.train` follows a schedule).
    beta1, beta2 : float, default 0.9, 0.999
        Decay rates of the running mean and running mean square, in ``[0, 1)``.
    eps : float, default 1e-8
        Added to the denominator.

    Notes
    -----
    The running means of all parameters are kept in one flat vector each, so one update
    costs a handful of NumPy calls whatever the number of parameter arrays; the
    arithmetic is the one above, in the same order, for every number.

    Raises
    ------
    ValueError
        If a setting is out of range.
    """

    def __init__(
        self,
        parameters: dict[str, np.ndarray],
        lr: float = 1e-2,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
    ) -> None:
        self.lr = check_positive_float("lr", lr)
        for name, value in (("beta1", beta1), ("beta2", beta2)):
            if not 0.0 <= value < 1.0:
                raise ValueError(f"{name} must lie in [0, 1); got {value!r}")
        self.beta1, self.beta2 = float(beta1), float(beta2)
        self.eps = check_positive_float("eps", eps)
        self.parameters = parameters
        # Where each parameter lives in the flat vectors.
        self._slices: dict[str, slice] = {}
        offset = 0
        for name, array in parameters.items():
            self._slices[name] = slice(offset, offset + array.size)
            offset += array.size
        dtype = np.result_type(*parameters.values()) if parameters else np.float64
        self._first = np.zeros(offset, dtype=dtype)
        self._second = np.zeros(offset, dtype=dtype)
        self._gradient = np.empty(offset, dtype=dtype)
        self._update = np.empty(offset, dtype=dtype)
        self._scratch = np.empty(offset, dtype=dtype)
        self.step_count = 0

    @property
    def first_moment(self) -> dict[str, np.ndarray]:
        """Running mean :math:`m` of each parameter's gradient (views, by name)."""
        return {name: self._first[part].reshape(self.parameters[name].shape)
                for name, part in self._slices.items()}

    @property
    def second_moment(self) -> dict[str, np.ndarray]:
        """Running mean square :math:`v` of each parameter's gradient (views, by name)."""
        return {name: self._second[part].reshape(self.parameters[name].shape)
                for name, part in self._slices.items()}

    def step(self, grads: dict[str, np.ndarray]) -> None:
        """Apply one update using ``grads`` (same names and shapes as the parameters).

        Raises
        ------
        ValueError
            If a gradient is missing or has the wrong shape.
        """
        for name, array in self.parameters.items():
            if name not in grads or np.shape(grads[name]) != array.shape:
                given = np.shape(grads[name]) if name in grads else "nothing"
                raise ValueError(f"grads[{name!r}] must have shape {array.shape}; got {given}")
            self._gradient[self._slices[name]] = np.ravel(grads[name])
        self.step_count += 1
        correction1 = 1.0 - self.beta1**self.step_count
        correction2 = 1.0 - self.beta2**self.step_count
        gradient, first, second = self._gradient, self._first, self._second
        update, scratch = self._update, self._scratch
        first *= self.beta1                                     # m <- β1 m + (1 - β1) g
        np.multiply(gradient, 1.0 - self.beta1, out=scratch)
        first += scratch
        second *= self.beta2                                    # v <- β2 v + (1 - β2) g²
        np.multiply(gradient, 1.0 - self.beta2, out=scratch)
        scratch *= gradient
        second += scratch
        np.divide(second, correction2, out=scratch)             # θ <- θ - η m̂ / (√v̂ + ε)
        np.sqrt(scratch, out=scratch)
        scratch += self.eps
        np.divide(first, correction1, out=update)
        update *= self.lr
        update /= scratch
        for name, array in self.parameters.items():
            array -= update[self._slices[name]].reshape(array.shape)


LearningRate = float | Callable[[int], float]
"""A learning rate: a number, or a function of the step (0, 1, ...) giving the rate."""


def learning_rate_at(lr: LearningRate, step: int) -> float:
    """The rate for ``step``: ``lr`` itself, or ``lr(step)`` for a schedule.

    Raises
    ------
    ValueError
        If the rate (or the schedule's value at ``step``) is not a positive finite number.
    """
    value = lr(step) if callable(lr) else lr
    return check_positive_float("lr" if not callable(lr) else f"lr({step})", value)


def step_decay(initial: float, factor: float = 0.5, every: int = 1000) -> Callable[[int], float]:
    r"""A schedule that multiplies the learning rate by ``factor`` every ``every`` steps.

    :math:`\eta(s) = \eta_0 \cdot \text{factor}^{\lfloor s / \text{every} \rfloor}`.
    Hand-worked case: ``step_decay(0.01, 0.5, 1000)`` gives 0.01 for steps 0-999, 0.005
    for steps 1000-1999, 0.0025 from step 2000.

    Parameters
    ----------
    initial : float
        The rate :math:`\eta_0` of the first steps.
    factor : float, default 0.5
        Multiplier applied every ``every`` steps, in (0, 1].
    every : int, default 1000
        Steps between two decays.

    Returns
    -------
    callable
        ``schedule(step) -> float``, for the ``lr`` argument of :func:`lstm.training.train`.

    Raises
    ------
    ValueError
        If an argument is out of range.
    """
    initial = check_positive_float("initial", initial)
    factor = check_positive_float("factor", factor)
    if factor > 1.0:
        raise ValueError(f"factor must lie in (0, 1]; got {factor!r}")
    every = check_positive_int("every", every)

    def schedule(step: int) -> float:
        return initial * factor ** (step // every)

    schedule.__doc__ = f"Learning rate {initial:g} multiplied by {factor:g} every {every} steps."
    return schedule
