"""The JavaScript port of the cell (``web/*.mjs``): fixtures current, node's tests passing.

``node --test tests/js/`` compares the port with fixtures that ``tools/make_js_fixtures.py``
computes with :mod:`lstm`; these tests make ``pytest`` (and so ``.ci/run``) cover both halves:
the fixtures are what the Python package computes today, and the JavaScript equals them.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_make_js_fixtures() -> ModuleType:
    """Import ``tools/make_js_fixtures.py`` (``tools/`` is a folder of scripts, not a package)."""
    name = "make_js_fixtures"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / "make_js_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_fixtures_are_current():
    """The committed fixtures are what ``lstm`` computes now (else: run the generator)."""
    assert load_make_js_fixtures().stale_fixtures() == []


def test_check_mode_names_a_stale_fixture(tmp_path):
    """--check on a copy: a number changed by 1e-5 (beyond last-bit noise) makes its file stale."""
    tool = load_make_js_fixtures()
    for path in tool.FIXTURES.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    demo_data = tmp_path / "demo" / tool.DEMO_DATA.name
    demo_data.parent.mkdir()
    shutil.copy(tool.DEMO_DATA, demo_data)
    check = ["--check", "--folder", str(tmp_path), "--demo-data", str(demo_data)]
    assert tool.main(check) == 0
    data = json.loads((tmp_path / "activations.json").read_text())
    data["sigmoid"][4] *= 1 + 1e-5
    (tmp_path / "activations.json").write_text(json.dumps(data))
    (tmp_path / "rnn-cell.json").unlink()
    demo_data.unlink()
    assert tool.stale_fixtures(tmp_path, demo_data) == [
        "activations.json (differs)", "rnn-cell.json (missing)", "sequence-explorer-data.json (missing)",
    ]
    assert tool.main(check) == 1


def test_check_mode_forgives_last_bit_noise(tmp_path):
    """A number moved by one unit in the last place (another CPU's BLAS) is still current."""
    tool = load_make_js_fixtures()
    for path in tool.FIXTURES.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    data = json.loads((tmp_path / "activations.json").read_text())
    data["sigmoid"][4] = float(np.nextafter(data["sigmoid"][4], 2.0))
    (tmp_path / "activations.json").write_text(json.dumps(data))
    assert tool.stale_fixtures(tmp_path, tool.DEMO_DATA) == []


def test_node_tests_pass():
    """``node --test tests/js/`` (``npm test``) passes, and really ran tests."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed; the JavaScript port cannot be tested (install nodejs)")
    result = subprocess.run(
        [node, "--test", "tests/js/"], cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report[-4000:]
    passed = [line for line in report.splitlines() if line.startswith("# pass ")]
    assert passed and int(passed[0].split()[-1]) > 0, report[-2000:]
    assert "# fail 0" in report
