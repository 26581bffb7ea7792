"""A sub-region's coverage over the region's snapshots, for its own page's table and chart.

Each point keeps the figure itself (not only its value), so the page and the
chart print it with the digits its source gave: a regency's "37 %" stays
"37 %", its "37,4 %" stays "37,4 %", and a coverage computed from its
participants and workforce says "sekitar" when its rounding calls for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date

from generator.data.model import Figure, Region, SubRegion


@dataclass(frozen=True)
class HistoryPoint:
    date: Date
    figure: Figure | None  # the clear coverage figure that day; None: none
    ambiguous: tuple[Figure, ...]  # figures of unclear attribution
    ranked: str | None  # where a value-less ranking puts it, in words ("tertinggi ke-1")

    @property
    def coverage(self) -> float | None:
        return None if self.figure is None else self.figure.value


def subregion_history(region: Region, sub: SubRegion) -> tuple[HistoryPoint, ...]:
    out = []
    for snap in region.snapshots:
        figs = [f for f in snap.subregions if f.subregion.slug == sub.slug and f.coverage is not None]
        clear = next((f.coverage for f in figs if not f.ambiguous), None)
        unclear = tuple(f.coverage for f in figs if f.ambiguous)
        out.append(HistoryPoint(snap.date, clear, unclear, _ranked(snap, sub)))
    return tuple(out)


def _ranked(snap, sub: SubRegion) -> str | None:
    """Where the snapshot's value-less rankings put the sub-region, each with who ranked it."""
    ranked = []
    for ranking in snap.rankings:
        who = ", ".join(dict.fromkeys(s.publisher for s in ranking.sources))
        if sub in ranking.highest:
            ranked.append(f"tertinggi ke-{ranking.highest.index(sub) + 1} menurut {who}")
        if sub in ranking.lowest:
            from_bottom = len(ranking.lowest) - ranking.lowest.index(sub)
            ranked.append(("terendah" if from_bottom == 1 else f"terendah ke-{from_bottom}") + f" menurut {who}")
    return "; ".join(ranked) or None
