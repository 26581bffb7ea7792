"""Chart and card images drawn in worker processes when there are many to draw.

Why this module exists: vl-convert draws on one core (threads wait for each
other), and a national site has tens of thousands of images. Measured on a
2-core machine: 120 regency ranking charts took 21.6 s in one process and
13.2 s with two spawned workers, starting them included, with the same bytes.
Starting a worker costs 0.7 to 2 s (imports, and vl-convert's first chart), so
fewer than MIN_BATCH images are drawn in this process: that is what a
province's site with a handful of new charts needs (the 25 charts of the
Lampung site were slower in two workers than in one process), unless the
build started its processes early (warm), when it knows it has a report to
draw: they then start while it plans the report (0.7 s on this machine), and
take every batch.

Workers are spawned, never forked: vl-convert's JavaScript runtime does not
survive a fork. Each image is a pure function of its spec or SVG (the same
bytes whichever process draws it), and results come back in order.
CAKUPAN_WORKERS sets the number of processes (1: draw here; default: the cores
this process may use, at most 8).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import multiprocessing.pool
import os
import signal
import threading
from typing import Any, Callable, Sequence

Done = Callable[[int, Any], None]  # called with each item's index and result as soon as it is drawn

from generator.publish import progress

MIN_BATCH = 32
MAX_WORKERS = 8


def pool(count: int, **options) -> multiprocessing.pool.Pool:
    """A pool of spawned processes that leave Ctrl-C to this one. They start with SIGINT ignored
    (kept across exec, and Python keeps an ignored SIGINT ignored), so a Ctrl-C while they import
    prints no traceback of theirs: this process gets it, says "interrupted" and ends the pool."""
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        return multiprocessing.get_context("spawn").Pool(count, **options)
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)


_SHARED: dict[str, Any] = {}  # while a build draws (drawing()): its pool and the pool's size


@contextlib.contextmanager
def drawing():
    """Keep the drawing processes a build starts until the build ends: its batches (a report's charts,
    their phone images and variants, the cards, the latest charts) then share them instead of each
    starting its own, at about 2 s a start."""
    _SHARED.clear()
    _SHARED["on"] = True
    try:
        yield
    finally:
        shared = _SHARED.pop("pool", None)
        _SHARED.clear()
        if shared is not None:
            shared.terminate()  # (every batch was read to its end: nothing is left to wait for)
            shared.join()


def warm() -> None:
    """Start the build's drawing processes now, ahead of its first batch (a build that knows it will draw a
    few charts: a new snapshot's report): they start Python and vl-convert (0.7 s) while the build goes
    on, and every batch then goes to them, however small, instead of being drawn here on one core."""
    if _SHARED.get("on") and "pool" not in _SHARED and worker_count() >= 2 and not _in_worker():
        _pool_for(worker_count())


def _in_worker() -> bool:
    """A daemonic process (a worker making dated reports) may not start processes of its own."""
    return multiprocessing.current_process().daemon


def _pool_for(count: int) -> tuple[multiprocessing.pool.Pool, bool]:
    """A pool of at least count processes, and whether the caller must end it (no build is drawing)."""
    if not _SHARED.get("on"):
        return _drawing_pool(count), True
    if _SHARED.get("count", 0) < count:
        if "pool" in _SHARED:
            _SHARED["pool"].terminate()
        _SHARED["pool"], _SHARED["count"] = _drawing_pool(count), count
    return _SHARED["pool"], False


def _drawing_pool(count: int) -> multiprocessing.pool.Pool:
    """Drawing processes told this one's Vega-Lite version, so that they never import Altair."""
    from generator.charts import draw

    return pool(count, initializer=_start_drawing, initargs=(draw.vl_version(),))


# A chart of one point, drawn by each drawing process as it starts: vl-convert's first chart in a process
# takes 0.55 s (its JavaScript runtime starting), the next ones tens of ms. A process started early (warm)
# so pays that while the build plans its report, not when the report's charts are wanted.
_FIRST = {"data": {"values": [{"x": 1}]}, "mark": "text", "encoding": {"text": {"field": "x", "type": "quantitative"}}}


