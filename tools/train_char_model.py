"""Train the ten character models of chapter 7 once and write ``data/char-model.npz``.

The section "A character model on real text" (#sec-char-model) shows ten LSTMs, seeds 0-9,
trained on three modules of Python's standard library (``data/python-stdlib/``) to predict the
next character.  Training them takes a few minutes of CPU, more than the chapter's budget, so
this tool trains them (:data:`lstm.experiments.char_model.STORED_RUN`), rounds their weights to
float16 and stores them with their loss curves and the numbers the chapter will compute from
them (the drift check of ``tests/test_char_model.py`` recomputes those).  Run it after changing
the model, the text or the settings::

    python tools/train_char_model.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lstm.experiments.char_model import STORED_PATH, STORED_RUN, save_runs, train_char_models  # noqa: E402


def main() -> None:
    start = time.process_time()
    runs = train_char_models(seeds=range(10), progress=True, **STORED_RUN)
    reading = save_runs(runs, STORED_PATH)
    print(reading.table())
    print(f"training: {runs.cpu_seconds:.0f} s of CPU; in all {time.process_time() - start:.0f} s; "
          f"wrote {STORED_PATH.relative_to(ROOT)} ({STORED_PATH.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
