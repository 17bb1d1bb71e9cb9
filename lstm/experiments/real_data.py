"""Claim 5 of "Advantages of LSTMs": wide applicability (section #sec-adv-applicability).

:func:`real_data_forecast` -> :class:`ForecastResult`, drawn by
:func:`plot_real_data_forecast`: one-step-ahead forecasts of a real series shipped with the
package (``"eeg"`` or ``"goog"``), an LSTM against "next equals last" and a least-squares linear
autoregression on the same windows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from lstm.experiments.common import (
    BASELINE_COLOUR,
    LINEAR_COLOUR,
    LSTM_COLOUR,
    new_lstm_cell,
    scaled_figure,
)
from lstm.style import OKABE_ITO, book_style
from lstm.tasks import (
    ForecastingData,
    forecasting_data,
    sample_series,
)
from lstm.training import SequenceData, SequenceModel, TrainingHistory, one_blas_thread, train

__all__ = [
    "ForecastResult",
    "plot_real_data_forecast",
    "real_data_forecast",
]


@dataclass(frozen=True)
class ForecastResult:
    """One-step-ahead forecasts of a real series: LSTM vs naive and linear baselines.

    Attributes
    ----------
    dataset : str
    data : ForecastingData
    naive_mse, linear_mse, lstm_mse : float
        Test mean squared error in the series' units: "next equals last", a least-squares
        linear autoregression on the same windows, and the LSTM.
    lstm_test_predictions, linear_test_predictions : numpy.ndarray, shape (N_test,)
    history : TrainingHistory
    seconds : float
    """

    dataset: str
    data: ForecastingData
    naive_mse: float
    linear_mse: float
    lstm_mse: float
    lstm_test_predictions: np.ndarray
    linear_test_predictions: np.ndarray
    history: TrainingHistory
    seconds: float

    @property
    def lstm_vs_naive(self) -> float:
        """LSTM error divided by the naive error (below 1: the LSTM is better)."""
        return self.lstm_mse / self.naive_mse

    def summary(self) -> str:
        """The test errors side by side."""
        series = self.data.series
        return (
            f"{series.description}\n"
            f"test period: {len(self.data.test)} forecasts; mean squared error "
            f"(units: {series.unit} squared)\n"
            f"  naive (next = last): {self.naive_mse:.4g}\n"
            f"  linear regression:   {self.linear_mse:.4g}\n"
            f"  LSTM:                {self.lstm_mse:.4g}   "
            f"({self.lstm_vs_naive:.2f} x naive)"
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
    hidden_size: int = 8,
    steps: int = 400,
    batch_size: int = 64,
    lr: float = 0.02,
    train_fraction: float = 0.7,
    seed: int = 0,
    progress: bool = True,
) -> ForecastResult:
    """Forecast the next value of a real series with an LSTM; compare with simple baselines.

    ``"eeg"`` forecasts channel 1 of matplotlib's EEG sample; ``"goog"`` the next daily
    closing price (working with log prices, so changes are returns).  Each window of
    ``window`` past values of the forecast channel is shifted by its last value and divided
    by its own standard deviation (``normalise="window"`` in
    :func:`lstm.tasks.forecasting_data`); the LSTM predicts the next change on that scale.
    The first ``train_fraction`` of the series trains, the rest tests (split by time).  The
    baselines: "next equals last" (naive) and a least-squares linear regression on the same
    windows.

    Parameters
    ----------
    dataset : {"eeg", "goog"}
    window : int
    hidden_size, steps, batch_size : int
    lr, train_fraction : float
    seed : int
    progress : bool

    Returns
    -------
    ForecastResult

    Raises
    ------
    ValueError
        If an argument is out of range.
    """
    if dataset not in ("eeg", "goog"):
        raise ValueError(f"dataset must be 'eeg' or 'goog'; got {dataset!r}")
    start = time.perf_counter()
    series = sample_series(dataset)
    data = forecasting_data(
        series,
        window=window,
        train_fraction=train_fraction,
        input_channels=(0,),
        normalise="window",
        log=dataset == "goog",
    )
    model = SequenceModel(
        new_lstm_cell(data.train.input_size, hidden_size, seed, 1.0), 1, objective="regression", seed=seed
    )
    history = train(
        model,
        data.train,
        steps=steps,
        lr=lr,
        batch_size=batch_size,
        seed=seed,
        progress=progress,
        description=f"LSTM on {dataset}",
    )
    lstm_predictions = data.to_values(model.predict(data.test.xs)[:, 0])
    linear_predictions = _linear_forecast(data)
    truth = data.test_next
    return ForecastResult(
        dataset=dataset,
        data=data,
        naive_mse=float(np.mean((data.test_last - truth) ** 2)),
        linear_mse=float(np.mean((linear_predictions - truth) ** 2)),
        lstm_mse=float(np.mean((lstm_predictions - truth) ** 2)),
        lstm_test_predictions=lstm_predictions,
        linear_test_predictions=linear_predictions,
        history=history,
        seconds=time.perf_counter() - start,
    )


def plot_real_data_forecast(result: ForecastResult, size: str = "laptop", zoom: int = 80) -> Any:
    """Left: the series with the train/test split; right: a stretch of test forecasts.

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
        right.plot(
            test_times,
            result.lstm_test_predictions[index],
            color=LSTM_COLOUR,
            linestyle="--",
            label=f"LSTM (MSE {result.lstm_mse:.3g})",
        )
        right.set_xlabel(left.get_xlabel())
        right.set_ylabel(left.get_ylabel())
        right.set_title(f"First {count} test forecasts")
        right.legend(loc="best", fontsize="small")
        if series.name == "goog":
            right.tick_params(axis="x", labelrotation=30)
        figure.tight_layout()
    return figure
