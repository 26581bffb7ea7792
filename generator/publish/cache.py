"""The build cache: what is costly to make, kept by content, so a rebuild makes only what changed.

Why this module exists: drawing is most of a build. vl-convert takes 30-200 ms
for a chart's SVG and about as long again for its PNG, and a national site has
tens of thousands of charts; a template edit or one new snapshot changes few
of them. So every chart's images (SVG and PNG, with the spec compiled to Vega
that its page embeds, draw.vega_text) and every link-preview card (PNG) are
stored under a key made of everything that decides their bytes, and a later
build that asks for the same image gets those bytes back instead of drawing it
again. The zips of dated reports are kept the same way. (Specs are not kept:
made from a template per chart shape, generator/charts/template.py, one
takes well under a millisecond, less than reading it back.)

What decides an image's bytes, and so makes its key (SHA-256 of all of it):
- the chart's Vega-Lite spec as JSON with sorted keys, or the card's SVG text;
- the vl-convert version and the Vega-Lite version it renders with, the
  number and date locales, the PNG scale and the source of the functions that
  draw (draw.render_svg, draw.stable_ids, draw.png_from_svg,
  cards.card_png), so a change to any of them misses;
- the fontconfig file vl-convert reads (generator/charts/fonts.conf unless
  FONTCONFIG_FILE says otherwise) and the name, size and time of every font
  file in the folders it lists;
- the dark-scheme rules put into every SVG (generator/charts/darkmode.py);
- FORMAT below, raised whenever the layout of an entry changes.
A zip's key the hash of every file in it,
the Python and zlib versions and the source of archive.ZIP_CODE (snapshot_zip
and the helpers that decide its bytes).
The cache can therefore never make a build differ from a cold one; the tests
build twice and compare byte for byte (tests/test_cache.py). Only the real
drawing functions are cached: when a test puts a stand-in in their place, the
stand-in is called and nothing is read or stored.

An entry is one file, <root>/v<FORMAT>/<key[:2]>/<key>: a header line with the
SHA-256 of the rest and the length of each part, then the parts. An entry whose
bytes do not match its own hash (a crash, a full disk, a stray edit) is not
trusted: it is removed and made again. Entries are written to a temporary
file and renamed into place, so a reader never sees half of one. A missing,
read-only or full cache folder only makes builds slower. After a build that
added entries, the least recently used ones are removed until the cache is
under CAKUPAN_CACHE_MAX_MB (default 1024), never one the build used.

The folder is draw.cache_dir() / "build" (entries under v<FORMAT>/; folders of
another FORMAT are removed by the next prune): $CAKUPAN_CACHE_DIR, else the XDG
cache folder (~/.cache/cakupan). `cakupan build --no-cache` neither reads nor
writes it.
"""

from __future__ import annotations

import collections
import hashlib
import inspect
import json
import os
import re
import shutil
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any, Callable, NamedTuple, Sequence

from generator.publish import archive, workers
from generator.site import cards
from generator.charts import darkmode, draw, fonts, png, theme
from generator.data import entries

FORMAT = 3
DEFAULT_MAX_MB = 1024
_MAGIC = b"cakupan-cache"
_PNG = b"\x89PNG\r\n\x1a\n"

# The functions that draw, as this module was imported. A test (or anything
# else) that puts another function in their place gets it called, in this
# process, and the cache is left alone: a stand-in's pictures must never be
# stored under a real chart's key.
_DRAWERS = {"render_svg": draw.render_svg, "png_from_svg": draw.png_from_svg, "card_png": cards.card_png,
            "snapshot_zip": archive.snapshot_zip}


def genuine() -> bool:
    return (draw.render_svg is _DRAWERS["render_svg"] and draw.png_from_svg is _DRAWERS["png_from_svg"]
            and cards.card_png is _DRAWERS["card_png"] and archive.snapshot_zip is _DRAWERS["snapshot_zip"])


MEMORY_MAX_BYTES = 128 * 1024 * 1024  # what a store without a folder keeps for its own build


