"""The meaning of a snapshot file: its sources, figures, targets, sub-regions, rankings and notes.

Its structure is checked first against data/schema/snapshot.schema.json; what
is left here needs more than one value at a time, or the region: a source
named by a figure but not listed, a sub-region name that is not in region.yaml
(with the closest one suggested), a stated coverage that disagrees with its
own counts beyond their rounding, a target year given twice, a note id that
no note has.
"""

from __future__ import annotations

import difflib

from generator.data.check import MAX_COUNT, MAX_LONG_TEXT, YEARS, Reader, decimals, describe, join
from generator.data.interval import Interval
from generator.data.load import Raw
from generator.data.model import (NOTE_KINDS, UNKNOWN_YEAR, Figure, Note, Ranking, Segment, Snapshot, Source,
                                  SubFigure, SubRegion, Target)
from generator.data.names import SLUG_RE, fold

_SNAPSHOT_KEYS = (
    ("date", "sources"),
    ("participants", "workforce", "coverage", "targets", "subregions", "rankings", "segments", "notes"),
)
_SOURCE_KEYS = (("id", "publisher"), ("title", "url", "date", "about"))
_FIGURE_KEYS = (("value",), ("source", "rounded_to", "stated", "approximate", "note", "basis"))


class SnapshotReader:
    def __init__(self, r: Reader, region_slug: str, subregions: list[SubRegion]):
        self.r = r
        self.region = region_slug
        self.sources: dict[str, Source] = {}
        self.default: Source | None = None
        self.by_name: dict[str, SubRegion] = {}
        for s in subregions:
            for n in (s.name, s.code, *s.aliases):
                self.by_name[fold(n)] = s

    def read(self, raw: Raw) -> Snapshot | None:
        r = self.r
        top = r.mapping(raw, "", *_SNAPSHOT_KEYS)
        if top is None:
            return None
        when = r.date(top.get("date"), "date")
        self._sources(top.get("sources"))
        participants = self.figure(top.get("participants"), "participants", "count")
        workforce = self.figure(top.get("workforce"), "workforce", "workforce")
        coverage = self.figure(top.get("coverage"), "coverage", "percent")
        if "coverage" not in top and not ("participants" in top and "workforce" in top):
            r.problem(raw, "coverage", "no coverage for the region (coverage, or participants and workforce, expected)")
        self.consistent(participants, workforce, coverage, "", raw)
        notes = self._notes(top.get("notes"))
        targets = self._targets(top.get("targets"))
        subfigures = self._subfigures(top.get("subregions"), {n.id for n in notes})
        rankings = self._rankings(top.get("rankings"))
        segments = self._segments(top.get("segments"))
        if when is None:
            return None
        return Snapshot(
            region=self.region, date=when, path=r.shown, sources=tuple(self.sources.values()),
            participants=participants, workforce=workforce, coverage=coverage, targets=targets,
            subregions=subfigures, rankings=rankings, segments=segments, notes=notes,
        )

    def _sources(self, raw: Raw | None) -> None:
        r = self.r
        entries = r.items(raw, "sources")
        if raw is not None and not entries and isinstance(raw.value, list):
            r.problem(raw, "sources", "is empty (at least one source expected)")
        for key, item in entries:
            m = r.mapping(item, key, *_SOURCE_KEYS)
            if m is None:
                continue
            sid = r.text(m.get("id"), f"{key}.id")
            publisher = r.text(m.get("publisher"), f"{key}.publisher")
            source = Source(
                id=sid or "", publisher=publisher or "", title=r.text(m.get("title"), f"{key}.title", MAX_LONG_TEXT),
                url=r.url(m.get("url"), f"{key}.url"), date=r.date(m.get("date"), f"{key}.date"),
                about=r.text(m.get("about"), f"{key}.about", MAX_LONG_TEXT),
            )
            if sid is not None and not SLUG_RE.match(sid):  # it becomes part of an HTML id
                r.problem(m["id"], f"{key}.id", f'"{sid}" is not a simple id (lowercase a-z, 0-9 and - expected)')
            if sid is None or publisher is None:
                continue
            if sid in self.sources:
                r.problem(m["id"], f"{key}.id", f'"{sid}" appears twice')
                continue
            self.sources[sid] = source
            self.default = self.default or source

    def source(self, raw: Raw | None, key: str) -> Source | None:
        if raw is None:
            return self.default
        sid = self.r.text(raw, key)
        if sid is None:
            return None
        if sid not in self.sources:
            known = ", ".join(self.sources) or "none listed"
            self.r.problem(raw, key, f'"{sid}" is not a source of this snapshot (known: {known})')
            return None
        return self.sources[sid]

    def figure(self, raw: Raw | None, key: str, kind: str) -> Figure | None:
        """A number, or a mapping {value, source, rounded_to, stated, approximate, note}."""
        r = self.r
        if raw is None:
            return None
        if isinstance(raw.value, dict):
            m = r.mapping(raw, key, *_FIGURE_KEYS)
            value_raw = m.get("value") if m else None
            if value_raw is None:
                return None
            extra = {
                "source": self.source(m.get("source"), f"{key}.source"),
                "rounded_to": r.number(m.get("rounded_to"), f"{key}.rounded_to"),
                "stated": r.text(m.get("stated"), f"{key}.stated"),
                "approximate": r.boolean(m.get("approximate"), f"{key}.approximate"),
                "note": r.text(m.get("note"), f"{key}.note", MAX_LONG_TEXT),
                "basis": r.text(m.get("basis"), f"{key}.basis"),
            }
            if extra["rounded_to"] is not None and extra["rounded_to"] <= 0:
                r.problem(m["rounded_to"], f"{key}.rounded_to", f"is {extra['rounded_to']} (a positive step expected)")
                extra["rounded_to"] = None
            vkey = f"{key}.value"
        else:
            value_raw, vkey = raw, key
            extra = {"source": self.default}
        value = r.number(value_raw, vkey)
        if value is None:
            return None
        if kind == "workforce":  # a count that divides: coverage is participants / workforce
            kind = "count"
            if value == 0:
                r.problem(value_raw, vkey, "is 0 (a workforce of at least one person expected)")
                return None
        if kind == "percent":
            if not 0 <= value <= 100:
                r.problem(value_raw, vkey, f"is {value} (a percentage from 0 to 100 expected)")
                return None
        else:
            if isinstance(value, float) and not value.is_integer():
                r.problem(value_raw, vkey, f"is {value} (a whole number of people expected)")
                return None
            if value < 0:
                r.problem(value_raw, vkey, f"is {value} (zero or more people expected)")
                return None
            if value > MAX_COUNT:
                r.problem(value_raw, vkey, f"is {value} (at most {MAX_COUNT:,} people expected)")
                return None
            value = int(value)
        if extra["source"] is None:
            return None
        return Figure(value=value, kind=kind, decimals=decimals(value) if kind == "percent" else 0, **extra)

    def consistent(self, participants: Figure | None, workforce: Figure | None, coverage: Figure | None,
                   key: str, raw: Raw) -> None:
        """Participants within the workforce; stated coverage within the rounding of the counts."""
        if participants is None or workforce is None:
            return
        p_low = participants.value - participants.tolerance
        p_high = participants.value + participants.tolerance
        w_low = max(workforce.value - workforce.tolerance, 1e-9)
        w_high = workforce.value + workforce.tolerance
        where = raw.value.get("participants", raw) if isinstance(raw.value, dict) else raw
        if p_low > w_high:
            self.r.problem(where, join(key, "participants"),
                           f"{participants.value:,} is more than the workforce ({workforce.value:,})")
            return
        if coverage is None:
            return
        low, high = 100 * p_low / w_high, 100 * p_high / w_low
        if participants.approximate or workforce.approximate or coverage.approximate:
            low, high = low * 0.95, high * 1.05
        c_low, c_high = coverage.value - coverage.tolerance, coverage.value + coverage.tolerance
        if c_high < low or c_low > high:
            computed = 100 * participants.value / workforce.value
            where = raw.value.get("coverage", raw) if isinstance(raw.value, dict) else raw
            allowed = f"; {low:.2f} to {high:.2f} given the rounding" if participants.tolerance or workforce.tolerance else ""
            self.r.problem(where, join(key, "coverage"),
                           f"{coverage.value} % disagrees with participants / workforce = {computed:.2f} %"
                           f" ({coverage.value} ± {coverage.tolerance:g} expected to overlap it{allowed})")

    def _targets(self, raw: Raw | None) -> tuple[Target, ...]:
        r = self.r
        out: dict[int, Target] = {}
        lines: dict[int, int] = {}
        for key, item in r.items(raw, "targets"):
            m = r.mapping(item, key, ("year", "coverage"), ("participants", "gap"))
            if m is None:
                continue
            raw_year = m.get("year")
            undated = raw_year is not None and raw_year.value == UNKNOWN_YEAR
            year = None
            if raw_year is not None and not undated:
                if isinstance(raw_year.value, int) and not isinstance(raw_year.value, bool):
                    year = raw_year.value
                else:
                    r.problem(raw_year, f"{key}.year", f"is {describe(raw_year.value)} "
                                                       f"(a year, or {UNKNOWN_YEAR} when the source gives none, expected)")
            coverage = self.figure(m.get("coverage"), f"{key}.coverage", "percent")
            participants = self.figure(m.get("participants"), f"{key}.participants", "count")
            gap = self.figure(m.get("gap"), f"{key}.gap", "count")
            if year is not None and not YEARS[0] <= year <= YEARS[1]:
                r.problem(m["year"], f"{key}.year", f"is {year} (a year from {YEARS[0]} to {YEARS[1]} expected)")
                year = None
            if (year is not None or undated) and year in out:
                r.problem(m["year"], f"{key}.year", f"{year or 'unknown'} has two targets (also at line {lines[year]})")
                continue
            if (year is None and not undated) or coverage is None:
                continue
            out[year], lines[year] = Target(year, coverage, participants, gap), item.line
        return tuple(out[y] for y in sorted(out, key=lambda y: (y is None, y or 0)))  # the undated one last

    def resolve(self, raw: Raw | None, key: str) -> tuple[SubRegion, str] | None:
        name = self.r.text(raw, key)
        if name is None:
            return None
        sub = self.by_name.get(fold(name))
        if sub is None:
            close = difflib.get_close_matches(fold(name), list(self.by_name), n=1, cutoff=0.75)
            hint = f'; did you mean "{self.by_name[close[0]].name}"?' if close else ""
            self.r.problem(raw, key, f'"{name}" is not a sub-region of {self.region} (see region.yaml{hint})')
            return None
        return sub, name

    def _subfigures(self, raw: Raw | None, note_ids: set[str]) -> tuple[SubFigure, ...]:
        r = self.r
        out: list[SubFigure] = []
        first: dict[str, tuple[int, str | None]] = {}
        for key, item in r.items(raw, "subregions"):
            m = r.mapping(item, key, ("name",), ("coverage", "participants", "workforce", "ambiguous"))
            if m is None:
                continue
            found = self.resolve(m.get("name"), f"{key}.name")
            coverage = self.figure(m.get("coverage"), f"{key}.coverage", "percent")
            participants = self.figure(m.get("participants"), f"{key}.participants", "count")
            workforce = self.figure(m.get("workforce"), f"{key}.workforce", "workforce")
            ambiguous = r.text(m.get("ambiguous"), f"{key}.ambiguous")
            if ambiguous is not None and ambiguous not in note_ids:
                r.problem(m["ambiguous"], f"{key}.ambiguous", f'"{ambiguous}" is not the id of a note in this snapshot')
            if coverage is None and (participants is None or workforce is None) and "coverage" not in m:
                r.problem(item, f"{key}.coverage", "required key is missing (or participants and workforce)")
            self.consistent(participants, workforce, coverage, key, item)
            if found is None:
                continue
            sub, stated = found
            if sub.slug in first:
                line, other_ambiguous = first[sub.slug]
                if not (ambiguous and other_ambiguous):
                    r.problem(m["name"], f"{key}.name", f'"{stated}" appears twice (also at line {line}); '
                              "if the source really does, mark both with ambiguous: <note id>")
                    continue
            else:
                first[sub.slug] = (m["name"].line, ambiguous)
            if coverage is None and participants and workforce:
                # computed here from the published counts: it says so, and is credited to no one
                value = round(100 * participants.value / workforce.value, 2)  # (the value kept to its printed digits)
                known = 100 * participants.interval / workforce.interval.clamp_min(1e-9)
                coverage = Figure(value, "percent", participants.source, decimals=2,
                                  derived=known.hull(Interval.point(value)))
            out.append(SubFigure(sub, stated, coverage, participants, workforce, ambiguous))
        return tuple(out)

    def _rankings(self, raw: Raw | None) -> tuple[Ranking, ...]:
        r = self.r
        out = []
        for key, item in r.items(raw, "rankings"):
            m = r.mapping(item, key, ("sources",), ("highest", "lowest"))
            if m is None:
                continue
            sources = tuple(s for k, x in r.items(m.get("sources"), f"{key}.sources") if (s := self.source(x, k)))
            lists = {}
            for part in ("highest", "lowest"):
                lists[part] = tuple(found[0] for k, x in r.items(m.get(part), f"{key}.{part}")
                                    if (found := self.resolve(x, k)))
            named = [s.slug for s in lists["highest"] + lists["lowest"]]
            if len(set(named)) < len(named):
                r.problem(item, key, "names one sub-region twice")
            if not lists["highest"] and not lists["lowest"]:
                r.problem(item, key, "ranks nothing (highest or lowest expected)")
                continue
            out.append(Ranking(sources, lists["highest"], lists["lowest"]))
        return tuple(out)

    def _segments(self, raw: Raw | None) -> tuple[Segment, ...]:
        r = self.r
        out = []
        for key, item in r.items(raw, "segments"):
            m = r.mapping(item, key, ("name",), ("participants", "workforce", "coverage"))
            if m is None:
                continue
            name = r.text(m.get("name"), f"{key}.name")
            p = self.figure(m.get("participants"), f"{key}.participants", "count")
            w = self.figure(m.get("workforce"), f"{key}.workforce", "workforce")
            c = self.figure(m.get("coverage"), f"{key}.coverage", "percent")
            self.consistent(p, w, c, key, item)
            if name:
                out.append(Segment(name, p, w, c))
        return tuple(out)

    def _notes(self, raw: Raw | None) -> tuple[Note, ...]:
        r = self.r
        out: dict[str, Note] = {}
        for key, item in r.items(raw, "notes"):
            m = r.mapping(item, key, ("id", "text"), ("kind", "source"))
            if m is None:
                continue
            nid = r.text(m.get("id"), f"{key}.id")
            text = r.text(m.get("text"), f"{key}.text", MAX_LONG_TEXT)
            kind = r.choice(m.get("kind"), f"{key}.kind", NOTE_KINDS, default="info")
            source = self.source(m.get("source"), f"{key}.source") if "source" in m else None
            if nid is not None and not SLUG_RE.match(nid):
                r.problem(m["id"], f"{key}.id", f'"{nid}" is not a simple id (lowercase a-z, 0-9 and - expected)')
                continue
            if nid in out:
                r.problem(m["id"], f"{key}.id", f'"{nid}" appears twice')
                continue
            if nid and text:
                out[nid] = Note(nid, text, kind, source)
        return tuple(out.values())

