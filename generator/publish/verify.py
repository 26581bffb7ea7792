"""The site's manifest, and `cakupan verify`: a check of a copy that an editor of the copy cannot fool.

Why this module exists: a manifest beside the files it lists proves nothing,
since whoever edits a file can edit the manifest too. So the hashes a copy is
checked against are anchored outside the copy: the build writes SHA256SUMS at
the site's root, listing every file (sha256sum's format), and states the
SHA-256 of that list in feed.xml and on each region's archive page; a reader
takes that figure from the published site (`--against URL`), and the
repository's frozen records hold the hashes of every frozen report's files
(`--against DATA_DIR`). The few files that state the manifest's hash cannot
be in it (UNLISTED). Verify checks every file under the copy, the inside of
every zip (CRC and content), and reports changed, missing and added files;
a manifest that is not one (binary, garbled, a folder, a path leaving the
site) is a usage error (exit 2) naming it, never a traceback.
"""

from __future__ import annotations

import hashlib
import re
import urllib.request
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.publish.archive import MANIFEST
from generator.errors import UsageError, display_path

_LINE = re.compile(r"([0-9a-fA-F]{64}) [ *](.+)")
_ATOM = "{http://www.w3.org/2005/Atom}"
_ARCHIVE = re.compile(r"[^/]+/arsip/index\.html")


def unlisted(path: str) -> bool:
    """The files that state the manifest's own hash (so it cannot list them): itself, the feed, archive pages."""
    return path in (MANIFEST, "feed.xml") or bool(_ARCHIVE.fullmatch(path))


def site_manifest(digests: dict[str, str]) -> str:
    """SHA256SUMS of the whole site, from each file's SHA-256: `sha256sum -c SHA256SUMS` in its root checks it."""
    return "".join(f"{digests[p]}  {p}\n" for p in sorted(digests) if not unlisted(p))


def parse(text: bytes | str, shown: str) -> dict[str, str]:
    """A manifest in sha256sum's format, strictly: each line a SHA-256 and a path inside the site."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"{shown}: not a manifest (not UTF-8 text; sha256sum's lines expected)") from None
    out: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            raise UsageError(f"{shown}:{number}: not a manifest line ({line[:60]!r}; "
                             "'<64 hex digits>  <path>' expected)")
        digest, path = match.group(1).lower(), match.group(2)
        pure = PurePosixPath(path)
        if pure.is_absolute() or "\\" in path or any(p in ("..", ".") for p in path.split("/")) or "\0" in path:
            raise UsageError(f"{shown}:{number}: {path!r} is outside the site (a path relative to its root, "
                             "without '..', expected): refused")
        if path in out:
            raise UsageError(f"{shown}:{number}: {path} is listed twice")
        out[path] = digest
    if not out:
        raise UsageError(f"{shown}: an empty manifest")
    return out


def read(path: Path) -> dict[str, str]:
    shown = display_path(path)
    if not path.exists():
        raise UsageError(f"{shown}: missing (the site's manifest; a site built by an older cakupan has none)")
    if not path.is_file():
        raise UsageError(f"{shown}: not a manifest (a folder, not a file)")
    return parse(path.read_bytes(), shown)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class Report:
    """What verify found: per kind, the paths (and for zips, what is wrong inside)."""

    checked: int = 0
    manifest: str = ""  # SHA-256 of the copy's SHA256SUMS
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    zips: list[str] = field(default_factory=list)
    anchor: list[str] = field(default_factory=list)  # disagreements with --against

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.added or self.zips or self.anchor)


def verify(site: Path, against: str | None = None) -> Report:
    """Check every file of the copy at site against its SHA256SUMS (and that against what --against names)."""
    if not site.is_dir():
        raise UsageError(f"{site}: is not a folder (a built site expected)")
    listed = read(site / MANIFEST)
    report = Report(manifest=sha256_file(site / MANIFEST))
    present = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() or p.is_symlink()}
    inside = site.resolve()
    for path, digest in sorted(listed.items()):
        target = site / path
        if target.exists() and not target.resolve().is_relative_to(inside):
            raise UsageError(f"{display_path(site / MANIFEST)}: {path} is a link to a file outside the site: refused")
        if not target.is_file():
            report.missing.append(path)
        elif sha256_file(target) != digest:
            report.changed.append(path)
        report.checked += 1
    report.added = sorted(p for p in present if p not in listed and not unlisted(p))
    for path in sorted(p for p in present if p.endswith(".zip") and (site / p).is_file()):
        report.zips += [f"{path}: {problem}" for problem in check_zip(site / path)]
    if against:
        report.anchor = _against(site, against, listed, report.manifest)
    return report


def check_zip(path: Path) -> list[str]:
    """A report's zip: every entry's CRC, and every entry against the zip's own SHA256SUMS."""
    try:
        with zipfile.ZipFile(path) as z:
            bad = z.testzip()
            if bad is not None:
                return [f"{bad}: its CRC-32 does not match its bytes"]
            names = [n for n in z.namelist() if not n.endswith("/")]
            folder = names[0].split("/", 1)[0] + "/" if names else ""
            if folder + MANIFEST not in names:
                return [f"has no {folder}{MANIFEST}"]
            inside = parse(z.read(folder + MANIFEST), f"{path.name}:{folder}{MANIFEST}")
            found = {n.removeprefix(folder): n for n in names if n != folder + MANIFEST}
            problems = [f"{p}: missing" for p in sorted(set(inside) - set(found))]
            problems += [f"{p}: not in its {MANIFEST}" for p in sorted(set(found) - set(inside))]
            problems += [f"{p}: changed" for p in sorted(set(inside) & set(found))
                         if hashlib.sha256(z.read(found[p])).hexdigest() != inside[p]]
            return problems
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, UsageError) as exc:
        return [f"not a readable zip ({exc})"]


