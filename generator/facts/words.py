"""Sentences in Indonesian, generated from the indicators, each with its sources.

Every figure in a sentence comes from the data or from indicators.py; a
sentence that would need a figure the data does not hold is not written.
A published figure is credited to its source; a computed one says "dihitung"
and a sentence made only of computed figures is credited to no source (the
page shows "dihitung dari angka sumber" instead). A figure from another date
than the report's, or over part of the sub-regions, says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date

from generator.facts import fmt
from generator.facts.indicators import Change, Computed, Headline, SubregionStats
from generator.data.model import Figure, Region, Snapshot, Source


@dataclass(frozen=True)
class Fact:
    text: str
    sources: tuple[Source, ...]


def _sources(*figures: Figure | None) -> tuple[Source, ...]:
    out: list[Source] = []
    for f in figures:
        if f is not None and f.derived is None and f.source not in out:
            out.append(f.source)
    return tuple(out)


def headline(region: Region, snap: Snapshot, h: Headline) -> Fact:
    when = fmt.long_date(snap.date)
    text = f"Per {when}, cakupan kepesertaan Jamsostek di {region.name} sebesar {fmt.pct(h.coverage)}"
    if snap.coverage is None:
        text += " (dihitung dari peserta ÷ potensi pekerja)"
    if h.participants and h.workforce:
        workforce = snap.workforce or h.workforce
        text += (f": {fmt.count(h.participants)} peserta BPJS Ketenagakerjaan"
                 f"{'' if snap.participants else ' (dihitung dari cakupan × potensi pekerja)'} dari "
                 f"{fmt.count(workforce)} potensi pekerja"
                 f"{'' if snap.workforce else ' (dihitung dari peserta ÷ cakupan)'}")
    return Fact(text + ".", _sources(snap.coverage, snap.participants, snap.workforce))


def targets(region: Region, snap: Snapshot, h: Headline) -> list[Fact]:
    """Per target: what the source set (credited), what it means (computed, credited to no one),
    and a gap the source itself stated (credited)."""
    out = []
    for g in h.targets:
        t = g.target
        head = f"Target {fmt.target_year(g.year)} sebesar {fmt.pct(t.coverage)}"
        if t.participants is not None:
            head += f", setara {fmt.count(t.participants)} peserta"
        out.append(Fact(head + ".", _sources(t.coverage, t.participants)))
        if g.met:
            text = f"Cakupan per {fmt.long_date(snap.date)} sudah melampaui target itu ({fmt.points(-g.gap_points)})."
        else:
            text = f"Untuk mencapainya, cakupan perlu naik {fmt.points(g.gap_points, sign=False)}"
            if g.gap_workers is not None and t.gap is None:
                basis = "target peserta itu" if t.participants is not None else "potensi pekerja"
                text += f", atau bertambah {fmt.count(g.gap_workers)} peserta (dari {basis})"
            if g.per_month is not None:  # never for a target without a year: no months left to count
                text += f": {fmt.count(g.per_month)} peserta baru setiap bulan hingga akhir {g.year}"
                if t.gap is not None:  # the pace of the stated gap, the one the page shows
                    text += ", dari kekurangan yang disebut sumber"
            text += "."
        out.append(Fact(text, ()))
        if t.gap is not None and not g.met:
            stated = Fact(f"{t.gap.source.publisher} menyebut kekurangan {fmt.count(t.gap)} peserta untuk target {fmt.target_year(g.year)}.",
                          _sources(t.gap))
            out.append(stated)
    return out


def _figure(f: Figure) -> str:
    return fmt.pct(f) + (", dihitung dari peserta ÷ potensi pekerja" if f.derived is not None else "")


def _names(rows) -> str:
    """Sub-regions that share a rank, each with its own figure: "Kabupaten Dua (37,4 %) dan Kabupaten Satu (37 %)"."""
    names = [f"{r.subregion.name} ({_figure(r.figure.coverage)})" for r in rows]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " dan " + names[-1]


def subregions(region: Region, snap: Snapshot, stats: SubregionStats, report: Date | None = None) -> Fact | None:
    """The highest and lowest sub-regions (ties named together), over how many of how many, as of when."""
    if stats.count < 2:
        return None
    top = [r for r in stats.rows if r.rank == stats.rows[0].rank]
    last = stats.rows[-1].rank
    bottom = [r for r in stats.rows if r.rank == last]
    if top == bottom:
        return None  # every figure ties within its rounding: no highest, no lowest
    when = f"Per {fmt.long_date(snap.date)}, d" if report is not None and report != snap.date else "D"
    of = f"{stats.count} dari {stats.total}" if stats.partial else f"{stats.count}"
    below = (f"{stats.below_province} daerah berada di bawah angka {region.whole}" if stats.below_province
             else f"tidak ada daerah yang pasti berada di bawah angka {region.whole}")
    text = (f"{when}i antara {of} {region.parts} dengan angka yang jelas, cakupan tertinggi di "
            f"{_names(top)} dan terendah di {_names(bottom)}; {below}.")
    return Fact(text, _sources(*(r.figure.coverage for r in top + bottom)))


def _split(c: Change) -> str:
    p, w = c.due_to_participants, c.due_to_workforce
    if p.exact and w.exact:
        return (f". Perubahan peserta menyumbang {fmt.points(p)}, "
                f"perubahan perkiraan jumlah pekerja {fmt.points(w)}")
    if p.interval.sign is None or w.interval.sign is None:
        return (". Angka sumber terlalu bulat untuk memastikan arah tiap bagian perubahan (peserta atau "
                "perkiraan jumlah pekerja)")
    dp, dw = fmt.points_range(p.interval), fmt.points_range(w.interval)
    within = "Dalam batas pembulatan angka sumber, p" if "hingga" in dp + dw else "P"
    return f". {within}erubahan peserta menyumbang {dp}, perubahan perkiraan jumlah pekerja {dw}"


def change(region: Region, c: Change) -> Fact:
    sign = c.points.interval.sign
    text = f"Dibandingkan {fmt.long_date(c.before.date)}, cakupan per {fmt.long_date(c.after.date)} "
    if sign is None:
        text += "tidak berubah lebih dari pembulatan angka sumber"
    elif sign == 0:
        text += "tetap"
    else:
        size = c.points if sign > 0 else -c.points
        text += f"{'naik' if sign > 0 else 'turun'} {fmt.points(size, sign=False)}"
    if c.participants is not None and c.due_to_participants is not None:
        more = c.participants.value >= 0
        people = fmt.count(c.participants if more else -c.participants)
        joined = (" meski" if (more and c.points.value < 0) or (not more and c.points.value > 0) else ",")
        text += f"{joined} jumlah peserta {'bertambah' if more else 'berkurang'} {people} orang"
        text += _split(c)
    return Fact(text + "." + _basis_differs(c), ())


def _basis_differs(c: Change) -> str:
    """Compared figures counted on different bases: said, so the change is not read as like for like."""
    out = []
    for name, a, b in (("cakupan", c.before.coverage, c.after.coverage),
                       ("peserta", c.before.participants, c.after.participants),
                       ("potensi pekerja", c.before.workforce, c.after.workforce)):
        if a is not None and b is not None and a.basis != b.basis:
            out.append(f"{name} per {fmt.long_date(c.before.date)}: {a.basis or 'tidak disebut'}; "
                       f"per {fmt.long_date(c.after.date)}: {b.basis or 'tidak disebut'}")
    if not out:
        return ""
    return (" Dasar hitungan angka yang dibandingkan berbeda (" + "; ".join(out)
            + "), jadi perubahan ini tidak sepenuhnya sebanding.")


def subregion(region: Region, sub, current: dict) -> Fact:
    fig = current["figure"]
    text = f"Per {fmt.long_date(current['date'])}, cakupan Jamsostek di {sub.name} sebesar {fmt.pct(fig.coverage)}"
    if current["rank"]:
        text += f", peringkat {current['rank']} dari {current['count']} {region.parts} dengan angka yang jelas"
    diff: Computed = current["vs_province"]
    if diff.interval.sign is None or fmt.points(diff, 1, sign=False).startswith(("0\u00a0", "sekitar 0\u00a0")):
        text += f", setara angka {region.whole} ({fmt.pct(current['province'])})"
    else:
        where = "di atas" if diff.value > 0 else "di bawah"
        text += f", {fmt.points(diff if diff.value > 0 else -diff, 1, sign=False)} {where} angka {region.whole} ({fmt.pct(current['province'])})"
    return Fact(text + ".", _sources(fig.coverage, current["province"].stated))
