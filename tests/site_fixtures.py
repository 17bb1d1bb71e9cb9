"""The Quarto website as the browser tests see it: rendered once per test run, served on loopback.

A pytest plugin (``pytest_plugins`` in tests/conftest.py), so that every test module can ask for
these fixtures:

quarto_site : Path
    The book rendered by real Quarto into ``_book/`` (with the class deck in ``_book/slides/``),
    once per test run: pytest-xdist's workers share one render under a lock. The command is
    ``$QUARTO`` or ``quarto`` on ``PATH`` (``.ci/run`` installs it from ``../shared/quarto``);
    without it the tests are skipped with what to install, and fail with ``CI=true``.
site_url : str
    ``http://127.0.0.1:PORT/``: the rendered site served for the whole session.
open_page : callable
    ``open_page(page_id) -> (page, recorder)``: a page of the site loaded in Chromium at laptop
    size, once per test module.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pages_helpers import ROOT, SIZES, SOURCE_BY_ID, PageRecorder, wait_until_typeset

SITE_DIR = ROOT / "_book"
RENDER_TIMEOUT_SECONDS = 1800


def quarto_command() -> str | None:
    """The ``quarto`` command: ``$QUARTO`` if set, else the one on ``PATH``, else None."""
    given = os.environ.get("QUARTO")
    if given:
        return given
    return shutil.which("quarto")


def page_path(page_id: str) -> str:
    """Where Quarto writes a page, relative to the site root (``chapters/01-....html``)."""
    return SOURCE_BY_ID[page_id].relative_to(ROOT).with_suffix(".html").as_posix()


@contextlib.contextmanager
def _render_lock() -> Iterator[Path]:
    """One render at a time: pytest-xdist's workers share the checkout, the second one waits."""
    build = ROOT / "_build"
    build.mkdir(exist_ok=True)
    with open(build / "quarto-render.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield build / "quarto-render.stamp"
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _this_test_run() -> str:
    """An id shared by the workers of one pytest-xdist run (the process id without xdist)."""
    return os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"pid-{os.getpid()}"


@pytest.fixture(scope="session")
def quarto_site() -> Path:
    """The book rendered by Quarto into ``_book/``, once per test run (both xdist workers)."""
    command = quarto_command()
    if command is None:
        message = ("Quarto is not installed: install it from https://quarto.org (or set $QUARTO to "
                   "its command), then re-run to test the website.")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with _render_lock() as stamp:
        if stamp.exists() and json.loads(stamp.read_text())["run"] == _this_test_run():
            return SITE_DIR
        # freeze: auto would keep the outputs of a chapter whose source did not change even when
        # lstm/ did: the site under test is always executed afresh from today's code.
        shutil.rmtree(ROOT / "_freeze", ignore_errors=True)
        environment = dict(os.environ, QUARTO_PYTHON=sys.executable)
        environment.pop("LSTM_BOOK_STATIC", None)   # _environment sets it to 1 for the render
        start = time.perf_counter()
        rendered = subprocess.run([command, "render"], cwd=ROOT, env=environment, capture_output=True,
                                  text=True, timeout=RENDER_TIMEOUT_SECONDS, check=False)
        seconds = time.perf_counter() - start
        output = rendered.stdout + rendered.stderr
        assert rendered.returncode == 0, f"quarto render failed ({rendered.returncode}):\n{output[-4000:]}"
        # Quarto's own warnings start their line ("WARNING (...)", "WARN: ..."); the kernel's
        # notice that it talks over loopback TCP ("...[IPKernelApp] WARNING | ...") is not one.
        quarto_warning = re.compile(r"\s*(\x1b\[[0-9;]*m)*WARN(ING)?\b")
        warnings = [line for line in output.splitlines() if quarto_warning.match(line)]
        assert warnings == [], "quarto render warned:\n" + "\n".join(warnings)
        print(f"\nquarto render: {seconds:.1f} s into {SITE_DIR}")
        stamp.write_text(json.dumps({"run": _this_test_run(), "seconds": seconds}))
    return SITE_DIR


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the site without logging; answers the browser's own /favicon.ico request (no page
    asks for it, and the book has no icon) with 204 No Content rather than a console 404."""

    def do_GET(self) -> None:   # noqa: N802 - the base class's name
        if self.path == "/favicon.ico":
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:   # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def site_url(quarto_site: Path) -> Iterator[str]:
    """The rendered site served on 127.0.0.1 (a free port), for the whole session."""
    handler = functools.partial(QuietHandler, directory=str(quarto_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def open_page(browser: Any, site_url: str) -> Iterator[Callable[[str], tuple[Any, PageRecorder]]]:
    """``open_page(page_id) -> (page, recorder)``: the Quarto page at laptop size, once per module."""
    opened: dict[str, tuple[Any, PageRecorder]] = {}
    context = browser.new_context(**SIZES["laptop"])

    def open_(page_id: str) -> tuple[Any, PageRecorder]:
        if page_id not in opened:
            page = context.new_page()
            recorder = PageRecorder(page)
            page.goto(site_url + page_path(page_id), wait_until="load")
            page.wait_for_load_state("networkidle")
            wait_until_typeset(page)
            opened[page_id] = (page, recorder)
        return opened[page_id]

    yield open_
    context.close()
