"""Frozen reports: every byte of a published dated report, kept in the repository.

Why this module exists: a dated report is cited for years, and the site is
built from a clean checkout (GitHub Pages has no previous site/), so the
promise that it never changes can only rest on what the repository holds.
`cakupan freeze` records, in data/<region>/frozen/<date>.json, the SHA-256 of
every file a reader of the report receives (its pages, chart specs and CSV,
embeds, data files, SHA256SUMS, zip, link-preview cards, the content-addressed
assets its pages load, and the chart images its date's latest report offered)
and keeps their bytes, named by their SHA-256, in data/<region>/frozen/files/.
A later build writes those bytes as they are instead of rendering the report
again: a template, stylesheet or library change alters new reports only.
What the report says comes from the data, so a build stops (exit 2) when the
figures, sources or notes of a frozen date changed (its data key, below)
until the change is re-published with a reason that the page then shows.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import TYPE_CHECKING

from generator.data import inputs, when as when_
from generator.errors import CakupanError, UsageError, display_path

if TYPE_CHECKING:
    from generator.data.model import Dataset
    from generator.publish.write import Output

FORMAT = 2  # 1: hashes of the shown files only, no bytes (cakupan before the byte store)


@dataclass(frozen=True)
class Correction:
    date: Date
    reason: str


@dataclass(frozen=True)
class Frozen:
    """A published snapshot's record: its files' hashes, its corrections, and what builds need to show it."""

    region: str
    date: Date
    path: Path
    files: dict[str, str] = field(default_factory=dict)  # every file it answers for: path -> sha256 ({}: not stored yet)
    corrections: tuple[Correction, ...] = ()
    base_url: str | None = None  # pages carry canonical links, so a record holds for one base URL
    data_key: str = ""  # data_keys() of its date when it was frozen
    manifest: tuple[str, ...] = ()  # the paths its SHA256SUMS lists
    pages: int = 0
    urls: tuple[str, ...] = ()  # its pages' addresses, for the sitemap
    feed: dict = field(default_factory=dict)  # its Atom entry (site/feed.py: feed_entry)

    @property
    def stored(self) -> bool:
        return bool(self.files)

    def to_json(self) -> str:
        data = {
            "format": FORMAT, "region": self.region, "date": self.date.isoformat(), "base_url": self.base_url,
            "corrections": [{"date": c.date.isoformat(), "reason": c.reason} for c in self.corrections],
            "data_key": self.data_key, "pages": self.pages, "urls": list(self.urls), "feed": self.feed,
            "manifest": sorted(self.manifest), "files": dict(sorted(self.files.items())),
        }
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def frozen_path(data_dir: Path, region: str, when: Date) -> Path:
    return data_dir / region / "frozen" / f"{when.isoformat()}.json"


def blob_path(data_dir: Path, region: str, digest: str) -> Path:
    return data_dir / region / "frozen" / "files" / digest


def read_frozen(data_dir: Path) -> dict[tuple[str, Date], Frozen]:
    """Every frozen record under data/<region>/frozen/."""
    out = {}
    for path in sorted(data_dir.glob("*/frozen/*.json")):
        shown = display_path(path)
        try:
            data = json.loads(inputs.read_text(path, data_dir, inputs.MAX_JSON))  # (an InputError names the file)
            if data.get("format") != FORMAT:
                raise UsageError(f"{shown}: written by an older cakupan (it keeps no bytes of the report): delete "
                                 "it and freeze the report again with `cakupan freeze`")
            when = when_.parse(data["date"])  # a day, or a month or a year (when.py)
            files = {str(k): str(v) for k, v in data["files"].items()}
            record = Frozen(
                region=path.parent.parent.name, date=when, path=path, files=files,
                corrections=tuple(Correction(Date.fromisoformat(c["date"]), str(c["reason"]))
                                  for c in data["corrections"]),
                base_url=data["base_url"], data_key=str(data["data_key"]),
                manifest=tuple(str(p) for p in data["manifest"]), pages=int(data["pages"]),
                urls=tuple(str(u) for u in data["urls"]), feed=dict(data["feed"]),
            )
        except CakupanError:
            raise
        except RecursionError:  # json nests by recursion: 100,000 "[" would otherwise crash the build
            raise UsageError(f"{shown}: not a frozen-snapshot record (nested too deeply)") from None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise UsageError(f"{shown}: not a frozen-snapshot record ({type(exc).__name__}: {str(exc)[:200]})") from exc
        if path.stem != when.isoformat():
            raise UsageError(f"{shown}: date {when} differs from the file name")
        bad = [p for p in files if not _safe(p)] + [d for d in files.values() if not _digest(d)]
        if bad:
            raise UsageError(f"{shown}: not a frozen-snapshot record ({bad[0]!r} is not a site path and SHA-256)")
        out[(record.region, when)] = record
    return out


def _safe(path: str) -> bool:
    parts = path.split("/")
    return bool(path) and "\\" not in path and not path.startswith("/") and all(p not in ("", ".", "..") for p in parts)


def _digest(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def data_keys(dataset: Dataset, notes: dict, corrections: dict) -> dict[tuple[str, Date], str]:
    """What a dated report says, hashed: its region's facts, every snapshot up to its date, its editor's
    note and corrections. Parsed values, not the files: a comment or a moved line changes nothing."""
    keys = {}
    for region in dataset.regions:
        h = hashlib.sha256(b"cakupan-data\0" + repr(dataclasses.replace(region, snapshots=())).encode())
        for snap in region.snapshots:
            h.update(repr(dataclasses.replace(snap, path="")).encode())
            mine = h.copy()
            mine.update(repr((notes.get((region.slug, snap.date)),
                              corrections.get((region.slug, snap.date), ()))).encode())
            keys[(region.slug, snap.date)] = mine.hexdigest()
    return keys


class FrozenChanged(CakupanError):
    exit_code = 2


def check(records: dict[tuple[str, Date], Frozen], keys: dict[tuple[str, Date], str], base_url: str | None,
          data_dir: Path) -> None:
    """Stop the build if the data of a frozen report changed, or its stored bytes are not all there."""
    problems = []
    for (region, when), record in sorted(records.items()):
        if not record.stored:
            continue
        shown = display_path(record.path)
        again = f"cakupan freeze {region} {when} --republish \"<reason>\""
        if record.base_url != base_url:
            problems.append(f"{shown}: {region} {when} was frozen for the base URL {record.base_url or '(none)'}, "
                            f"but this build has {base_url or '(none)'}: build with the same --base-url "
                            "(or CAKUPAN_BASE_URL)")
        elif (region, when) not in keys:
            problems.append(f"{shown}: {region} {when} is frozen, but the data no longer has it (a published "
                            "report stays: put its snapshot back)")
        elif keys[(region, when)] != record.data_key:
            problems.append(f"{shown}: the report {region} {when} is frozen, but its data changed since (figures, "
                            f"sources, notes or its editor's note, up to {when}):\n  to publish the change, say "
                            f"why: {again}")
        else:
            for path, digest in sorted(record.files.items()):
                blob = blob_path(data_dir, region, digest)
                if not blob.is_file():
                    problems.append(f"{display_path(blob)}: missing (the bytes of {path}, of the frozen report "
                                    f"{region} {when}: restore it from the repository's history)")
    if problems:
        raise FrozenChanged("\n".join(problems))


def serve(record: Frozen, data_dir: Path, output: Output) -> dict[str, tuple[int, str]]:
    """Write a frozen report's files as stored, each checked against its record; return path -> (size, sha256)."""
    made = {}
    for path, digest in sorted(record.files.items()):
        blob = blob_path(data_dir, record.region, digest)
        data = blob.read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:
            raise FrozenChanged(f"{display_path(blob)}: its bytes no longer have the SHA-256 its name says (the "
                                f"stored {path} of {record.region} {record.date} was edited: restore it from the "
                                "repository's history)")
        output.pin(path, data)
        made[path] = (len(data), digest)
    return made


