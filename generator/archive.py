"""Dated reports as published: their manifests, their zips, freezing and verifying them.

A snapshot's report is cited for years, so its files must not change behind
the reader's back. Each dated report ships SHA256SUMS (the hashes of every
file it shows); `cakupan freeze` records those hashes in the repository, and
a later build that would change them stops, naming the files, until the
change is re-published with a reason that the page then shows.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

from .errors import CakupanError, UsageError, display_path

MANIFEST = "SHA256SUMS"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Correction:
    date: Date
    reason: str


@dataclass(frozen=True)
class Frozen:
    """A published snapshot's record: the hashes of its files and its corrections."""

    region: str
    date: Date
    path: Path
    files: dict[str, str]
    corrections: tuple[Correction, ...] = ()
    base_url: str | None = None  # canonical links differ with it, so a record holds for one base URL


    def to_json(self) -> str:
        data = {
            "region": self.region, "date": self.date.isoformat(), "base_url": self.base_url,
            "corrections": [{"date": c.date.isoformat(), "reason": c.reason} for c in self.corrections],
            "files": dict(sorted(self.files.items())),
        }
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def frozen_path(data_dir: Path, region: str, when: Date) -> Path:
    return data_dir / region / "frozen" / f"{when.isoformat()}.json"


def read_frozen(data_dir: Path) -> dict[tuple[str, Date], Frozen]:
    """Every frozen record under data/<region>/frozen/."""
    out = {}
    for path in sorted(data_dir.glob("*/frozen/*.json")):
        shown = display_path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            when = Date.fromisoformat(data["date"])
            record = Frozen(
                region=path.parent.parent.name, date=when, path=path,
                files={str(k): str(v) for k, v in data["files"].items()},
                corrections=tuple(Correction(Date.fromisoformat(c["date"]), str(c["reason"]))
                                  for c in data.get("corrections", [])),
                base_url=data.get("base_url"),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise UsageError(f"{shown}: not a frozen-snapshot record ({type(exc).__name__}: {exc})") from exc
        if path.stem != when.isoformat():
            raise UsageError(f"{shown}: date {when} differs from the file name")
        out[(record.region, when)] = record
    return out


def manifest_text(files: dict[str, bytes]) -> str:
    """sha256sum's format: run `sha256sum -c <region>/arsip/<date>/SHA256SUMS` from the site's root."""
    return "".join(f"{sha256(files[p])}  {p}\n" for p in sorted(files))


def parse_manifest(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        if line.strip():
            digest, path = line.split("  ", 1)
            out[path] = digest
    return out


class FrozenChanged(CakupanError):
    exit_code = 2


def check_frozen(records: dict[tuple[str, Date], Frozen], manifests: dict[tuple[str, Date], dict[str, str]],
                 base_url: str | None) -> None:
    """Stop the build if it would change a published snapshot."""
    problems = []
    for key, record in sorted(records.items()):
        if record.base_url != base_url:
            problems.append(f"{display_path(record.path)}: {key[0]} {key[1]} was frozen for the base URL "
                            f"{record.base_url or '(none)'}, but this build has {base_url or '(none)'}: "
                            "build with the same --base-url (or CAKUPAN_BASE_URL)")
            continue
        built = manifests.get(key)
        if built is None:
            problems.append(f"{display_path(record.path)}: {key[0]} {key[1]} is frozen, but the data no longer has it")
            continue
        changed = sorted(p for p in record.files if p in built and built[p] != record.files[p])
        missing = sorted(p for p in record.files if p not in built)
        added = sorted(p for p in built if p not in record.files)
        if changed or missing or added:
            lines = [f"  changed: {p}" for p in changed] + [f"  missing: {p}" for p in missing]
            lines += [f"  new: {p}" for p in added]
            problems.append(
                f"{display_path(record.path)}: the report {key[0]} {key[1]} is frozen, but this build would change "
                f"{len(changed) + len(missing) + len(added)} of its files:\n" + "\n".join(lines)
                + f"\n  to publish the change, say why: cakupan freeze {key[0]} {key[1]} --republish \"<reason>\"")
    if problems:
        raise FrozenChanged("\n".join(problems))


def snapshot_zip(folder: str, files: dict[str, bytes], when: Date) -> bytes:
    """A zip of a dated report that opens offline; the same files always give the same bytes."""
    buffer = io.BytesIO()
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{path}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix, whatever machine builds it
            archive.writestr(info, files[path], compresslevel=9)
    return buffer.getvalue()


@dataclass(frozen=True)
class Verdict:
    manifest: str
    checked: int
    changed: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.changed and not self.missing


def verify_site(site: Path) -> list[Verdict]:
    """Check every dated report in a built, deployed or downloaded copy against its SHA256SUMS."""
    if not site.is_dir():
        raise UsageError(f"{site}: is not a folder (a built site expected)")
    verdicts = []
    for manifest in sorted(site.glob("**/arsip/*/" + MANIFEST)):
        listed = parse_manifest(manifest.read_text(encoding="utf-8"))
        root = manifest.parents[3]  # <root>/<region>/arsip/<date>/SHA256SUMS
        changed, missing = [], []
        for path, digest in sorted(listed.items()):
            target = root / path
            if not target.is_file():
                missing.append(path)
            elif sha256(target.read_bytes()) != digest:
                changed.append(path)
        verdicts.append(Verdict(manifest.relative_to(site).as_posix(), len(listed), tuple(changed), tuple(missing)))
    if not verdicts:
        raise UsageError(f"{site}: has no {MANIFEST} (not a cakupan site?)")
    return verdicts

