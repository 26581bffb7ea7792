"""Progress of a long build on a terminal: one line, rewritten in place; silent otherwise.

A national site takes minutes to draw, and a terminal that says nothing for
minutes looks hung. Only `cakupan build` turns this on, and only when its
standard error is a terminal and CI is not set, so logs, pipes and tests get
no progress lines at all.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

_stream: TextIO | None = None
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
