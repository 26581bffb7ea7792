"""Reading a whole data folder into a Dataset, or every problem in it at once.

Each region folder is its region.yaml and its dated snapshots. Every file is
parsed (load.py), checked against its JSON Schema (schema.py), and only then
read for its meaning (region.py, snapshot.py); what depends on several files
is checked here: a snapshot's date against its file name and the other
snapshots, a folder name that is no URL slug, two national regions.
"""

from __future__ import annotations

import os
from datetime import date as Date
from pathlib import Path

from generator.errors import DataError, Problem
from generator.data.check import WHEN_RE, Reader
from generator.data.layout import SNAPSHOT_NAME, stray_files
from generator.data.load import ParseCache, read_yaml
from generator.data import schema
from generator.data.model import Dataset, Region, Snapshot, SubRegion
from generator.data.names import MAX_SLUG, RESERVED_REGION_SLUGS, SLUG_RE
from generator.data.region import read_region
from generator.data.snapshot import SnapshotReader

def load_dataset(data_dir: Path, cache: bool = True) -> Dataset:
    """Read and check every region in data_dir; raise DataError listing every problem.

    cache=False (`cakupan build --no-cache`) parses every file again, neither reading nor
    writing the parse cache (load.ParseCache); the result and the problems are the same."""
    parsed = ParseCache.open(cache)
    problems: list[Problem] = []
    regions: list[Region] = []
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), 0, "", "is not a folder (a data folder with one sub-folder per region expected)")])
    folders = sorted(p for p in data_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    problems += stray_files(data_dir)
    for folder in folders:
        region, found = _load_region(folder, parsed, data_dir)
        problems += found
        if region is not None:
            regions.append(region)
    if not folders:
        problems.append(Problem(str(data_dir), 0, "", "holds no region folder (data/<region>/region.yaml expected)"))
    national = [r for r in regions if r.national]
    for extra in national[1:]:
        problems.append(Problem(f"{data_dir / extra.slug / 'region.yaml'}", 0, "level",
                                f'"nasional" is also the level of {national[0].slug}/ (one national region expected)'))
    if problems:
        raise DataError(problems)
    return Dataset(tuple(regions))


def _load_region(folder: Path, parsed: ParseCache | None = None,
                 data_dir: Path | None = None) -> tuple[Region | None, list[Problem]]:
    region_file = folder / "region.yaml"
    raw = read_yaml(region_file, parsed, data_dir)
    problems = list(raw.problems)
    if not SLUG_RE.match(folder.name) or len(folder.name) > MAX_SLUG:
        problems.append(Problem(raw.shown, 0, "", f'folder name "{folder.name}" is not a URL slug (lowercase a-z, 0-9 and - expected)'))
    elif folder.name in RESERVED_REGION_SLUGS:
        problems.append(Problem(raw.shown, 0, "", f'folder name "{folder.name}" is taken by the site\'s own files (rename the folder)'))
    if not os.path.lexists(region_file):
        return None, [Problem(raw.shown, 0, "", "is missing (every region folder needs one)")]
    structure = schema.checked(schema.REGION, raw, parsed)
    problems += structure
    read = None
    if raw.root is not None and not structure:  # meaning only once the structure is right
        read = read_region(folder.name, raw.root, Reader(raw.shown, problems))
    snapshots = _read_snapshots(folder, read[1] if read else None, parsed, data_dir, problems)
    if read is None or problems:
        return None, problems
    if not snapshots:
        return None, [Problem(raw.shown, 0, "", "region has no snapshot (data/<region>/<YYYY-MM-DD>.yaml expected)")]
    info = read[0]
    region = Region(slug=folder.name, subregions=tuple(read[1]),
                    snapshots=tuple(snapshots[d] for d in sorted(snapshots)), **info)
    return region, []


def _read_snapshots(folder: Path, subregions: list[SubRegion] | None, parsed: ParseCache | None,
                    data_dir: Path | None, problems: list[Problem]) -> dict[Date, Snapshot]:
    """A region's snapshots by date, their problems added to problems.

    subregions None (region.yaml has structural problems): each snapshot's structure
    is still checked, but not its meaning, which needs the region's sub-regions."""
    snapshots: dict[Date, Snapshot] = {}
    for path in sorted(folder.glob("*.yaml")):
        if not SNAPSHOT_NAME.match(path.name):
            continue  # region.yaml, or a misnamed file that layout.stray_files reports
        snap_raw = read_yaml(path, parsed, data_dir)
        problems += snap_raw.problems
        if snap_raw.root is None:
            continue
        structure = schema.checked(schema.SNAPSHOT, snap_raw, parsed)
        problems += structure
        if structure or subregions is None:
            continue
        sr = Reader(snap_raw.shown, problems)
        snapshot = SnapshotReader(sr, folder.name, subregions).read(snap_raw.root)
        if snapshot is None:
            continue
        date_raw = snap_raw.root.value["date"]
        if WHEN_RE.match(path.stem) and path.stem != snapshot.date.isoformat():
            sr.problem(date_raw, "date", f"{snapshot.date.isoformat()} differs from the file name ({path.name})")
        if snapshot.date in snapshots and str(snapshots[snapshot.date].date) == str(snapshot.date):
            sr.problem(date_raw, "date", f"{snapshot.date.isoformat()} is also the date of "
                                         f"{snapshots[snapshot.date].path} (one snapshot per date)")
            continue
        if clash := next((s for s in snapshots.values() if snapshot.date.overlaps(s.date)), None):
            sr.problem(date_raw, "date",
                       f"{snapshot.date.isoformat()} overlaps {clash.date.isoformat()} ({clash.path}): "
                       "a month or a year holds its days, so the order of the two is unknown (one snapshot per date)")
            continue
        snapshots[snapshot.date] = snapshot
    return snapshots
