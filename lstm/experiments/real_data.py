"""Claim 5 of "Advantages of LSTMs": wide applicability (section #sec-adv-applicability).

:func:`real_data_forecast` -> :class:`ForecastResult`, drawn by
:func:`plot_real_data_forecast`: one-step-ahead forecasts of a real series shipped with the
package (``"eeg"`` or ``"goog"``), an LSTM trained on every seed against "next equals last" and
a least-squares linear autoregression on the same windows (neither has a seed).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lstm._arguments import check_positive_int
from lstm.experiments.common import (
    BASELINE_COLOUR,
    LINEAR_COLOUR,
    LSTM_COLOUR,
    check_learning_rate,
    check_seeds,
    new_lstm_cell,
    scaled_figure,
)
from lstm.stacked import train_many
from lstm.style import OKABE_ITO, book_style
from lstm.tasks import (
    ForecastingData,
    forecasting_data,
    sample_series,
)
from lstm.training import SequenceData, SequenceModel, TrainingHistory, one_blas_thread

__all__ = [
    "ForecastResult",
    "plot_real_data_forecast",
    "real_data_forecast",
]


@dataclass(frozen=True)
class ForecastResult:
    """One-step-ahead forecasts of a real series: an LSTM per seed against naive and linear baselines.

    Attributes
    ----------
    dataset : str
    data : ForecastingData
    seeds : tuple of int, length S
        One LSTM per seed (its cell, read-out and training batches).
    naive_mse, linear_mse : float
        Test mean squared error in the series' units of "next equals last" and of a
        least-squares linear autoregression on the same windows (no seed: one answer each).
    lstm_mse : numpy.ndarray, shape (S,)
        Test mean squared error of each seed's LSTM.
    lstm_test_predictions : numpy.ndarray, shape (S, N_test)
    linear_test_predictions : numpy.ndarray, shape (N_test,)
    histories : list of TrainingHistory, length S
    perturbation : float
        Relative size of the change made to the initial weights (0: none).
    cpu_seconds : float
    """

    dataset: str
    data: ForecastingData
    seeds: tuple[int, ...]
    naive_mse: float
    linear_mse: float
    lstm_mse: np.ndarray
    lstm_test_predictions: np.ndarray
    linear_test_predictions: np.ndarray
    histories: list[TrainingHistory]
    perturbation: float
    cpu_seconds: float

    @property
    def lstm_vs_naive(self) -> np.ndarray:
        """Each seed's LSTM error divided by the naive error, shape (S,) (below 1: the LSTM is better)."""
        return self.lstm_mse / self.naive_mse

    @property
    def linear_vs_naive(self) -> float:
        """The linear error divided by the naive error (below 1: the linear model is better)."""
        return self.linear_mse / self.naive_mse

    @property
    def median_seed_index(self) -> int:
        """Index (into ``seeds``) of the run whose LSTM error is the median one (the lower of two)."""
        order = np.argsort(self.lstm_mse, kind="stable")
        return int(order[(order.size - 1) // 2])

    def summary(self) -> str:
        """The test errors side by side: naive, linear, and the LSTM's median and range over the seeds."""
        series = self.data.series
        ratios = self.lstm_vs_naive
        return (
            f"{series.description}\n"
            f"test period: {len(self.data.test)} forecasts; mean squared error "
            f"(units: {series.unit} squared)\n"
            f"  naive (next = last): {self.naive_mse:.4g}\n"
            f"  linear regression:   {self.linear_mse:.4g}   ({self.linear_vs_naive:.2f} x naive)\n"
            f"  LSTM, {len(self.seeds)} seeds:      median {np.median(self.lstm_mse):.4g}   "
            f"({np.median(ratios):.2f} x naive; {ratios.min():.2f} to {ratios.max():.2f})"
        )


def _linear_forecast(data: ForecastingData) -> np.ndarray:
    """Least-squares linear autoregression on the flattened windows (standardised change)."""

    def design(part: SequenceData) -> np.ndarray:
        flat = part.xs.transpose(1, 0, 2).reshape(part.num_examples, -1)
        return np.concatenate([flat, np.ones((part.num_examples, 1))], axis=1)

    weights = np.linalg.lstsq(design(data.train), data.train.targets[:, 0], rcond=None)[0]
    return data.to_values(design(data.test) @ weights)


@one_blas_thread()
def real_data_forecast(
    dataset: str = "eeg",
    window: int = 10,
    seeds: Sequence[int] = tuple(range(10)),
    hidden_size: int = 8,
    steps: int = 400,
    batch_size: int = 64,
    lr: float = 0.02,
    train_fraction: float = 0.7,
    perturbation: float = 0.0,
    progress: bool = True,
) -> ForecastResult:
    """Forecast the next value of a real series with an LSTM per seed; compare with simple baselines.

    ``"eeg"`` forecasts channel 1 of matplotlib's EEG sample; ``"goog"`` the next daily
    closing price (working with log prices, so changes are returns).  Each window of
    ``window`` past values of the forecast channel is shifted by its last value and divided
    by its own standard deviation (``normalise="window"`` in
    :func:`lstm.tasks.forecasting_data`); the LSTM predicts the next change on that scale.
    The first ``train_fraction`` of the series trains, the rest tests (split by time).  The
    baselines: "next equals last" (naive) and a least-squares linear regression on the same
    windows.  All seeds are trained in one :func:`lstm.stacked.train_many` call.

    Parameters
    ----------
    dataset : {"eeg", "goog"}
    window : int
        Past values seen by every forecast.
    seeds : sequence of int, default 0-9
        Distinct non-negative seeds, one LSTM per seed.
    hidden_size, steps, batch_size : int
    lr, train_fraction : float
    perturbation : float, default 0
        Multiply each LSTM's initial weights by ``1 + perturbation * u``, u uniform in [-1, 1]
        (see :func:`lstm.stacked.perturb_parameters`); the tests use 1e-12.
    progress : bool

    Returns
    -------
    ForecastResult

    Raises
    ------
    ValueError
        If an argument is out of range.
    TypeError
        If ``seeds`` is not a sequence of integers.
    """
    if dataset not in ("eeg", "goog"):
        raise ValueError(f"dataset must be 'eeg' or 'goog'; got {dataset!r}")
    start = time.process_time()
    seeds = check_seeds(seeds)
    hidden_size = check_positive_int("hidden_size", hidden_size)
    lr = check_learning_rate(lr, "lr")
    series = sample_series(dataset)
    data = forecasting_data(
        series,
        window=window,
        train_fraction=train_fraction,
        input_channels=(0,),
        normalise="window",
        log=dataset == "goog",
    )
    models = [
        SequenceModel(new_lstm_cell(data.train.input_size, hidden_size, seed, 1.0), 1,
                      objective="regression", seed=seed)
        for seed in seeds
    ]
    histories = train_many(
        models, data.train, seeds=seeds, steps=steps, lr=lr, batch_size=batch_size,
        perturbation=perturbation, progress=progress, description=f"LSTM on {dataset}",
    )
    lstm_predictions = np.array([data.to_values(model.predict(data.test.xs)[:, 0]) for model in models])
    linear_predictions = _linear_forecast(data)
    truth = data.test_next
    return ForecastResult(
        dataset=dataset,
        data=data,
        seeds=seeds,
        naive_mse=float(np.mean((data.test_last - truth) ** 2)),
        linear_mse=float(np.mean((linear_predictions - truth) ** 2)),
        lstm_mse=np.mean((lstm_predictions - truth) ** 2, axis=1),
        lstm_test_predictions=lstm_predictions,
        linear_test_predictions=linear_predictions,
        histories=histories,
        perturbation=float(perturbation),
        cpu_seconds=time.process_time() - start,
    )


def plot_real_data_forecast(result: ForecastResult, size: str = "laptop", zoom: int = 80) -> Any:
    """Left: the series with the train/test split; right: the first ``zoom`` test forecasts.

    The LSTM drawn is the seed with the median test error (:attr:`ForecastResult.median_seed_index`);
    the legend gives its error and the range over the seeds.

    Returns
    -------
    lstm.plots.BookFigure
    """
    figure = scaled_figure(size, 11.0, 4.6)
    data = result.data
    series = data.series
    values = series.values[:, 0]
    times = series.times
    with book_style(size):
        left = figure.add_subplot(1, 2, 1)
        right = figure.add_subplot(1, 2, 2)
        left.plot(
            times[: data.split_index],
            values[: data.split_index],
            color=BASELINE_COLOUR,
            linewidth=1.0,
            label="training period",
        )
        left.plot(
            times[data.split_index :],
            values[data.split_index :],
            color=OKABE_ITO["blue"],
            linewidth=1.0,
            label="test period",
        )
        left.set_xlabel("time (s)" if series.name == "eeg" else "date")
        left.set_ylabel(f"{series.channel_names[0]} ({series.unit})")
        left.set_title(series.name.upper() + ": the whole series")
        left.legend(loc="best")
        if series.name == "goog":
            left.tick_params(axis="x", labelrotation=30)
        count = min(zoom, len(data.test))
        test_times = times[data.split_index + data.train.num_steps :][:count]
        index = np.arange(count)
        right.plot(test_times, data.test_next[index], color=BASELINE_COLOUR, linewidth=2.5, label="actual")
        right.plot(
            test_times,
            data.test_last[index],
            color=OKABE_ITO["sky_blue"],
            linestyle=":",
            label=f"naive (MSE {result.naive_mse:.3g})",
        )
        right.plot(
            test_times,
            result.linear_test_predictions[index],
            color=LINEAR_COLOUR,
            linestyle="-.",
            label=f"linear (MSE {result.linear_mse:.3g})",
        )
        median = result.median_seed_index
        right.plot(
            test_times,
            result.lstm_test_predictions[median][index],
            color=LSTM_COLOUR,
            linestyle="--",
            label=f"LSTM, median seed (MSE {result.lstm_mse[median]:.3g}; "
                  f"{result.lstm_mse.min():.3g}-{result.lstm_mse.max():.3g})",
        )
        right.set_xlabel(left.get_xlabel())
        right.set_ylabel(left.get_ylabel())
        right.set_title(f"First {count} test forecasts")
        right.legend(loc="best", fontsize="small")
        if series.name == "goog":
            right.tick_params(axis="x", labelrotation=30)
        figure.tight_layout()
    return figure
