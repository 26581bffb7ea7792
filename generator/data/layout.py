"""Which files a data folder may hold, so that none is skipped without a word.

A snapshot saved as `2024-09-24.yml`, or named `24-09-2024.yaml`, used to be
ignored or read under the wrong name; a README or a spreadsheet dropped into a
region folder was passed over. The build reads only three kinds of file:
`data/<region>/region.yaml`, `data/<region>/<YYYY-MM-DD>.yaml` and
`data/<region>/frozen/<YYYY-MM-DD>.json` and the bytes it keeps in
`data/<region>/frozen/files/<sha256>` (cakupan freeze). Anything else is a
problem naming the file and what was expected. Names starting with a dot
(.gitkeep, .DS_Store, editors' swap files) are left alone, as in every folder
of the site's inputs; so is a file beside the region folders that is not YAML or
JSON (a README.md): one that is looks like a misplaced snapshot and is a problem.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.errors import Problem, display_path
from generator.data.when import PATTERN

# a snapshot of a day, a month or a year (when.py): 2025-06-30.yaml, 2025-06.yaml, 2025.yaml
SNAPSHOT_NAME = re.compile(rf"^{PATTERN}\.yaml$")
FROZEN_NAME = re.compile(rf"^{PATTERN}\.json$")
STORED_NAME = re.compile(r"^[0-9a-f]{64}$")  # frozen/files/<sha256>: a frozen report's bytes (generator/published.py)
_EXPECTED = "region.yaml, <YYYY-MM-DD>.yaml (<YYYY-MM>.yaml or <YYYY>.yaml for a month or a year) or the frozen/ folder expected"


def _visible(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def stray_files(data_dir: Path) -> list[Problem]:
    """Every file or folder in data_dir that the build would not read."""
    problems = []
    for top in _visible(data_dir):
        if not top.is_dir():
            if top.suffix.lower() not in (".yaml", ".yml", ".json"):
                continue
            problems.append(Problem(display_path(top), 0, "", "is not read (only region folders belong in the "
                                                              "data folder: data/<region>/region.yaml expected)"))
            continue
        for path in _visible(top):
            if path.name == "frozen" and path.is_dir():
                problems += [Problem(display_path(p), 0, "", "is not read (frozen/<YYYY-MM-DD>.json expected, "
                                                             "as written by cakupan freeze)")
                             for p in _visible(path) if not (p.is_file() and FROZEN_NAME.match(p.name))
                             and not (p.name == "files" and p.is_dir())]
                stored = path / "files"
                problems += [Problem(display_path(p), 0, "", "is not read (frozen/files/<sha256> expected, "
                                                             "as written by cakupan freeze)")
                             for p in (_visible(stored) if stored.is_dir() else ())
                             if not (p.is_file() and STORED_NAME.match(p.name))]
            elif path.is_dir():
                problems.append(Problem(display_path(path), 0, "", f"is not read (a folder: {_EXPECTED})"))
            elif path.name != "region.yaml" and not SNAPSHOT_NAME.match(path.name):
                problems.append(Problem(display_path(path), 0, "", f"is not read ({_hint(path.name)})"))
    return problems


def _hint(name: str) -> str:
    stem, _, ext = name.partition(".")
    if m := re.fullmatch(r"(\d{2})-(\d{2})-(\d{4})", stem):
        return f"a snapshot is named by its date year first: {m[3]}-{m[2]}-{m[1]}.yaml expected"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", stem):
        return f"a snapshot ends in .yaml: {stem}.yaml expected"
    return _EXPECTED
