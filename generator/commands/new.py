"""`cakupan new`: start a region's next snapshot from its latest one.

A new snapshot usually repeats the last one's shape: the same sources, the
same target years, the same regencies. This writes that shape with every
figure left empty, a comment saying what goes there and the previous value
beside it, so the editor fills in numbers instead of retyping structure.
An empty value fails `cakupan validate` on purpose: nothing unfilled can
reach the site.
"""

from __future__ import annotations

import os
import re
from datetime import date as Date
from importlib import resources
from pathlib import Path

import yaml

from generator.errors import UsageError, display_path
from generator.data.load import Raw, read_yaml
from generator.data import when as when_
from generator.data.check import WHEN_RE
from generator.data.names import SLUG_RE, fold

# What to write in each empty figure: the key's meaning, in the data's language.
HINTS = {
    "participants": "jumlah peserta terdaftar, mis. 731991",
    "workforce": "jumlah pekerja potensial, mis. 2700000",
    "coverage": "cakupan dalam persen, mis. 24.86",
}
TARGET_HINTS = {
    "coverage": "target cakupan dalam persen",
    "participants": "target dalam jumlah peserta",
    "gap": "jumlah pekerja yang masih dibutuhkan",
}
SOURCE_HINTS = {
    "title": "judul artikel",
    "url": "alamat artikel (http:// atau https://)",
    "date": "tanggal terbit, YYYY-MM-DD",
    "about": "keterangan singkat tentang sumber ini",
}
FIGURES = ("participants", "workforce", "coverage")
# Sections kept only as comments: they describe one day's sources, not a shape.
COMMENTED = {
    "rankings": "peringkat sebelumnya (tanpa angka); salin dan sesuaikan bila sumber baru memberi peringkat",
    "notes": "catatan sebelumnya; catatan berlaku untuk satu laporan, tulis yang baru bila perlu",
}


def new_snapshot(data: Path, region: str, when: str) -> Path:
    """Write data/<region>/<when>.yaml from the region's latest snapshot; return its path."""
    if not SLUG_RE.match(region) or not (data / region / "region.yaml").is_file():
        known = sorted(p.parent.name for p in data.glob("*/region.yaml"))
        raise UsageError(f'unknown region "{region}" in {display_path(data)}/ '
                         f"(known: {', '.join(known) or 'none'})")
    try:
        day = when_.parse(when)  # a day, or a month or a year when the source gives no more
    except ValueError:
        raise UsageError(f'"{when}" is not a real date (YYYY-MM-DD expected, e.g. 2026-01-31; '
                         'YYYY-MM or YYYY for a month or a year)') from None
    folder = data / region
    target = folder / f"{day.isoformat()}.yaml"
    if target.exists():
        raise UsageError(f"{display_path(target)} already exists (edit it, or choose another date)")
    dated = sorted((p for p in folder.glob("*.yaml") if WHEN_RE.match(p.stem)), key=lambda p: when_.parse(p.stem))
    if not dated:
        raise UsageError(f"{display_path(folder)}/ has no snapshot to start from: write the first one by hand "
                         "(see docs/data-format.md)")
    latest = dated[-1]
    if when_.parse(latest.stem).last >= day.first:
        raise UsageError(f"{day.isoformat()} is not later than the latest snapshot, {display_path(latest)} "
                         "(a new snapshot must be the newest)")
    previous = read_yaml(latest)
    if previous.root is None or not isinstance(previous.root.value, dict):
        why = "; ".join(str(p) for p in previous.problems) or "not a YAML mapping"
        raise UsageError(f"cannot start from {display_path(latest)}: {why}")
    region_raw = read_yaml(folder / "region.yaml").root
    name = _plain(region_raw.value.get("name")) if region_raw and isinstance(region_raw.value, dict) else None
    text = snapshot_text(str(name or region), day, latest.name, previous.root,
                         latest.read_text(encoding="utf-8").splitlines())
    with open(target, "x", encoding="utf-8") as f:  # "x": never overwrite a file made meanwhile
        f.write(schema_comment(target) + text)
    return target


def schema_comment(target: Path) -> str:
    """The first line of a new snapshot: where editors find its JSON Schema (docs/data-format.md).

    The path is relative, from the new file to the schema of the package that wrote it: in a
    checkout `../../generator/data/schema/snapshot.schema.json`, which stays right wherever the
    checkout is moved; only where no relative path exists (another drive) is it a file: URI."""
    with resources.as_file(resources.files("generator.data") / "schema" / "snapshot.schema.json") as path:
        schema_file = Path(path).resolve()
    try:
        ref = Path(os.path.relpath(schema_file, target.parent.resolve())).as_posix()
    except ValueError:
        ref = schema_file.as_uri()
    return f"# yaml-language-server: $schema={ref}\n"