class Store:
    """Entries by key under root. With root None (--no-cache) nothing is read from or written to
    disk; what the build draws is kept in memory for the build itself (a chart that the latest
    report and its dated copy both show is drawn once), up to MEMORY_MAX_BYTES, least recently
    used dropped first, and not counted as reused from the cache."""

    def __init__(self, root: Path | None):
        self.root = root / f"v{FORMAT}" if root is not None else None
        self._memory: collections.OrderedDict[str, tuple[bytes, ...]] = collections.OrderedDict()
        self._memory_bytes = 0
        self.used: set[str] = set()
        self.hits = self.misses = self.added = 0
        self.writable = root is not None
        self.log: set[str] | None = None  # when a set: every key read or written is added to it
        self.spared: set[str] = set()  # entries this build's pruning keeps (used, or needed by what it used)

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key

    def get(self, key: str, count: bool = True) -> tuple[bytes, ...] | None:
        """The entry's parts (count=False: not counted among the images, specs and zips found)."""
        if self.root is None:
            parts = self._memory.get(key)
            if parts is not None:
                self._memory.move_to_end(key)
            return parts
        path = self._path(key)
        parts = entries.read(path, _unpack)  # (one whose bytes do not match its hash is removed)
        if parts is None:
            self.misses += 1
            return None
        if key not in self.used and count:  # (each entry counted once, and not one this build made)
            self.hits += 1
        self.used.add(key)
        self.touch(key)
        return parts

    def has(self, key: str) -> bool:
        """Whether an entry is stored under key (not read, so not checked: get() may still find it spoiled)."""
        return self.root is not None and self._path(key).is_file()

    def touch(self, key: str) -> None:
        """Keep an entry from this build's pruning and make it recently used (the last to be pruned later):
        once a build (a deploy from the cache touches 26,000, which each report lists among those it used)."""
        if self.log is not None:
            self.log.add(key)
        if key in self.spared:
            return
        self.spared.add(key)
        try:
            os.utime(f"{self.root}/{key[:2]}/{key}")  # (_path, as a string: no Path made a touch)
        except OSError:
            pass

    def put(self, key: str, parts: Sequence[bytes]) -> None:
        if self.root is None:
            self._remember(key, tuple(parts))
            return
        if not self.writable:
            return
        if not entries.write(self._path(key), _pack(parts)):
            self.writable = False  # read-only or full: stop trying, the build goes on
            return
        self.added += 1
        self.used.add(key)
        if self.log is not None:
            self.log.add(key)

    def _remember(self, key: str, parts: tuple[bytes, ...]) -> None:
        if key in self._memory:
            return
        self._memory[key] = parts
        self._memory_bytes += sum(map(len, parts))
        while self._memory_bytes > MEMORY_MAX_BYTES and self._memory:
            _, dropped = self._memory.popitem(last=False)
            self._memory_bytes -= sum(map(len, dropped))

    def prune(self, max_bytes: int | None = None) -> int:
        """Remove least recently used entries the last build did not use until under max_bytes; return how many."""
        if self.root is None or not self.added or not self.writable:
            return 0
        if max_bytes is None:
            max_bytes = max_bytes_allowed()
        for other in self.root.parent.glob("v*"):  # entries of another FORMAT: never read again
            if other != self.root and re.fullmatch(r"v\d+", other.name) and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)
        entries, total = [], 0
        try:
            for folder in os.scandir(self.root):
                if not folder.is_dir():
                    continue
                for entry in os.scandir(folder.path):
                    stat = entry.stat()
                    total += stat.st_size
                    if entry.name.endswith(".tmp") and stat.st_mtime < time.time() - 3600:
                        entries.append((0.0, entry.path, stat.st_size))  # left by a killed build
                    elif entry.name not in self.used and entry.name not in self.spared:
                        entries.append((stat.st_mtime, entry.path, stat.st_size))
        except OSError:
            return 0
        return remove_oldest(entries, total, max_bytes)[0]


def remove_oldest(candidates: list[tuple[float, str, int]], total: int, max_bytes: int) -> tuple[int, int]:
    """Remove (time, path, size) candidates, oldest first, until total is at most max_bytes; return how
    many, and the total left."""
    removed = 0
    for _, path, size in sorted(candidates):
        if total <= max_bytes:
            break
        try:
            os.unlink(path)
        except OSError:
            continue
        total -= size
        removed += 1
    return removed, total


