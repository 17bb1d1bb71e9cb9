"""The experiments mirror chapters 8 and 9: one small module per claim, measurements below them
(and a few modules for sections elsewhere, such as chapter 7's character model).

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
SHARED = {"__init__.py", "common.py", "latest_recall.py", "reporting.py", "sweeps.py"}
CLAIM_MODULES = sorted(path.name for path in EXPERIMENTS.glob("*.py") if path.name not in SHARED)
CLAIM_CHAPTERS = ("chapters/08-advantages.qmd", "chapters/09-disadvantages.qmd")
CHAPTERS = tuple(sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "chapters").glob("*.qmd")))


def named_sections(name: str) -> list[str]:
    docstring = ast.get_docstring(ast.parse((EXPERIMENTS / name).read_text(encoding="utf-8")))
    return re.findall(r"#(sec-[a-z0-9-]+)", docstring or "")


def chapter_text(chapters) -> str:
    return "\n".join((ROOT / chapter).read_text(encoding="utf-8") for chapter in chapters)


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
    """The article's twelve claims (chapters 8 and 9) each have their module; the other modules
    back sections of other chapters (the bracket counter of #sec-reading-text, the character model
    of #sec-char-model in chapter 7, chapter 10's variants)."""
    claims = chapter_text(CLAIM_CHAPTERS)
    backing_claims = [name for name in CLAIM_MODULES
                      if any("{#" + section + "}" in claims for section in named_sections(name))]
    assert len(backing_claims) == 12, backing_claims
    assert not (EXPERIMENTS / "advantages.py").exists()
    assert not (EXPERIMENTS / "disadvantages.py").exists()


@pytest.mark.parametrize("name", sorted(path.name for path in EXPERIMENTS.glob("*.py")))
def test_experiment_modules_stay_small(name) -> None:
    lines = (EXPERIMENTS / name).read_text(encoding="utf-8").count("\n")
    assert lines <= 600, f"lstm/experiments/{name} has {lines} lines"


@pytest.mark.parametrize("name", CLAIM_MODULES)
def test_claim_module_names_its_section(name) -> None:
    sections = named_sections(name)
    assert sections, f"{name}: the docstring names no chapter section (#sec-...)"
    chapters = chapter_text(CHAPTERS)
    for section in sections:
        assert "{#" + section + "}" in chapters, f"{name}: section {section} is in no chapter"


@pytest.mark.parametrize("name", ["gradient_flow.py", "dependencies.py"])
def test_measurements_sit_below_experiments_and_explorers(name) -> None:
    imports = imported_modules(ROOT / "lstm" / name)
    assert not [module for module in imports
                if module.startswith(("lstm.experiments", "lstm.explorers"))], imports
