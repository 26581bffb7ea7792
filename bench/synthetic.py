"""A synthetic national dataset for the benchmark: deterministic, clearly made up.

Why this exists: the shipped data is one province with four snapshots; a
build of the whole country (38 provinces, 514 regencies and cities, two
years of monthly snapshots) behaves differently, and nobody should have to
wait for real data to find that out. Every name here says "Sintetis", every
figure comes from a seeded generator (the same arguments give the same
bytes), and nothing is ever written into the repository's data/ folder.

The provinces have the sizes of Indonesia's 38 provinces (5 to 38
sub-regions, 514 in all), because a province's chart and page costs grow
with its number of sub-regions; the names and figures are invented.

    python bench/synthetic.py OUT_DIR [--provinces N] [--snapshots M]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from datetime import date as Date
from pathlib import Path

# Sub-regions per province, the sizes of Indonesia's 38 provinces (sum 514).
NATIONAL_SIZES = (23, 33, 19, 12, 11, 17, 10, 15, 7, 7, 6, 27, 35, 5, 38, 8, 9, 10, 22, 14, 14, 13, 10, 5, 15,
                  13, 24, 17, 6, 6, 11, 10, 9, 7, 4, 8, 8, 6)
# --small: six provinces spanning the same range of sizes (75 sub-regions).
SMALL_SIZES = (15, 6, 23, 10, 8, 13)
SEED = 20240131
FIRST_MONTH = (2024, 1)  # snapshots are month ends from January 2024

assert sum(NATIONAL_SIZES) == 514 and len(NATIONAL_SIZES) == 38


def month_end(index: int) -> Date:
    """The last day of the index-th month from FIRST_MONTH."""
    year, month = FIRST_MONTH[0] + (FIRST_MONTH[1] - 1 + index) // 12, (FIRST_MONTH[1] - 1 + index) % 12 + 1
    following = Date(year + month // 12, month % 12 + 1, 1)
    return Date.fromordinal(following.toordinal() - 1)


def slug(province: int) -> str:
    return f"provinsi-sintetis-{province:02d}"


class Province:
    """One synthetic province: its sub-regions and a model of its figures over time."""

    def __init__(self, number: int, size: int):
        rng = random.Random(SEED * 100 + number)
        self.number, self.size = number, size
        self.name = f"Sintetis {number:02d}"  # (pages say "Provinsi Sintetis 01")
        self.workforce = 400_000 + int(rng.random() * 6_000_000)
        self.start = 14.0 + rng.random() * 16.0  # coverage in January 2024, percent
        self.pace = 0.05 + rng.random() * 0.25  # points a month
        self.targets = {2024: round(self.start + 4 + rng.random() * 3, 2), 2025: round(self.start + 8 + rng.random() * 4, 2),
                        2026: round(self.start + 12 + rng.random() * 5, 2)}
        cols = math.ceil(math.sqrt(size))
        self.subregions = []
        for i in range(1, size + 1):
            kota = i > size - max(1, size // 5)  # the last fifth are cities
            kind = "kota" if kota else "kabupaten"
            name = f"{'Kota' if kota else 'Kabupaten'} Sintetis {number:02d}-{i:02d}"
            self.subregions.append({
                "code": f"{number:02d}{(70 + i) if kota else i:02d}", "name": name, "kind": kind,
                "short": f"{'Kota' if kota else 'Kab'} {i:02d}", "x": (i - 1) % cols, "y": (i - 1) // cols,
                "base": max(2.0, self.start * (0.4 + rng.random() * 1.4)), "pace": self.pace * (0.5 + rng.random()),
                "noise": [rng.random() - 0.5 for _ in range(64)],
            })

    def target(self, year: int) -> float:
        """The target for a year: drawn for 2024-2026, four points a year further after (bench/run --again
        adds a month each run, into 2027 and on)."""
        return self.targets.get(year, round(self.targets[2026] + 4 * (year - 2026), 2))

    def region_yaml(self) -> str:
        lines = [f"# SYNTHETIC: {self.name} is made up for the benchmark (bench/synthetic.py).",
                 f"name: {self.name}", "kind: provinsi", f'code: "{self.number:02d}"', "code_system: bps", "subregions:"]
        for s in self.subregions:
            lines.append(f'  - {{code: "{s["code"]}", name: {s["name"]}, kind: {s["kind"]}, short: {s["short"]}, '
                         f'tile: {{x: {s["x"]}, y: {s["y"]}}}}}')
        return "\n".join(lines) + "\n"

    def snapshot_yaml(self, index: int) -> str:
        when = month_end(index)
        workforce = self.workforce + (when.year - 2024) * self.workforce // 50  # a new estimate each January
        coverage = self.start + self.pace * index + 0.1 * math.sin(index + self.number)
        participants = round(workforce * coverage / 100)
        lines = [
            f"# SYNTHETIC figures for the benchmark: {self.name}, month {index + 1}.",
            f"date: {when.isoformat()}",
            "sources:",
            "  - id: sintetis",
            "    publisher: Sumber Sintetis",
            f"    title: Angka sintetis {self.name} untuk uji kinerja",
            f"    url: https://example.org/sintetis/{self.number:02d}/{when.isoformat()}",
            f"participants: {participants}",
            f"workforce: {workforce}",
            f"coverage: {round(100 * participants / workforce, 2)}",
            "targets:",
        ]
        for year in range(when.year, max(max(self.targets), when.year) + 1):  # (this year's and the later ones)
            lines += [f"  - year: {year}", f"    coverage: {self.target(year)}"]
        lines.append("subregions:")
        for i, s in enumerate(self.subregions):
            if (i * 7 + index * 3 + self.number) % 29 == 0:
                continue  # now and then a sub-region is missing from a release
            value = s["base"] + s["pace"] * index + s["noise"][index % 64]
            lines.append(f"  - {{name: {s['name']}, coverage: {min(95.0, max(0.5, round(value, 2)))}}}")
        if index % 6 == 5:
            lines += ["notes:", "  - id: catatan-sintetis", "    kind: info",
                      "    text: Catatan sintetis setiap enam bulan, untuk uji kinerja."]
        return "\n".join(lines) + "\n"


def sizes_for(provinces: int) -> tuple[int, ...]:
    if provinces == len(SMALL_SIZES):
        return SMALL_SIZES
    return tuple(NATIONAL_SIZES[i % len(NATIONAL_SIZES)] for i in range(provinces))


def generate(out: Path, provinces: int = 38, snapshots: int = 24, sizes: tuple[int, ...] | None = None) -> dict:
    """Write data/<province>/region.yaml and its snapshots under out; return a summary."""
    sizes = sizes or sizes_for(provinces)
    out.mkdir(parents=True, exist_ok=True)
    for number, size in enumerate(sizes, start=1):
        p = Province(number, size)
        folder = out / slug(number)
        folder.mkdir(exist_ok=True)
        (folder / "region.yaml").write_text(p.region_yaml(), encoding="utf-8")
        for index in range(snapshots):
            (folder / f"{month_end(index).isoformat()}.yaml").write_text(p.snapshot_yaml(index), encoding="utf-8")
    return {"provinces": len(sizes), "subregions": sum(sizes), "snapshots": len(sizes) * snapshots}


def add_snapshot(out: Path, province: int, index: int, sizes: tuple[int, ...]) -> Path:
    """One more monthly snapshot for one province (what a new release adds)."""
    p = Province(province, sizes[province - 1])
    path = out / slug(province) / f"{month_end(index).isoformat()}.yaml"
    path.write_text(p.snapshot_yaml(index), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="the data folder to write (never the repository's data/)")
    ap.add_argument("--provinces", type=int, default=38)
    ap.add_argument("--snapshots", type=int, default=24)
    args = ap.parse_args(argv)
    repo_data = (Path(__file__).resolve().parent.parent / "data").resolve()
    if args.out.resolve() == repo_data or repo_data in args.out.resolve().parents:
        ap.error("refusing to write synthetic data into the repository's data/ folder")
    summary = generate(args.out, args.provinces, args.snapshots)
    print(f"wrote {summary['provinces']} provinces, {summary['subregions']} sub-regions, "
          f"{summary['snapshots']} snapshots into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
