"""The book's papers: code under MIT, text and figures under CC BY-SA 4.0, and a citation file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_both_licence_texts_are_shipped() -> None:
    mit = (ROOT / "LICENSES" / "MIT.txt").read_text(encoding="utf-8")
    cc = (ROOT / "LICENSES" / "CC-BY-SA-4.0.txt").read_text(encoding="utf-8")
    assert mit.startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in mit
    assert cc.startswith("Creative Commons Attribution-ShareAlike 4.0 International Public License")
    assert "Section 8 – Interpretation." in cc


def test_licence_file_says_which_part_is_under_which_licence() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    code, prose = text.split("Text and figures:", 1)
    assert "MIT License (LICENSES/MIT.txt)" in code and "lstm/" in code
    assert "CC BY-SA 4.0" in prose and "LICENSES/CC-BY-SA-4.0.txt" in prose and "images/" in prose


def test_package_metadata_names_the_code_licence() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    for pattern in project["license-files"]:
        assert list(ROOT.glob(pattern)), pattern
    package = (ROOT / "package.json").read_text(encoding="utf-8")
    assert '"license": "MIT"' in package


def test_citation_file_is_valid_cff() -> None:
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors", "version", "date-released", "license"):
        assert citation[key], key
    assert set(citation["license"]) == {"MIT", "CC-BY-SA-4.0"}
    assert all("name" in author or "family-names" in author for author in citation["authors"])


def test_readme_states_the_licences() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    licence = readme.split("## Licence", 1)[1]
    assert "MIT" in licence and "CC BY-SA 4.0" in licence and "CITATION.cff" in licence


def test_third_party_text_has_its_licence() -> None:
    """The snapshot of Python's standard library (data/python-stdlib/) is the PSF's, under its licence."""
    psf = (ROOT / "LICENSES" / "PSF-2.0.txt").read_text(encoding="utf-8")
    assert "PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2" in psf
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "data/python-stdlib/" in text and "LICENSES/PSF-2.0.txt" in text
    notice = (ROOT / "data" / "python-stdlib" / "README.md").read_text(encoding="utf-8")
    assert "LICENSES/PSF-2.0.txt" in notice and "CPython 3.11.7" in notice
    assert "PSF" in (ROOT / "README.md").read_text(encoding="utf-8").split("## Licence", 1)[1]
