#!/usr/bin/env python3
"""Chart spec building time per builder; a benchmark, not a test.

Each chart builder (generator/charts/: target.py, ranking.py, history.py,
tiles.py, change.py) is called with made-up but realistic arguments (seeded:
the same run gives the same calls), validate=False as the site build calls
them. Reported per builder, in milliseconds a spec:

- first: the very first call in the process (Altair builds the spec; with
  templates, the first of its shape);
- pass 1: the mean over N calls of varied shapes (includes each shape's first call);
- pass 2: the mean over N more calls with other figures (nearly every shape
  seen before: the cost that a national build pays tens of thousands of
  times);
- shapes: how many templates the builder has made by then (generator/charts/template.py
  builds each shape once with Altair; "-" for a tree without templates).

    bench/charts.py                  this working tree's chart builders
    bench/charts.py --repo DIR       the generator package of another tree (a checkout of an older commit)
    bench/charts.py -n 300
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import random
import sys
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent


def _names(rng: random.Random, n: int) -> list[str]:
    words = ["Kabupaten", "Kota"]
    stems = ["Hulu", "Hilir", "Tengah", "Barat", "Timur", "Utara", "Selatan", "Raya", "Pesisir", "Pelabuhan"]
    return [f"{rng.choice(words)} {rng.choice(stems)} {i:02d}" for i in range(n)]


def ranking_args(rng: random.Random) -> tuple[tuple, dict]:
    n = rng.choice([5, 8, 10, 13, 15, 23, 38])
    rows = [{"name": name, "coverage": round(rng.uniform(2, 45), 1), "highlight": False, "ambiguous": False}
            for name in _names(rng, n)]
    if rng.random() < 0.8:  # a regency's page: its own bar highlighted
        rng.choice(rows)["highlight"] = True
    if rng.random() < 0.3:
        rows.append({"name": rows[0]["name"], "coverage": round(rng.uniform(2, 45), 1), "highlight": False,
                     "ambiguous": True})
    targets = [{"year": 2024 + i, "coverage": round(rng.uniform(20, 50), 2)} for i in range(rng.choice([0, 2, 3]))]
    province = round(rng.uniform(10, 40), 2) if rng.random() < 0.95 else None
    return (rows,), {"province": province, "targets": targets, "title": "Cakupan per kabupaten/kota",
                     "subtitle": f"Per {rng.randint(1, 28)} Juli 2024", "description": f"Peringkat {n}."}


def history_args(rng: random.Random) -> tuple[tuple, dict]:
    n = rng.choice([2, 3, 6, 12, 24])
    start = dt.date(2023, 12, 31)
    points = [{"date": (start + dt.timedelta(days=30 * i + rng.randint(0, 3))).isoformat(),
               "coverage": round(rng.uniform(15, 35), 2), "estimate": rng.random() < 0.2} for i in range(n)]
    targets = [{"year": 2024 + i, "coverage": round(rng.uniform(25, 45), 2)} for i in range(rng.choice([0, 2, 3]))]
    decimals = rng.choice([1, 2])
    return (points,), {"targets": targets, "title": "Cakupan dari waktu ke waktu", "decimals": decimals,
                       "subtitle": "Titik per tanggal data", "description": f"Riwayat {n} titik."}


def target_args(rng: random.Random) -> tuple[tuple, dict]:
    targets = [{"year": 2024 + i, "coverage": round(rng.uniform(20, 50), 2)} for i in range(rng.choice([1, 2, 3]))]
    return (round(rng.uniform(2, 45), 2), targets), {"title": "Cakupan dan targetnya", "subtitle": "Per 31 Juli 2024",
                                                      "description": "Cakupan dan target."}


def tile_args(rng: random.Random) -> tuple[tuple, dict]:
    n = rng.choice([5, 8, 10, 13, 15, 23, 38])
    cols = max(2, round(n ** 0.5 + 0.5))
    rows = []
    for i, name in enumerate(_names(rng, n)):
        cov = round(rng.uniform(2, 45), 1) if rng.random() < 0.9 else None
        rows.append({"name": name, "short": name.split(" ", 1)[1], "x": i % cols, "y": i // cols, "coverage": cov})
    return (rows,), {"title": "Peta cakupan", "subtitle": "Per 31 Juli 2024", "description": f"Peta {n} petak."}


def change_args(rng: random.Random) -> tuple[tuple, dict]:
    parts = [
        {"label": "Perubahan jumlah peserta", "points": round(rng.uniform(-3, 3), 2)},
        {"label": "Perubahan perkiraan pekerja", "points": round(rng.uniform(-3, 3), 2)},
    ]
    parts.append({"label": "Perubahan cakupan", "points": round(sum(p["points"] for p in parts), 2), "total": True})
    return (parts,), {"title": "Mengapa cakupan berubah", "subtitle": "Juni ke Juli 2024",
                      "description": "Perubahan."}


CASES: dict[str, Callable[[random.Random], tuple[tuple, dict]]] = {
    "history_chart": history_args,
    "ranking_chart": ranking_args,
    "target_chart": target_args,
    "tile_map": tile_args,
    "change_chart": change_args,
}


# The module of each builder under generator/charts/ (a tree from before the split has them all in core.py).
MODULES = {"history_chart": "history", "ranking_chart": "ranking", "target_chart": "target", "tile_map": "tiles",
           "change_chart": "change"}


def builder_of(name: str) -> Callable:
    try:
        module = importlib.import_module(f"generator.charts.{MODULES[name]}")
    except ModuleNotFoundError:
        module = importlib.import_module("generator.charts.core")
    return getattr(module, name)


def made_templates() -> int | None:
    """How many templates the process holds (None: a tree without them)."""
    for name in ("generator.charts.template", "generator.charts.core"):
        try:
            shaped = importlib.import_module(name).__dict__.get("_SHAPED")
        except ModuleNotFoundError:
            continue
        if shaped is not None:
            return sum(t.cache_info().currsize for t in shaped)
    return None


def calls(name: str, n: int, seed: int) -> list[tuple[tuple, dict]]:
    rng = random.Random(f"{name}-{seed}")
    return [CASES[name](rng) for _ in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", type=Path, default=REPO, help="the tree whose generator package is measured")
    parser.add_argument("-n", type=int, default=100, help="calls per builder and pass (default 100)")
    args = parser.parse_args()
    sys.path.insert(0, str(args.repo.resolve()))
    import generator.charts

    print(f"{Path(generator.charts.__file__).parent}, {args.n} calls a pass, validate=False; ms a spec")
    print(f"{'builder':<15}{'first':>9}{'pass 1':>9}{'pass 2':>9}{'shapes':>8}")
    made_before = 0
    for name in CASES:
        builder = builder_of(name)
        first, *rest = calls(name, args.n, 1)
        times = []
        for batch in ([first], rest, calls(name, args.n, 2)):
            start = time.perf_counter()
            for a, kw in batch:
                builder(*a, **kw, validate=False)
            times.append((time.perf_counter() - start) * 1000 / len(batch))
        shapes = made_templates()
        made = "-" if shapes is None else f"{shapes - made_before}"
        made_before = shapes or 0
        print(f"{name:<15}{times[0]:>9.2f}{times[1]:>9.2f}{times[2]:>9.2f}{made:>8}")

if __name__ == "__main__":
    main()
