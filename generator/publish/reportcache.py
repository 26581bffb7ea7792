"""Dated reports kept in the build cache, so a build into an empty folder does not render them again.

Why this module exists: a rebuild into the same folder carries every unchanged
dated report over from the previous site (generator/publish/rebuild.py), but a
deploy on GitHub Pages starts from an empty folder with only the build cache
restored (actions/cache), and without a previous site it rendered every dated
report again: a national site's hundreds of reports, pages, embeds, data files
and zips, each time.

So after a dated report is made, it goes into the build cache under its key
(what the report says and where it is published: rebuild.ReportKeys): each
of its files once, by its SHA-256, in a folder of files beside the entries
(<cache>/build/files/), hard-linked from the stage where the system allows
it; and an entry with a record of what a build needs to keep the report
without planning it: the Made (manifest, files with sizes and hashes, pages,
addresses, feed entry) and the cache entries its making used (chart images,
cards, its zip), which are marked used again whenever the report is taken
from the cache, so that pruning does not drop what a later template edit
would need to make it again without drawing. A later build that finds the
entry links those files into its stage and does not render the report:
creating a report's hundred files cost a deploy most of its time, linking
them almost nothing.

Linked files are shared: a file of the site may be the cache's own. So the
cache never trusts one by its name: each entry records every file's size and
modification time as kept, and a file found otherwise is read and checked
against its recorded SHA-256 before any is linked (a site file edited in
place spoils its cache copy, which is then made again; a cache restored by
a tool that does not keep the times is read whole once), the entry
itself is checked like every entry (cache.py), and nothing is stored or read
unless the drawing functions are the real ones (cache.genuine), so a test's
stand-in pictures never land in a report. tests/test_cache.py builds into an
empty folder from a filled cache and compares byte for byte. Files no kept
report names are removed, oldest first, when the folder outgrows the cache's
size limit (prune).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from generator.data import entries
from generator.publish import cache
from generator.publish.rebuild import Made
from generator.publish.write import Output

FORMAT = 4  # (4: keyed by what a report says, its files include the shared files it loads)
FILES = "files"  # beside the entries' v<FORMAT>/ folder: one file per SHA-256, shared by every report holding it
TOTAL = "files.bytes"  # beside FILES: its bytes and those a build held when prune last looked (+ added since)


def _entry_key(key: str) -> str:
    return hashlib.sha256(b"report\0%d\0" % FORMAT + key.encode()).hexdigest()


def _files(store: cache.Store) -> Path:
    return store.root.parent / FILES


def _file(folder: str, digest: str) -> str:
    """The file of this SHA-256 in the folder of files (_files): a string, joined once a file of every report."""
    return f"{folder}/{digest[:2]}/{digest}"


def put(store: cache.Store, made: Made, output: Output, uses: set[str]) -> None:
    """Keep a report just made (its files already in output) under its key, with the entries it used."""
    if store.root is None or not store.writable or made.frozen or not cache.genuine():
        return
    paths = sorted(made.files)
    times = []
    for path in paths:
        kept = _keep_file(store, output, path, made.files[path][1])
        if kept is None:
            return  # (a full or read-only cache: the report is simply not kept)
        times.append(kept)
    record = {"manifest": sorted(made.manifest), "files": [[p, *made.files[p], t] for p, t in zip(paths, times)],
              "pages": made.pages, "urls": made.urls, "feed": made.feed, "uses": sorted(uses)}
    entry = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    store.put(_entry_key(made.key), (entry,))
    made.line = entry  # (the site's record lists the report as its entry has it: rebuild.write)


def keep(store: cache.Store, made: Made, output: Output) -> bool:
    """A report kept from the previous site: its entry marked used, so that pruning spares it, or put
    there if the cache lacks it, so that the next deploy (which starts without a previous site) finds it;
    True if it was put there (its files may have been added to the folder of files)."""
    if store.root is None or not store.writable or not cache.genuine():
        return False
    if store.has(_entry_key(made.key)):
        store.touch(_entry_key(made.key))
        return False
    put(store, made, output, set())
    return True


def _keep_file(store: cache.Store, output: Output, path: str, digest: str) -> int | None:
    """The file in the cache's folder of files (linked from the stage, else written): its modification
    time in ns, or None if it cannot be kept."""
    target = Path(_file(os.fspath(_files(store)), digest))
    if not target.is_file():
        linked = False
        if output.stage is not None:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(output.source(path), target)
                linked = True
            except FileExistsError:  # (another worker process kept the same file)
                linked = True
            except OSError:
                pass  # another file system, or links not allowed: a copy
        if not linked and not entries.write(target, output.read(path)):
            return None
    try:
        return os.stat(target).st_mtime_ns
    except OSError:
        return None


def holds(store: cache.Store, key: str) -> bool:
    """Whether take() will likely find the report (its entry is there; its files are checked only then)."""
    return store.root is not None and cache.genuine() and store.has(_entry_key(key))


def take(store: cache.Store, key: str, output: Output) -> Made | None:
    """The report with this key linked into output from the build cache, or None if it is not there whole."""
    if store.root is None or not cache.genuine():
        return None
    parts = store.get(_entry_key(key), count=False)
    if not parts or len(parts) != 1:
        return None
    try:
        record = json.loads(parts[0])
        listed = [(p, int(size), digest, int(written)) for p, size, digest, written in record["files"]]
        manifest, pages, urls, feed = record["manifest"], int(record["pages"]), record["urls"], record["feed"]
        uses = list(record["uses"])
    except (ValueError, KeyError, TypeError):
        return None
    found, folder = [], os.fspath(_files(store))
    for path, size, digest, written in listed:  # every file as recorded before any is linked: taken whole
        source = _file(folder, digest)
        mtime = _intact(source, size, digest, written)
        if mtime is None:
            return None
        found.append((path, source, size, digest, mtime))
    output.reuse_all(found)
    for used in uses:  # (so that pruning keeps what making it again would need)
        store.touch(used)
    files = {p: (size, digest) for p, size, digest, _ in listed}
    return Made(key, {p: files[p][1] for p in manifest}, files, pages, urls, feed, cached=True, line=parts[0])


def _intact(path: str, size: int, digest: str, written: int) -> int | None:
    """The file's modification time (ns) if it still holds the bytes of digest, else None: untouched
    since it was kept (its size and time as then, as a previous site's files are trusted: rebuild.py),
    else read and hashed."""
    try:
        st = os.stat(path)
        if st.st_size == size and st.st_mtime_ns == written:
            return written
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    if len(data) == size and hashlib.sha256(data).hexdigest() == digest:
        return st.st_mtime_ns
    try:
        os.unlink(path)  # spoiled (a site file it is linked to was edited in place): made again
    except OSError:
        pass
    return None


def prune(store: cache.Store, keep: set[str], added: int | None = None, released: bool = True,
          max_bytes: int | None = None) -> int:
    """Remove files no report of this build holds (keep: their SHA-256), the least recently linked
    first, while the folder of files is over the cache's size limit; return how many.

    Looking at each file costs a national site's new snapshot most of a second, so the last look
    notes beside the folder (TOTAL) the bytes it left and how many of them its build held. The folder
    is not looked at while that total plus added (at most how many bytes this build put there) is
    within the limit, nor while nothing could go: the last look left only held files and released is
    False (every report the previous build held, this one holds too, and what it added it holds).
    added None, or no such note: look. (A cache shared by sites of other data may then pass its limit
    until a build that releases a report looks.)"""
    if store.root is None or not store.writable:
        return 0
    limit = cache.max_bytes_allowed() if max_bytes is None else max_bytes
    note = store.root.parent / TOTAL
    if added is not None:
        try:
            known, held = map(int, note.read_text(encoding="ascii").split())
        except (OSError, ValueError):
            known = held = None
        if known is not None and (known + added <= limit or (known == held and not released)):
            entries.write(note, b"%d %d" % (known + added, held + added))  # (estimates from above)
            return 0
    found, total = [], 0
    try:
        for folder in os.scandir(_files(store)):
            for entry in os.scandir(folder.path) if folder.is_dir() else ():
                stat = entry.stat()
                total += stat.st_size
                if entry.name not in keep:
                    found.append((stat.st_ctime, entry.path, stat.st_size))  # (linking a file sets its ctime)
    except OSError:
        return 0
    removed, left = cache.remove_oldest(found, total, limit)
    entries.write(note, b"%d %d" % (left, total - sum(size for _, _, size in found)))
    return removed
