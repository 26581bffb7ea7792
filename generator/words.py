"""Sentences in Indonesian, generated from the indicators, each with its sources.

Every figure in a sentence comes from the data or from indicators.py; a
sentence that would need a figure the data does not hold is not written.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import fmt
from .indicators import Change, Headline, SubregionStats
from .model import Figure, Region, Snapshot, Source


@dataclass(frozen=True)
class Fact:
    text: str
    sources: tuple[Source, ...]


def _sources(*figures: Figure | None) -> tuple[Source, ...]:
    out: list[Source] = []
    for f in figures:
        if f is not None and f.source not in out:
            out.append(f.source)
    return tuple(out)


def headline(region: Region, snap: Snapshot, h: Headline) -> Fact:
    when = fmt.long_date(snap.date)
    text = f"Per {when}, cakupan kepesertaan Jamsostek di {region.name} sebesar {fmt.pct(h.coverage)}"
    if h.participants and h.workforce:
        text += (f": {fmt.count(h.participants)} peserta BPJS Ketenagakerjaan dari "
                 f"{fmt.count(snap.workforce or h.workforce)} potensi pekerja")
    return Fact(text + ".", _sources(snap.coverage, snap.participants, snap.workforce))


def targets(region: Region, snap: Snapshot, h: Headline) -> list[Fact]:
    out = []
    for g in h.targets:
        t = g.target
        if g.met:
            text = (f"Cakupan ini sudah melampaui target {g.year} sebesar {fmt.pct(t.coverage)} "
                    f"({fmt.points(-g.gap_points.value)}).")
        else:
            text = f"Untuk mencapai target {g.year} sebesar {fmt.pct(t.coverage)}, cakupan perlu naik {fmt.points(g.gap_points.value, sign=False)}"
            if g.gap_workers is not None:
                text += f", atau bertambah {fmt.count(g.gap_workers.value, g.gap_workers.exact)} peserta"
                if g.per_month is not None:
                    text += (f": {fmt.count(g.per_month.value, g.gap_workers.exact)} peserta baru setiap bulan "
                             f"hingga akhir {g.year}")
            text += "."
        out.append(Fact(text, _sources(t.coverage, t.participants, snap.coverage, snap.participants)))
    return out


def subregions(region: Region, snap: Snapshot, stats: SubregionStats) -> Fact | None:
    if stats.count < 2:
        return None
    top, bottom = stats.rows[0], stats.rows[-1]
    text = (f"Di antara {stats.count} {region.parts} dengan angka yang jelas, cakupan tertinggi di "
            f"{top.subregion.name} ({fmt.pct(top.figure.coverage)}) dan terendah di "
            f"{bottom.subregion.name} ({fmt.pct(bottom.figure.coverage)}); "
            f"{stats.below_province} daerah berada di bawah angka {region.whole}.")
    return Fact(text, _sources(top.figure.coverage, bottom.figure.coverage))


def change(region: Region, c: Change) -> Fact:
    direction = "naik" if c.points.value > 0 else "turun" if c.points.value < 0 else "tetap"
    text = f"Dibandingkan {fmt.long_date(c.before.date)}, cakupan {direction}"
    if c.points.value:
        text += f" {fmt.points(abs(c.points.value), sign=False)}"
    if c.participants is not None and c.due_to_participants is not None:
        more = c.participants.value >= 0
        people = fmt.count(abs(c.participants.value), c.participants.exact)
        joined = (" meski" if (more and c.points.value < 0) or (not more and c.points.value > 0) else ",")
        text += f"{joined} jumlah peserta {'bertambah' if more else 'berkurang'} {people} orang"
        text += (f". Perubahan peserta menyumbang {fmt.points(c.due_to_participants.value)}, "
                 f"perubahan perkiraan jumlah pekerja {fmt.points(c.due_to_workforce.value)}")
    figures = (c.before.coverage, c.after.coverage, c.before.participants, c.after.participants,
               c.before.workforce, c.after.workforce)
    return Fact(text + ".", _sources(*figures))


def subregion(region: Region, sub, current: dict) -> Fact:
    fig = current["figure"]
    text = f"Per {fmt.long_date(current['date'])}, cakupan Jamsostek di {sub.name} sebesar {fmt.pct(fig.coverage)}"
    if current["rank"]:
        text += f", peringkat {current['rank']} dari {current['count']} {region.parts} dengan angka yang jelas"
    diff = current["vs_province"]
    if round(diff, 1) == 0:
        text += f", setara angka {region.whole} ({fmt.pct(current['province'])})"
    else:
        where = "di atas" if diff > 0 else "di bawah"
        text += f", {fmt.points(abs(diff), 1, sign=False)} {where} angka {region.whole} ({fmt.pct(current['province'])})"
    return Fact(text + ".", _sources(fig.coverage))