def _start_drawing(vl_version: str | None) -> None:
    from generator.charts import draw

    draw.use_vl_version(vl_version)
    draw.render_svg(_FIRST)  # (its bytes are not kept: every image's ids are its own, draw.stable_ids)


COLLECT_AFTER = 5000  # new objects between two runs of Python's cyclic collector in a build (default 700)


def collect_less() -> tuple[int, int, int]:
    """Run Python's cyclic garbage collector less often; return its thresholds before. A build makes
    millions of small objects that live until it ends (the data, the record, each file's size and
    hash): at the default, a national rebuild collected 1,839 times, 0.8 s of it; at COLLECT_AFTER,
    247 times, 0.35 s, about 2 MB more."""
    before = gc.get_threshold()
    gc.set_threshold(COLLECT_AFTER, *before[1:])
    return before


@contextlib.contextmanager
def fewer_collections():
    """collect_less while the block runs (a build), the thresholds as they were after it."""
    before = collect_less()
    try:
        yield
    finally:
        gc.set_threshold(*before)


def worker_count() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    try:
        wanted = int(os.environ.get("CAKUPAN_WORKERS", "0"))
    except ValueError:
        wanted = 0
    return max(1, wanted) if wanted else min(cores, MAX_WORKERS)


def _chart(spec: dict) -> tuple[str, bytes, str]:
    from generator.charts import draw

    svg = draw.render_svg(spec)
    return svg, draw.png_from_svg(svg), draw.vega_text(spec)


def _svg(spec: dict) -> str:
    from generator.charts import draw

    return draw.render_svg(spec)


def _card(svg: str) -> bytes:
    from generator.site import cards

    return cards.card_png(svg)


def draw_charts(specs: Sequence[dict], cached: int = 0, total: int | None = None,
                done: Done | None = None) -> list[tuple[str, bytes, str]]:
    """(SVG, PNG, Vega) of each spec, in order."""
    return _draw(_chart, specs, "Drawing charts", cached, total, done)


def draw_svgs(specs: Sequence[dict], cached: int = 0, total: int | None = None,
              done: Done | None = None) -> list[str]:
    """The SVG of each spec, in order (a chart's phone-width image: no PNG)."""
    return _draw(_svg, specs, "Drawing phone-width charts", cached, total, done)


def draw_cards(svgs: Sequence[str], cached: int = 0, total: int | None = None, done: Done | None = None) -> list[bytes]:
    """The PNG of each link-preview card SVG, in order."""
    return _draw(_card, svgs, "Drawing link-preview cards", cached, total, done)


def _draw(fn: Callable[[Any], Any], items: Sequence[Any], what: str, cached: int, total: int | None,
          done: Done | None = None) -> list:
    total = cached + len(items) if total is None else total
    note = f"{cached:,} from the cache" if cached else ""
    out: list = []
    count = worker_count()
    running = "pool" in _SHARED  # (started by warm, or by an earlier batch: any batch goes to it)
    if not items or (len(items) < MIN_BATCH and not running) or count < 2 or _in_worker():
        for item in items:
            out.append(fn(item))
            if done is not None:
                done(len(out) - 1, out[-1])
            progress.update(what, cached + len(out), total, note)
        return out
    # Every process started for the batch gets enough to pay for its start; a running pool takes it all.
    count = _SHARED["count"] if running else min(count, len(items) // (MIN_BATCH // 2))
    workers, own = _pool_for(count)
    try:  # (chunks of up to 4, fewer for a small batch, so that every process gets a share)
        for result in workers.imap(fn, items, chunksize=max(1, min(4, len(items) // (2 * count)))):
            out.append(result)
            if done is not None:
                done(len(out) - 1, result)
            progress.update(what, cached + len(out), total, note + (", " if note else "") + f"{count} processes")
    finally:
        if own:
            workers.terminate()
    return out
