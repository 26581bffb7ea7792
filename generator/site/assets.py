"""The site's shared files (stylesheet, scripts, icon, the chart runtime), named by their content.

Why this module exists: a dated report must look and behave as it did when it
was published, yet the stylesheet, site.js and the Vega runtime change with
the templates and the libraries. Every file under templates/assets (any file,
so new assets need no code) and the chart runtime (vega.js beside this module,
bundled from runtime/charts.js by `make runtime`) is therefore written twice:
at `assets/<name>`, the address earlier versions of the site offered (it
always holds the newest bytes), and at `assets/<hash>/<name>`, where the hash
is the start of its SHA-256. Pages load the content-addressed copy, so a
report keeps loading the bytes it was made with: a frozen report's record
(generator/published.py) keeps those bytes, and every later build writes them
again at the same address. One copy per content: reports that load the same
bytes share one file.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from generator.data import inputs
from generator.errors import UsageError

HASH_CHARS = 16  # 64 bits of SHA-256: no two versions of a file meet by chance
REQUIRED = ("style.css", "site.js", "favicon.svg")


def address(name: str, data: bytes) -> str:
    """assets/<the first 16 hex digits of its SHA-256>/<name>"""
    return f"assets/{hashlib.sha256(data).hexdigest()[:HASH_CHARS]}/{name}"


@dataclass(frozen=True)
class Assets:
    """The current shared files: name -> bytes, and name -> the address pages load it from."""

    files: dict[str, bytes]

    @functools.cached_property
    def paths(self) -> dict[str, str]:
        return {name: address(name, data) for name, data in self.files.items()}

    def addressed(self) -> dict[str, bytes]:
        """The files at their content addresses (what a dated report and its zip hold)."""
        return {self.paths[name]: data for name, data in self.files.items()}


def collect(templates: Path) -> Assets:
    """Every file under templates/assets, by its path below it, and the chart runtime as vega.js."""
    folder = templates / "assets"
    for name in REQUIRED:
        if not (folder / name).is_file():
            raise UsageError(f"{folder / name}: missing (the site's {name})")
    files = {p.relative_to(folder).as_posix(): inputs.read_bytes(p, folder, inputs.MAX_ASSET)
             for p in sorted(folder.rglob("*")) if not p.is_dir() and not p.name.startswith(".")}
    files["vega.js"] = _bundle()
    return Assets(files)


RUNTIME = Path(__file__).with_name("vega.js")


@functools.cache
def _bundle() -> bytes:
    return RUNTIME.read_bytes()