def snapshot_text(region_name: str, day: Date, previous_name: str, root: Raw, previous_lines: list[str]) -> str:
    """The new snapshot's YAML: the previous one's shape, figures empty, old values in comments."""
    top: dict[str, Raw] = root.value
    out = [
        f"# {region_name}: angka per {day.isoformat()}. Dibuat dengan `cakupan new` dari {previous_name}.",
        "# Isi setiap nilai yang kosong (\"isi:\" menjelaskan isinya, \"sebelumnya:\" nilai di",
        f"# {previous_name}) dan hapus baris yang tidak disebut sumber. Nilai yang kosong",
        "# ditolak oleh `cakupan validate`. Format: docs/data-format.md.",
        f"date: {day.isoformat()}",
        "sources:  # yang pertama menjadi sumber bawaan setiap angka",
    ]
    for item in _list(top.get("sources")):
        fields = item.value if isinstance(item.value, dict) else {}
        out.append(f"  - id: {_flow(fields.get('id'))}")
        if "publisher" in fields:
            out.append(f"    publisher: {_flow(fields['publisher'])}")
        for key, hint in SOURCE_HINTS.items():
            if key in fields:
                out.append(_blank(key, hint, fields[key], indent=4))
    for key in FIGURES:
        if key in top:
            out.append(_blank(key, HINTS[key], top[key]))
    if _list(top.get("targets")):
        out.append("targets:")
        for item in _list(top["targets"]):
            fields = item.value if isinstance(item.value, dict) else {}
            out.append(f"  - year: {_flow(fields.get('year'))}")
            for key, hint in TARGET_HINTS.items():
                if key in fields:
                    out.append(_blank(key, hint, fields[key], indent=4))
    for section in ("subregions", "segments"):
        items = _list(top.get(section))
        if not items:
            continue
        out.append(f"{section}:")
        seen = set()
        for item in items:
            fields = item.value if isinstance(item.value, dict) else {}
            name = _plain(fields.get("name"))
            if name is None or fold(str(name)) in seen:
                continue  # a name the source gave twice is written once
            seen.add(fold(str(name)))
            out.append(f"  - name: {_flow(fields['name'])}")
            for key in FIGURES:
                if key in fields:
                    hint = HINTS[key].split(",")[0]
                    out.append(_blank(key, hint, fields[key], indent=4))
    out += _commented(top, previous_lines)
    return "\n".join(out) + "\n"


def _blank(key: str, hint: str, previous: Raw, indent: int = 0) -> str:
    return f"{' ' * indent}{key}:  # isi: {hint} (sebelumnya: {_flow(previous)})"


def _commented(top: dict[str, Raw], lines: list[str]) -> list[str]:
    """The previous file's rankings and notes, as comments, exactly as written there."""
    starts = sorted(raw.line for raw in top.values())
    out = []
    for key, header in COMMENTED.items():
        if key not in top:
            continue
        first = top[key].line
        later = [s for s in starts if s > first]
        end = later[0] - 1 if later else len(lines)
        body = lines[first - 1:end]
        while body and not body[-1].strip():
            body.pop()
        out.append(f"# {header}:")
        out += [f"# {line}".rstrip() for line in body]
    return out


def _list(raw: Raw | None) -> list[Raw]:
    return raw.value if raw is not None and isinstance(raw.value, list) else []


def _plain(raw: Raw | None):
    """A Raw tree as plain Python values."""
    if raw is None:
        return None
    if isinstance(raw.value, dict):
        return {k: _plain(v) for k, v in raw.value.items()}
    if isinstance(raw.value, list):
        return [_plain(v) for v in raw.value]
    return raw.value


class _FlowDumper(yaml.SafeDumper):
    """One-line YAML that reads back as written: like the loader, it knows no timestamps, so dates stay bare."""


_FlowDumper.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def _flow(raw: Raw | None) -> str:
    text = yaml.dump(_plain(raw), Dumper=_FlowDumper, default_flow_style=True, allow_unicode=True,
                     sort_keys=False, width=1_000_000)
    text = re.sub(r"\n\.\.\.\n?$", "", text.strip() + "\n").strip()
    return " ".join(text.split("\n"))
