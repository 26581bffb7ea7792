"""A CPU-time budget for rendering one Markdown file, so a hostile page cannot keep a build busy.

Why this module exists: Python-Markdown is not linear-time. Measured (docs/security.md): 200 `[`
before 49 KB of text took 8 s, 48 KB of `-` lines 73 s, 16,000 `[` 264 s, all within the
200 KB size limit. markdown-it-py was measured too: faster, but not linear either (200,000 `[`
3.8 s of CPU, 100,000 `-` lines 1.8 s), and it would change the HTML of every page, so the
renderer stays and its time is bounded instead. Python has no way to stop a computation from outside but a signal:
`signal.setitimer(ITIMER_VIRTUAL)` counts this process's CPU time (not the wall clock, so a busy
machine does not refuse a page) and its handler raises in the main thread, which is where
`cakupan build` renders. Python-Markdown's loops, and `re`'s matcher, let the handler run.

Where no timer can be set (a thread other than the main one, as in `cakupan serve`'s rebuilds,
or a system without setitimer), the size limit (inputs.MAX_MARKDOWN) is the only bound. A build's
worker processes render again what the parent already rendered within budget, without a timer.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

MARKDOWN_SECONDS = 0.5  # CPU seconds; the 8 KB methodology page takes 0.012 s, a 190 KB copy of it 0.18 s


class OverBudget(Exception):
    """Rendering one Markdown text took more CPU time than MARKDOWN_SECONDS."""


def _raise(signum, frame):
    raise OverBudget


_checked = False  # True in a worker process: its parent rendered the same files within budget


def checked_by_parent() -> None:
    """Called by a build's worker processes (build._start_worker), which render the editor's notes
    and the methodology page again: the parent already refused any over budget, and a refusal in a
    pool's initializer would only make the pool start the worker again, forever."""
    global _checked
    _checked = True


def can_bound() -> bool:
    return not _checked and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def cpu_budget(seconds: float = MARKDOWN_SECONDS) -> Iterator[None]:
    """Raise OverBudget in the block once it has used `seconds` of CPU time (where a timer can be set)."""
    if not can_bound():
        yield
        return
    previous = signal.signal(signal.SIGVTALRM, _raise)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)
