"""Properties over generated data: any valid dataset validates and builds; the indicators keep their
invariants; any mutation of a valid file into an invalid one is reported at its file and line.

The data are written as YAML by a small emitter that remembers the line of every key, so a
mutation knows where its problem must be reported. Runs are repeatable (derandomize, no
example database) and kept small: a site build costs a second or two.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.facts import indicators as ind
from generator.commands.build import Settings, build
from generator.errors import DataError
from generator.data.dataset import load_dataset
from generator.data.names import RESERVED_SLUGS, fold, slugify
from conftest import REPO

QUICK = settings(deadline=None, derandomize=True, database=None, max_examples=60,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FEW = settings(QUICK, max_examples=3)


# --------------------------------------------------------------------------- an emitter that knows its lines


@dataclass
class YamlFile:
    """Lines of YAML and the line number of every key path written."""

    name: str
    lines: list[str] = field(default_factory=list)
    at: dict[str, int] = field(default_factory=dict)  # key path -> line (1-based)
    items: dict[str, int] = field(default_factory=dict)  # list item path -> line where its mapping starts

    def key(self, path: str, text: str) -> None:
        self.lines.append(text)
        self.at[path] = len(self.lines)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted string


# --------------------------------------------------------------------------- strategies

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüñ"


def _usable(name: str) -> bool:
    slug = slugify(name)
    return bool(slug) and len(slug) <= 80 and slug not in RESERVED_SLUGS and name == name.strip()


names = st.text(alphabet=LETTERS + " -'", min_size=1, max_size=24).filter(_usable)
percent2 = st.integers(0, 10_000).map(lambda x: x / 100)  # two decimals, 0 to 100
percent1 = st.integers(0, 1_000).map(lambda x: x / 10)


@st.composite
def counts(draw, low: int = 1, high: int = 50_000_000) -> tuple[int, int]:
    """(participants, workforce) with participants <= workforce."""
    workforce = draw(st.integers(low, high))
    return draw(st.integers(0, workforce)), workforce


@dataclass
class Generated:
    region: YamlFile
    snapshots: list[YamlFile]
    subregion_names: list[str]
    slug: str = "contoh"

    def write(self, root: Path) -> Path:
        folder = root / "data" / self.slug
        folder.mkdir(parents=True)
        for f in [self.region, *self.snapshots]:
            (folder / f.name).write_text(f.text(), encoding="utf-8")
        return root / "data"


@st.composite
def datasets(draw, max_subregions: int = 6, max_snapshots: int = 3) -> Generated:
    subs = draw(st.lists(names, min_size=1, max_size=max_subregions, unique_by=fold))
    tiles = draw(st.booleans())
    region = YamlFile("region.yaml")
    region.key("name", f"name: {q(draw(names))}")
    region.key("kind", "kind: provinsi")
    region.key("code", 'code: "99"')
    region.key("code_system", f"code_system: {draw(st.sampled_from(['bps', 'kemendagri']))}")
    region.key("subregions", "subregions:")
    for i, name in enumerate(subs):
        k = f"subregions[{i}]"
        region.key(f"{k}.code", f'  - code: "99{i + 1:02d}"')
        region.items[k] = region.at[f"{k}.code"]
        region.key(f"{k}.name", f"    name: {q(name)}")
        region.key(f"{k}.kind", f"    kind: {draw(st.sampled_from(['kabupaten', 'kota']))}")
        if tiles:
            region.key(f"{k}.tile", f"    tile: {{x: {i % 5}, y: {i // 5}}}")

    first = date(2020, 1, 1) + timedelta(days=draw(st.integers(0, 2000)))
    gaps = draw(st.lists(st.integers(1, 400), min_size=0, max_size=max_snapshots - 1))
    dates = [first]
    for gap in gaps:
        dates.append(dates[-1] + timedelta(days=gap))
    snapshots = []
    for when in dates:
        f = YamlFile(f"{when.isoformat()}.yaml")
        f.key("date", f"date: {when.isoformat()}")
        f.key("sources", "sources:")
        f.key("sources[0].id", "  - id: sumber")
        f.items["sources[0]"] = f.at["sources[0].id"]
        f.key("sources[0].publisher", f"    publisher: {q(draw(names))}")
        kind = draw(st.sampled_from(["all", "coverage", "counts", "rounded"]))
        p, w = draw(counts())
        if kind in ("all", "counts"):
            f.key("participants", f"participants: {p}")
            f.key("workforce", f"workforce: {w}")
        if kind == "rounded":
            assume(w >= 1000)
            step = 10 ** (len(str(w)) - 2)
            f.key("participants", f"participants: {p}")
            f.key("workforce.value", f"workforce: {{value: {round(w / step) * step}, rounded_to: {step}}}")
        if kind in ("all", "rounded"):
            f.key("coverage", f"coverage: {round(100 * p / w, 2)}")
        if kind == "coverage":
            f.key("coverage", f"coverage: {draw(percent2)}")
        years = draw(st.lists(st.integers(when.year, when.year + 6), unique=True, max_size=2))
        if years:
            f.key("targets", "targets:")
        for i, year in enumerate(sorted(years)):
            k = f"targets[{i}]"
            f.key(f"{k}.year", f"  - year: {year}")
            f.items[k] = f.at[f"{k}.year"]
            f.key(f"{k}.coverage", f"    coverage: {draw(percent2)}")
            if draw(st.booleans()):
                f.key(f"{k}.participants", f"    participants: {draw(st.integers(0, 60_000_000))}")
        named = draw(st.lists(st.sampled_from(range(len(subs))), unique=True, max_size=len(subs)))
        if named:
            f.key("subregions", "subregions:")
        for i, s in enumerate(named):
            k = f"subregions[{i}]"
            f.key(f"{k}.name", f"  - name: {q(draw(st.sampled_from([subs[s], f'99{s + 1:02d}'])))}")
            f.items[k] = f.at[f"{k}.name"]
            if draw(st.booleans()):
                f.key(f"{k}.coverage", f"    coverage: {draw(percent1)}")
            else:
                sp, sw = draw(counts(high=5_000_000))
                f.key(f"{k}.participants", f"    participants: {sp}")
                f.key(f"{k}.workforce", f"    workforce: {sw}")
                if draw(st.booleans()):
                    f.key(f"{k}.coverage", f"    coverage: {round(100 * sp / sw, 1)}")
        if draw(st.booleans()):
            f.key("notes", "notes:")
            f.key("notes[0].id", "  - id: catatan")
            f.items["notes[0]"] = f.at["notes[0].id"]
            f.key("notes[0].text", f"    text: {q(draw(names))}")
        snapshots.append(f)
    return Generated(region, snapshots, subs)


# --------------------------------------------------------------------------- valid data validates and builds


@QUICK
@given(datasets())
def test_any_valid_dataset_validates(generated):
    with tempfile.TemporaryDirectory() as tmp:
        dataset = load_dataset(generated.write(Path(tmp)))
    region = dataset.regions[0]
    assert [s.name for s in region.subregions] == generated.subregion_names
    assert len(region.snapshots) == len(generated.snapshots)
    assert len({s.slug for s in region.subregions}) == len(region.subregions)


@FEW
@given(datasets(max_subregions=4, max_snapshots=2))
def test_any_valid_dataset_builds(generated):
    with tempfile.TemporaryDirectory() as tmp:
        data = generated.write(Path(tmp))
        out = Path(tmp) / "site"
        summary = build(Settings(data=data, out=out, content=REPO / "content", templates=REPO / "templates"))
        region = load_dataset(data).regions[0]
        assert (out / "index.html").is_file() and (out / "contoh" / "index.html").is_file()
        for sub in region.subregions:
            assert (out / "contoh" / sub.slug / "index.html").is_file()
        assert summary.files == sum(1 for p in out.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- the indicators' invariants


@QUICK
@given(datasets())
def test_indicators_keep_their_invariants(generated):
    with tempfile.TemporaryDirectory() as tmp:
        region = load_dataset(generated.write(Path(tmp))).regions[0]
    for snap in region.snapshots:
        h = ind.headline(snap)
        assert 0 <= h.coverage.value <= 100
        if h.participants and h.workforce:
            assert h.uncovered.value == pytest.approx(h.workforce.value - h.participants.value)
            assert h.participants.value <= h.workforce.value * (1 + 1e-9) + 1e-6
        for g in h.targets:
            t = g.target.coverage.value
            assert g.gap_points.value == pytest.approx(t - h.coverage.value, abs=1e-9)
            assert g.met == (g.gap_points.value <= 0)
            if g.gap_workers is not None:
                needed = g.target.participants.value if g.target.participants else t / 100 * h.workforce.value
                assert g.gap_workers.value == pytest.approx(needed - h.participants.value, abs=1e-6)
            if g.per_month is not None:
                assert g.per_month.value >= 0
        clear = [f for f in snap.subregions if f.coverage and not f.ambiguous]
        if clear:
            stats = ind.subregion_stats(region, snap, h.coverage)
            values = [r.coverage for r in stats.rows]
            assert values == sorted(values, reverse=True) and len(values) == len(clear)
            assert [r.rank for r in stats.rows] == sorted(r.rank for r in stats.rows) and stats.rows[0].rank == 1
            assert stats.lowest.value <= stats.median.value <= stats.highest.value and stats.spread.value >= 0
            for stat in (stats.lowest, stats.median, stats.highest, stats.spread):
                assert stat.interval.lo - 1e-9 <= stat.value <= stat.interval.hi + 1e-9
            for a in stats.rows:  # ranked above only when surely above; never ranked against the rounding
                for b in stats.rows:
                    ia, ib = a.figure.coverage.interval, b.figure.coverage.interval
                    if ind.surely_above(ia, ib):
                        assert a.rank < b.rank
                    if a.rank < b.rank:
                        assert not ind.surely_above(ib, ia)
            assert all(0 <= v <= 100 for v in values)
    for snap in region.snapshots:  # every computed value lies within the interval its inputs allow
        h = ind.headline(snap)
        made = [h.coverage, h.participants, h.workforce, h.uncovered]
        made += [x for g in h.targets for x in (g.gap_points, g.gap_workers, g.per_month)]
        for x in filter(None, made):
            slack = 1e-9 * max(1.0, abs(x.value))
            assert x.interval.lo - slack <= x.value <= x.interval.hi + slack, x.formula
    for c in ind.changes(region):
        assert c.points.value == pytest.approx(ind.headline(c.after).coverage.value - ind.headline(c.before).coverage.value)
        if c.due_to_participants is not None:
            dp, dw = c.due_to_participants.value, c.due_to_workforce.value
            # (the parts can be huge and opposite when the workforce jumps: allow for float rounding of their sum)
            assert dp + dw == pytest.approx(c.points.value, abs=1e-9 + 1e-12 * (abs(dp) + abs(dw)))
            residual = c.points.value - (ind.headline(c.after).participants.value / ind.headline(c.after).workforce.value
                                         - ind.headline(c.before).participants.value
                                         / ind.headline(c.before).workforce.value) * 100
            raw = ind.split_change(ind.headline(c.before).participants.value, ind.headline(c.before).workforce.value,
                                   ind.headline(c.after).participants.value, ind.headline(c.after).workforce.value)
            # the rounding remainder moves each part by no more than the remainder itself
            assert abs(dp - raw[0]) <= abs(residual) + 1e-9 + 1e-12 * abs(raw[0])
            assert abs(dw - raw[1]) <= abs(residual) + 1e-9 + 1e-12 * abs(raw[1])


@settings(QUICK, max_examples=300)
@given(counts(), counts())
def test_the_split_of_a_change_adds_up_to_the_change(before, after):
    (p1, w1), (p2, w2) = before, after
    due_p, due_w = ind.split_change(p1, w1, p2, w2)
    assert due_p + due_w == pytest.approx(100 * (p2 / w2 - p1 / w1), abs=1e-9 + 1e-12 * (abs(due_p) + abs(due_w)))
    if w1 == w2:
        assert due_w == pytest.approx(0, abs=1e-9)  # same workforce: all of it is participants
    if p1 == p2 == 0:
        assert due_p == pytest.approx(0, abs=1e-9)


# --------------------------------------------------------------------------- mutations are found where they are


@dataclass(frozen=True)
class Mutation:
    file: str
    key: str  # the key path the problem must name
    line: int  # the line it must name
    message: str  # a part of the message


def _replace_value(f: YamlFile, path: str, value: str) -> None:
    i = f.at[path] - 1
    head, _, rest = f.lines[i].partition(": ")
    if rest.startswith("{value: "):  # a figure written as a mapping
        rest = "{value: " + value + rest[rest.index(","):]
    else:
        rest = value
    f.lines[i] = head + ": " + rest


@st.composite
def mutated(draw) -> tuple[Generated, Mutation]:
    g = draw(datasets(max_snapshots=2))
    files = [g.region, *g.snapshots]
    kind = draw(st.sampled_from(["percent", "negative", "remove", "rename", "not-a-number"]))
    if kind == "percent":
        f = draw(st.sampled_from(g.snapshots))
        paths = [p for p in f.at if p.split(".")[-1] == "coverage"]
        assume(paths)
        path = draw(st.sampled_from(paths))
        value = draw(st.integers(10_001, 1_000_000)) / 100
        _replace_value(f, path, repr(value))
        return g, Mutation(f.name, path, f.at[path], f"is {value} (a percentage from 0 to 100 expected)")
    if kind == "negative":
        f = draw(st.sampled_from(g.snapshots))
        paths = [p for p in f.at if p.split(".")[-1] in ("participants", "workforce") or p == "workforce.value"]
        assume(paths)
        path = draw(st.sampled_from(paths))
        value = -draw(st.integers(1, 10**9))
        _replace_value(f, path, str(value))
        return g, Mutation(f.name, path, f.at[path], f"is {value} (zero or more people expected)")
    if kind == "not-a-number":
        f = draw(st.sampled_from(g.snapshots))
        paths = [p for p in f.at if p.split(".")[-1] in ("participants", "workforce", "coverage") or p == "workforce.value"]
        assume(paths)
        path = draw(st.sampled_from(paths))
        _replace_value(f, path, '"banyak"')
        return g, Mutation(f.name, path, f.at[path], 'is text "banyak" (a number expected)')
    if kind == "remove":
        # a required key that is not the first line of its mapping
        f = draw(st.sampled_from(files))
        required = {"region.yaml": ("code_system", "kind", "subregions[].kind", "subregions[].name"),
                    "snapshot": ("sources", "targets[].coverage", "sources[].publisher")}
        wanted = required["region.yaml" if f is g.region else "snapshot"]
        paths = [p for p in f.at if _pattern(p) in wanted]
        assume(paths)
        path = draw(st.sampled_from(paths))
        parent, _, last = path.rpartition(".")
        start = f.at[path] - 1
        end = start + 1
        while end < len(f.lines) and f.lines[end].startswith("  ") and not f.lines[start].startswith(" "):
            end += 1  # a top-level key takes its block with it
        del f.lines[start:end]
        line = f.items[parent] if parent else 1
        return g, Mutation(f.name, path, line, "required key is missing")
    f = draw(st.sampled_from(files))
    paths = [p for p in f.at if p.rpartition(".")[2].split("[")[0] in ("coverage", "participants", "workforce", "publisher", "name", "kind", "year")]
    assume(paths)
    path = draw(st.sampled_from(paths))
    last = path.rpartition(".")[2]
    typo = draw(st.sampled_from([last[:-1], last[0] + last[2:], last + "s" if not last.endswith("s") else last[:-1] + "z"]))
    i = f.at[path] - 1
    f.lines[i] = f.lines[i].replace(f"{last}:", f"{typo}:", 1)
    parent = path.rpartition(".")[0]
    return g, Mutation(f.name, f"{parent}.{typo}" if parent else typo, f.at[path], "unknown key (")


def _pattern(path: str) -> str:
    import re

    return re.sub(r"\[\d+\]", "[]", path)


@settings(QUICK, max_examples=150)
@given(mutated())
def test_any_mutation_into_invalid_data_is_reported_at_its_file_and_line(case):
    generated, m = case
    with tempfile.TemporaryDirectory() as tmp:
        data = generated.write(Path(tmp))
        with pytest.raises(DataError) as caught:
            load_dataset(data)
        target = (data / generated.slug / m.file).resolve()
        found = [(Path(p.path).resolve(), p.line, p.key, p.message) for p in caught.value.problems]
    assert any(path == target and line == m.line and key == m.key and m.message in message
               for path, line, key, message in found), (m, found)
