"""Shared fixtures: the real data, and one build of the real site for every site test."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.build import Settings, build
from generator.model import load_dataset

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"


def need(program: str) -> str:
    """The path of a program the test drives; skip without it, except in CI where it must be there."""
    path = shutil.which(program)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{program} is not installed (make test installs it: tools/system-deps)")
        pytest.skip(f"{program} is not installed")
    return path


@pytest.fixture(scope="session")
def lampung():
    return load_dataset(REPO / "data").regions[0]


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real Lampung site, built once, with a base URL as on GitHub Pages."""
    out = tmp_path_factory.mktemp("built") / "site"
    build(Settings(data=REPO / "data", out=out, content=REPO / "content", templates=REPO / "templates",
                   base_url="https://contoh.github.io/cakupan/"))
    return out
