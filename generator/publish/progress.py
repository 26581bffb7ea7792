"""Progress of a long build on a terminal: one line, rewritten in place; silent otherwise.

A national site takes minutes to draw, and a terminal that says nothing for
minutes looks hung. Only `cakupan build` turns this on, and only when its
standard error is a terminal and CI is not set, so logs, pipes and tests get
no progress lines at all.

The build also times its phases (lap() after each step): with CAKUPAN_PHASES
set to a file name, `cakupan build` writes them there as JSON (phase ->
seconds), which bench/run prints; nothing shows in the normal output.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import TextIO

_stream: TextIO | None = None
_phases: dict[str, float] = {}
_lap = time.perf_counter()
_shown = 0.0
_width = 0


def show_on_terminal(stream: TextIO = sys.stderr) -> bool:
    """Report progress on stream if it is a terminal and CI is not set; return whether it will."""
    global _stream
    _stream = stream if stream.isatty() and not os.environ.get("CI") else None
    return _stream is not None


def stop() -> None:
    """Clear the progress line and report nothing more."""
    global _stream
    if _stream is not None and _width:
        _stream.write("\r" + " " * _width + "\r")
        _stream.flush()
    _stream = None


def update(what: str, done: int, total: int, note: str = "") -> None:
    """'what: done/total (note)', at most five times a second, and always the last step."""
    global _shown, _width
    if _stream is None or total <= 0:
        return
    now = time.monotonic()
    if done < total and now - _shown < 0.2:
        return
    _shown = now
    line = f"{what}: {done:,}/{total:,}" + (f" ({note})" if note else "")
    _stream.write("\r" + line.ljust(_width))
    _width = len(line)
    if done >= total:
        _stream.write("\r" + " " * _width + "\r")
        _width = 0
    _stream.flush()


def lap(phase: str) -> None:
    """Count the time since the previous lap (or the start) towards phase."""
    global _lap
    now = time.perf_counter()
    _phases[phase] = _phases.get(phase, 0.0) + now - _lap
    _lap = now


def start_laps() -> None:
    """Forget earlier phases: the next lap counts from now."""
    global _lap
    _phases.clear()
    _lap = time.perf_counter()


def write_phases() -> None:
    """The phases timed so far, as JSON, into the file CAKUPAN_PHASES names (if it does)."""
    path = os.environ.get("CAKUPAN_PHASES")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump({k: round(v, 4) for k, v in _phases.items()}, f, indent=1)