def store(data_dir: Path, region: str, files: dict[str, bytes]) -> None:
    """Keep the bytes of files in the region's store, each under its SHA-256."""
    for data in files.values():
        blob = blob_path(data_dir, region, hashlib.sha256(data).hexdigest())
        if blob.is_file():
            continue
        blob.parent.mkdir(parents=True, exist_ok=True)
        temp = blob.with_name(blob.name + ".tmp")
        temp.write_bytes(data)
        os.replace(temp, blob)


def prune(data_dir: Path, region: str, records: dict[tuple[str, Date], Frozen]) -> None:
    """Remove stored bytes no record of the region names any more (a re-published report's old files)."""
    wanted = {d for (r, _), rec in records.items() if r == region for d in rec.files.values()}
    folder = data_dir / region / "frozen" / "files"
    for blob in sorted(folder.glob("*")) if folder.is_dir() else ():
        if blob.name not in wanted:
            blob.unlink()


def frozen_files(region: str, when: Date, report_files, output_paths) -> list[str]:
    """What freezing a report keeps: its own files (the shared files its pages load among them), and the
    chart images that its date's latest report offered (charts/<region>/<date>/), which later builds no
    longer draw."""
    charts = f"charts/{region}/{when}/"
    return sorted({*report_files, *(p for p in output_paths if p.startswith(charts))})

