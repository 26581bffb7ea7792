"""Where a figure a source stated and the same figure computed from other stated figures disagree: a data note.

Some disagreements are errors in the data and stop the build (data/snapshot.py): a
stated coverage that participants / workforce cannot give within the rounding
of all three. Others are what sources publish: a target's head count worked
out on another workforce estimate than the one stated beside it, or a gap
that the target and the participant count do not give. Neither figure is
wrong to print (each is shown as published and credited), but a reader who
does the sum would find the report contradicting itself; so the report says
so, in a data note, with both figures and no more digits than they support.

"Disagree" is the methodology's rule for every comparison: the two intervals
(interval.py) do not overlap, so no reading of the figures' rounding makes
them agree. A note is computed, so it is credited to no source.
"""

from __future__ import annotations

from generator.facts import fmt
from generator.facts.indicators import Computed, Headline, TargetGap
from generator.data.model import Note, Snapshot

PREFIX = "selisih-dihitung-"  # the notes' ids (and #catatan-… anchors), apart from the data's own


def notes(snap: Snapshot, h: Headline) -> tuple[Note, ...]:
    """A data note for each stated figure that its computed counterpart contradicts."""
    out = []
    for g in h.targets:
        out += [n for n in (_target_head_count(g, h, snap), _target_gap(g, h)) if n is not None]
    taken = {n.id for n in snap.notes}
    return tuple(n for n in out if n.id not in taken)


def _name(g: TargetGap) -> str:
    return f"Target {fmt.target_year(g.year)}"


def _target_head_count(g: TargetGap, h: Headline, snap: Snapshot) -> Note | None:
    """The target as a head count against target coverage × the workforce stated (or known) on this date."""
    t, w = g.target, h.workforce
    if t.participants is None or w is None:
        return None
    implied = Computed(t.coverage.value / 100 * w.value, "target / 100 × workforce", exact=False,
                       interval=t.coverage.interval / 100 * w.interval)
    if implied.interval.overlaps(t.participants.interval):
        return None
    workforce_needed = Computed(t.participants.value / (t.coverage.value / 100), "target participants / (target / 100)",
                                exact=False, interval=t.participants.interval / (t.coverage.interval / 100))
    text = (f"{_name(g)} ({fmt.pct(t.coverage)}) disebut setara {fmt.count(t.participants)} peserta, tetapi "
            f"{fmt.pct(t.coverage)} dari {fmt.count(w)} potensi pekerja per {fmt.long_date(snap.date)} adalah {fmt.count(implied)} "
            f"peserta. Jumlah peserta target itu berarti potensi pekerja {fmt.count(workforce_needed)} "
            "(dihitung): tampaknya target dihitung dengan perkiraan jumlah pekerja yang lain. Kekurangan peserta "
            "di laporan ini dihitung dari jumlah peserta target yang disebut sumber.")
    return Note(f"{PREFIX}target-{g.year or 'tanpa-tahun'}-peserta", text, "problem", None)


def _target_gap(g: TargetGap, h: Headline) -> Note | None:
    """A gap the source stated against the target's participants less the participants."""
    stated, computed = g.target.gap, g.gap_workers
    if stated is None or computed is None or computed.interval.overlaps(stated.interval):
        return None
    text = (f"{stated.source.publisher} menyebut kekurangan {fmt.count(stated)} peserta untuk "
            f"{_name(g).lower()}, sedangkan target {fmt.count(g.target_participants)} peserta dikurangi "
            f"{fmt.count(h.participants)} peserta menyisakan {fmt.count(computed)} (dihitung). Selisih itu lebih "
            "besar daripada pembulatan angka-angkanya; laporan ini menampilkan kekurangan yang disebut sumber.")
    return Note(f"{PREFIX}target-{g.year or 'tanpa-tahun'}-kekurangan", text, "problem", None)
