"""Dated reports kept in the build cache, so a build into an empty folder does not render them again.

Why this module exists: a rebuild into the same folder links every unchanged
dated report from the previous site (generator/publish/rebuild.py), but a
deploy on GitHub Pages starts from an empty folder with only the build cache
restored (actions/cache), and without a previous site it rendered every dated
report again: a national site's hundreds of reports, pages, embeds, data files
and zips, each time.

So after a dated report is made, its files go into the build cache as one
entry under its key (the key holds every input the report depends on:
rebuild.ReportKeys), with a record of what a build needs to keep it without
planning it: the Made (manifest, files with sizes and hashes, pages,
addresses, feed entry) and the cache entries its making used (chart images,
cards, its zip), which are marked used again whenever the report is taken
from the cache, so that pruning does not drop what a later template edit
would need to make it again without drawing. A later build that finds the
entry writes those bytes and does not render the report.

The cache's own checks make this safe: an entry whose bytes do not match its
header's hash is removed and the report made again; each file is checked
against its recorded SHA-256 before anything is written; and the entry is only
stored and read when the drawing functions are the real ones (cache.genuine),
so a test's stand-in pictures never land in a report. tests/test_cache.py
builds into an empty folder from a filled cache and compares byte for byte.
"""

from __future__ import annotations

import hashlib
import json

from generator.publish import cache
from generator.publish.rebuild import Made
from generator.publish.write import Output

FORMAT = 2


def _entry_key(key: str) -> str:
    return hashlib.sha256(b"report\0%d\0" % FORMAT + key.encode()).hexdigest()


def put(store: cache.Store, made: Made, output: Output, uses: set[str]) -> None:
    """Keep a report just made (its files already in output) under its key, with the entries it used."""
    if store.root is None or not store.writable or made.frozen or not cache.genuine():
        return
    paths = sorted(made.files)
    record = {"manifest": sorted(made.manifest), "files": [[p, *made.files[p]] for p in paths],
              "pages": made.pages, "urls": made.urls, "feed": made.feed, "uses": sorted(uses)}
    # two parts, the record and the files one after the other (their sizes are in the record): an entry's
    # header lists the size of each part, and a report has hundreds of files
    body = b"".join(output.read(p) for p in paths)
    store.put(_entry_key(made.key), (json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                                     body))


def holds(store: cache.Store, key: str) -> bool:
    """Whether take() will likely find the report (its entry is there; its bytes are checked only then)."""
    return store.root is not None and cache.genuine() and store.has(_entry_key(key))


def take(store: cache.Store, key: str, output: Output) -> Made | None:
    """The report with this key written into output from the build cache, or None if it is not there whole."""
    if store.root is None or not cache.genuine():
        return None
    parts = store.get(_entry_key(key), count=False)
    if not parts or len(parts) != 2:
        return None
    try:
        record = json.loads(parts[0])
        listed = [(p, int(size), digest) for p, size, digest in record["files"]]
        manifest, pages, urls, feed = record["manifest"], int(record["pages"]), record["urls"], record["feed"]
        uses = list(record["uses"])
    except (ValueError, KeyError, TypeError):
        return None
    body, data, at = parts[1], [], 0
    for _, size, _ in listed:
        data.append(body[at:at + size])
        at += size
    if at != len(body) or any(hashlib.sha256(d).hexdigest() != digest for d, (_, _, digest) in zip(data, listed)):
        return None
    for (path, _, _), d in zip(listed, data):
        output.add(path, d)
    for used in uses:  # (so that pruning keeps what making it again would need)
        store.touch(used)
    files = {p: (size, digest) for p, size, digest in listed}
    return Made(key, {p: files[p][1] for p in manifest}, files, pages, urls, feed, cached=True)