def max_bytes_allowed() -> int:
    try:
        return int(os.environ.get("CAKUPAN_CACHE_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024
    except ValueError:
        return DEFAULT_MAX_MB * 1024 * 1024


def compiled_templates(store: Store) -> Path | None:
    """Where Jinja keeps the templates compiled (site/render.py), beside the store's entries; None
    without the cache (--no-cache) or where it cannot be written."""
    return store.root.parent.parent / "jinja" if store.root is not None and store.writable else None


def open_store(enabled: bool = True) -> Store:
    """The store a build uses: draw.cache_dir(), or none at all."""
    return Store(draw.cache_dir() / "build" if enabled else None)


def _pack(parts: Sequence[bytes]) -> bytes:
    body = b"".join(parts)
    head = b"%s %d %s %s\n" % (_MAGIC, FORMAT, hashlib.sha256(body).hexdigest().encode(),
                               b",".join(b"%d" % len(p) for p in parts))
    return head + body


def _unpack(data: bytes) -> tuple[bytes, ...] | None:
    """The parts of an entry, or None unless its bytes match the hash in its header."""
    end = data.find(b"\n", 0, 400)
    m = re.fullmatch(rb"cakupan-cache (\d+) ([0-9a-f]{64}) (\d+(?:,\d+)*)", data[:end]) if end > 0 else None
    if m is None or int(m.group(1)) != FORMAT:
        return None
    body = data[end + 1:]
    sizes = [int(n) for n in m.group(3).split(b",")]
    if sum(sizes) != len(body) or hashlib.sha256(body).hexdigest().encode() != m.group(2):
        return None
    parts, at = [], 0
    for n in sizes:
        parts.append(body[at:at + n])
        at += n
    return tuple(parts)


# --------------------------------------------------------------------------- keys


def _sources(*functions: Callable) -> list[str]:
    out = []
    for f in functions:
        try:
            text = inspect.getsource(f).encode()
        except (OSError, TypeError):  # no source at hand: the compiled code will do
            text = f.__code__.co_code + repr(f.__code__.co_consts).encode()
        out.append(hashlib.sha256(text).hexdigest())
    return out


def salt() -> bytes:
    """Everything but the spec or card that decides an image's bytes (computed once per build)."""
    setting = {
        "format": FORMAT,
        "vl-convert": version("vl-convert-python"),
        "vega-lite": draw.vl_version(),
        "locale": theme.LOCALE,
        "time-locale": theme.TIME_LOCALE,
        "svg-ids": draw.SVG_IDS.pattern,
        "dark": darkmode.style_element(),
        "code": _sources(_DRAWERS["render_svg"], draw.stable_ids, _DRAWERS["png_from_svg"], _DRAWERS["card_png"], draw.vega_text,
                         png.compact, png._chunks, png._chunk) + [repr(png.LEVEL)],
        "fonts": fonts.fingerprint(),
    }
    return json.dumps(setting, sort_keys=True).encode()


def spec_text(spec: dict) -> str:
    """The spec as compact JSON with sorted keys: what its key is made of (and what a page embeds)."""
    return json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def spec_document(spec: dict, text: str | None = None) -> str:
    """The spec as its .vl.json file: spec_text and a final newline. (Not indented: Python's JSON
    encoder is pure Python when it indents, ten times slower, and a national site writes ~20,000.)"""
    return (spec_text(spec) if text is None else text) + "\n"


def chart_key(spec: dict, salted: bytes, text: str | None = None) -> str:
    text = spec_text(spec) if text is None else text
    return hashlib.sha256(b"chart\0" + salted + b"\0" + text.encode()).hexdigest()


def card_key(svg: str, salted: bytes) -> str:
    return hashlib.sha256(b"card\0" + salted + b"\0" + svg.encode()).hexdigest()


# --------------------------------------------------------------------------- drawing through the cache


class Drawn(NamedTuple):
    """A chart as the build writes it."""

    svg: str
    png: bytes
    text: str  # spec_text(spec)
    vega: str  # the spec compiled to Vega (draw.vega_text), what the page's runtime draws


def _through(store: Store, keys: list[str], items: Sequence, read: Callable, draw_all: Callable,
             write: Callable) -> list:
    """Each item's result: read(parts) from the store where it holds a good one, else drawn by draw_all
    (in one batch, possibly in worker processes) and stored as write(result) as soon as it is drawn, so
    an interrupted build keeps what it drew. read gives None for parts it does not trust."""
    found: dict[str, Any] = {}
    for key in keys:
        if key not in found and (parts := store.get(key)) is not None and (value := read(parts)) is not None:
            found[key] = value
    todo = list({key: item for key, item in zip(keys, items) if key not in found}.items())

    def keep(index: int, result) -> None:
        found[todo[index][0]] = result
        store.put(todo[index][0], write(result))

    draw_all([item for _, item in todo], cached=len(found), total=len(items), done=keep)
    return [found[key] for key in keys]


def _drawn_parts(parts: tuple[bytes, ...]) -> tuple[str, bytes, str] | None:
    if len(parts) == 3 and parts[0].startswith(b"<svg") and parts[1].startswith(_PNG) and parts[2].startswith(b"{"):
        return parts[0].decode("utf-8"), parts[1], parts[2].decode("utf-8")
    return None


def chart_images(specs: Sequence[dict], store: Store) -> list[Drawn]:
    """Each spec drawn (SVG, PNG) and compiled to Vega, from the store when it has them, made (and stored)
    when not."""
    texts = [spec_text(spec) for spec in specs]
    if not genuine():
        made = [(svg, draw.png_from_svg(svg), draw.vega_text(spec)) for svg, spec in zip(map(draw.render_svg, specs), specs)]
    else:
        salted = salt()
        keys = [chart_key(spec, salted, text) for spec, text in zip(specs, texts)]
        made = _through(store, keys, specs, _drawn_parts, workers.draw_charts,
                        lambda drawn: (drawn[0].encode("utf-8"), drawn[1], drawn[2].encode("utf-8")))
    return [Drawn(svg, png_bytes, text, vega) for (svg, png_bytes, vega), text in zip(made, texts)]


def chart_svgs(specs: Sequence[dict], store: Store) -> list[str]:
    """Each spec drawn as SVG only (a phone-width image or a variant), from the store or drawn (and stored)."""
    if not genuine():
        return [draw.render_svg(spec) for spec in specs]
    salted = salt()
    keys = [hashlib.sha256(b"svg\0" + chart_key(spec, salted).encode()).hexdigest() for spec in specs]
    return _through(store, keys, specs,
                    lambda parts: parts[0].decode("utf-8") if len(parts) == 1 and parts[0].startswith(b"<svg") else None,
                    workers.draw_svgs, lambda svg: (svg.encode("utf-8"),))


def card_images(svgs: Sequence[str], store: Store) -> list[bytes]:
    """The PNG of each card SVG, from the store or drawn."""
    if not genuine():
        return [cards.card_png(svg) for svg in svgs]
    salted = salt()
    return _through(store, [card_key(svg, salted) for svg in svgs], svgs,
                    lambda parts: parts[0] if len(parts) == 1 and parts[0].startswith(_PNG) else None,
                    workers.draw_cards, lambda png_bytes: (png_bytes,))


# --------------------------------------------------------------------------- specs and zips


def snapshot_zip(name: str, files: dict[str, bytes], when, store: Store) -> bytes:
    """archive.snapshot_zip, from the store when the same files were zipped before."""
    if store.root is None or not genuine():
        return archive.snapshot_zip(name, files, when)
    import sys
    import zlib

    listing = [[path, hashlib.sha256(files[path]).hexdigest()] for path in sorted(files)]
    setting = [FORMAT, name, str(when), sys.version, zlib.ZLIB_RUNTIME_VERSION, _sources(*archive.ZIP_CODE), listing]
    key = hashlib.sha256(b"zip\0" + json.dumps(setting).encode()).hexdigest()
    parts = store.get(key)
    if parts is not None and len(parts) == 1 and parts[0].startswith(b"PK"):
        return parts[0]
    data = archive.snapshot_zip(name, files, when)
    store.put(key, (data,))
    return data
