"""What a build is asked to do: its input folders, its output folder, its base URL and whether to use the cache.

A plain value, read by every publishing step and by the commands; it lives here, before them, so
that the rebuild's input key can read it without importing the build that uses the key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    data: Path = Path("data")
    out: Path = Path("site")
    content: Path = Path("content")
    templates: Path = Path("templates")
    base_url: str | None = None
    cache: bool = True  # reuse images, specs, zips and unchanged dated reports (generator/cache.py, rebuild.py)
