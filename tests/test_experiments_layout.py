"""The experiments mirror chapters 7 and 8: one small module per claim, measurements below them.

Checked on the source (no experiment is run): every module of ``lstm/experiments`` stays below
600 lines; each claim module's docstring names the chapter section it backs, and that section
exists; ``lstm/gradient_flow.py`` and ``lstm/dependencies.py`` (which the explorers use too)
import neither the experiments nor the explorers.
"""

from __future__ import annotations

import ast
import re

import pytest
from conftest import ROOT

EXPERIMENTS = ROOT / "lstm" / "experiments"
SHARED = {"__init__.py", "common.py", "latest_recall.py"}
CLAIM_MODULES = sorted(path.name for path in EXPERIMENTS.glob("*.py") if path.name not in SHARED)
CHAPTERS = ("chapters/06-cell-over-time.qmd", "chapters/07-advantages.qmd",
            "chapters/08-disadvantages.qmd", "chapters/09-variants.qmd")
EXPLORERS = ROOT / "lstm" / "explorers"


def imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_there_is_one_module_per_claim() -> None:
    # the eleven claims of chapters 7-8 (with the adding problem), reading text (chapter 6)
    # and the variants (chapter 9)
    assert len(CLAIM_MODULES) == 14, CLAIM_MODULES
    assert not (EXPERIMENTS / "advantages.py").exists()
    assert not (EXPERIMENTS / "disadvantages.py").exists()


@pytest.mark.parametrize("name", sorted(path.name for path in EXPERIMENTS.glob("*.py")))
def test_experiment_modules_stay_small(name) -> None:
    lines = (EXPERIMENTS / name).read_text(encoding="utf-8").count("\n")
    assert lines <= 600, f"lstm/experiments/{name} has {lines} lines"


@pytest.mark.parametrize("name", CLAIM_MODULES)
def test_claim_module_names_its_section(name) -> None:
    docstring = ast.get_docstring(ast.parse((EXPERIMENTS / name).read_text(encoding="utf-8")))
    sections = re.findall(r"#(sec-[a-z0-9-]+)", docstring or "")
    assert sections, f"{name}: the docstring names no chapter section (#sec-...)"
    chapters = "\n".join((ROOT / chapter).read_text(encoding="utf-8") for chapter in CHAPTERS)
    for section in sections:
        assert "{#" + section + "}" in chapters, f"{name}: section {section} is not in chapters 6-9"


@pytest.mark.parametrize("name", ["gradient_flow.py", "dependencies.py", "variant_comparison.py"])
def test_measurements_sit_below_experiments_and_explorers(name) -> None:
    imports = imported_modules(ROOT / "lstm" / name)
    assert not [module for module in imports
                if module.startswith(("lstm.experiments", "lstm.explorers"))], imports


@pytest.mark.parametrize("name", sorted(path.name for path in EXPERIMENTS.glob("*.py")))
def test_experiments_hold_no_explorer(name) -> None:
    """Every explorer lives in ``lstm/explorers/``; an experiment module may only import one."""
    tree = ast.parse((EXPERIMENTS / name).read_text(encoding="utf-8"))
    classes = [node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    functions = [node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]
    assert not [cls for cls in classes if cls.endswith("Explorer")], classes
    assert not [function for function in functions if function.endswith("_explorer")], functions


@pytest.mark.parametrize("name", sorted(path.name for path in EXPLORERS.glob("*.py")))
def test_explorers_do_not_import_experiments(name) -> None:
    imports = imported_modules(EXPLORERS / name)
    assert not [module for module in imports if module.startswith("lstm.experiments")], imports


def test_the_static_shim_is_gone() -> None:
    """``lstm/static.py`` (a re-export of ``lstm.explorers.static``) was removed."""
    assert not (ROOT / "lstm" / "static.py").exists()