def _against(site: Path, against: str, listed: dict[str, str], manifest_hash: str) -> list[str]:
    if against.startswith(("https://", "http://")):
        return _against_feed(*_fetch(against), manifest_hash)
    where = Path(against)
    if where.is_file():
        return _against_feed(where.read_bytes(), display_path(where), manifest_hash)
    if where.is_dir():
        return _against_records(site, where)
    raise UsageError(f"--against {against}: neither an http(s) address, a feed.xml, nor a data folder")


def _fetch(url: str) -> tuple[bytes, str]:
    feed = url if url.endswith(".xml") else url.rstrip("/") + "/feed.xml"
    try:
        with urllib.request.urlopen(feed, timeout=30) as response:
            return response.read(20 << 20), feed
    except (OSError, ValueError) as exc:
        raise UsageError(f"--against {url}: {feed} could not be read ({exc})") from None


def stated_hash(feed: bytes, shown: str) -> str:
    """The manifest's SHA-256 as a feed states it (<link rel="related" href="…SHA256SUMS" title="sha256:…">)."""
    try:
        root = ET.fromstring(feed)
    except ET.ParseError as exc:
        raise UsageError(f"{shown}: not an Atom feed ({exc})") from None
    for link in root.findall(_ATOM + "link"):
        title = link.get("title") or ""
        if (link.get("href") or "").endswith(MANIFEST) and re.fullmatch(r"sha256:[0-9a-f]{64}", title):
            return title.removeprefix("sha256:")
    raise UsageError(f"{shown}: states no SHA-256 of the site's {MANIFEST} (a feed of an older cakupan?)")


def _against_feed(feed: bytes, shown: str, manifest_hash: str) -> list[str]:
    stated = stated_hash(feed, shown)
    if stated != manifest_hash:
        return [f"{MANIFEST}: its SHA-256 is {manifest_hash}, but {shown} states {stated}"]
    return []


def _against_records(site: Path, data: Path) -> list[str]:
    from generator.publish.published import read_frozen

    problems = []
    records = read_frozen(data)
    if not records:
        raise UsageError(f"{display_path(data)}: holds no frozen record (data/<region>/frozen/<date>.json)")
    for (region, when), record in sorted(records.items()):
        for path, digest in sorted(record.files.items()):
            target = site / path
            if not target.is_file():
                problems.append(f"{path}: missing (frozen in {display_path(record.path)})")
            elif sha256_file(target) != digest:
                problems.append(f"{path}: differs from {display_path(record.path)}")
    return problems

