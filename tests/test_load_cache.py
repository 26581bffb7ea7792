"""The parse cache (load.ParseCache) changes how fast data loads, never what it loads.

A cached load must give the same Dataset and, for bad data, the very same
problems (file:line: key: message) as parsing every file again; a changed file
is parsed again, a damaged or foreign entry is never trusted, and a cache
folder that cannot be written only makes loading slower. Each test keeps its
cache in a folder of its own (CAKUPAN_CACHE_DIR), never the user's.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from pathlib import Path

import pytest

from generator.data import load, schema
from generator.errors import DataError
from generator.data.load import ParseCache, Raw, read_yaml
from generator.data.dataset import load_dataset
from conftest import FIXTURES, REPO

BAD_DATA = sorted(p for p in (Path(__file__).parent / "bad-data").iterdir() if p.is_dir())


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def data(tmp_path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(REPO / "data" / "lampung", folder / "lampung")
    shutil.copytree(FIXTURES / "data" / "contoh", folder / "contoh")
    return folder


def entries(cache_dir: Path) -> list[Path]:
    """The parsed files kept (not the marks of files that passed their schema: schema.checked)."""
    return sorted(p for p in (cache_dir / "parse").rglob("*") if p.is_file() and p.parent.name != "passed")


def count_parses(monkeypatch) -> list[bytes]:
    """Record the bytes of every file that is really parsed (not found in the cache)."""
    parsed: list[bytes] = []
    real = load._parse

    def counting(data: bytes):
        parsed.append(data)
        return real(data)

    monkeypatch.setattr(load, "_parse", counting)
    return parsed


def tree(raw: Raw | None):
    """A Raw value as plain data, with each value's type and line (True is not 1, nor 1.0 1)."""
    if raw is None:
        return None
    value = raw.value
    if isinstance(value, dict):
        return ("map", raw.line, [(k, tree(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", raw.line, [tree(v) for v in value])
    return (type(value).__name__, raw.line, repr(value))


def test_the_cache_folder_is_the_build_caches_folder(monkeypatch, tmp_path):
    from generator.charts import draw

    for env in ({"CAKUPAN_CACHE_DIR": str(tmp_path / "own")}, {"XDG_CACHE_HOME": str(tmp_path / "xdg")}, {}):
        for name in ("CAKUPAN_CACHE_DIR", "XDG_CACHE_HOME"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        assert load.cache_root() == draw.cache_dir()
        assert ParseCache.open().root.parent == draw.cache_dir() / "parse"


def test_a_cached_load_equals_an_uncached_one(data, cache_dir, monkeypatch):
    fresh = load_dataset(data, cache=False)
    assert entries(cache_dir) == []  # cache=False neither reads nor writes
    assert load_dataset(data) == fresh  # (filling the cache)
    files = sorted(data.glob("*/*.yaml"))
    assert len(entries(cache_dir)) == len(files)
    parsed = count_parses(monkeypatch)
    warm = load_dataset(data)
    assert parsed == []  # every file came from the cache
    assert warm == fresh
    assert repr(warm) == repr(fresh)


def test_a_file_that_passed_its_schema_is_not_validated_again_unless_it_changed(data, cache_dir, monkeypatch):
    load_dataset(data)
    validated = []
    real = schema.problems
    monkeypatch.setattr(schema, "problems", lambda kind, root, shown: validated.append(shown) or real(kind, root, shown))
    assert load_dataset(data) == load_dataset(data, cache=False) and len(validated) == len(list(data.glob("*/*.yaml")))
    validated.clear()
    load_dataset(data)
    assert validated == []  # every file passed before, its bytes unchanged
    snapshot = data / "contoh" / "2024-07-31.yaml"
    snapshot.write_text(snapshot.read_text(encoding="utf-8").replace("url: https://example.org/buletin/2",
                                                                    "adres: https://x.org"), encoding="utf-8")
    with pytest.raises(DataError, match="unknown key"):  # (the schema's finding)
        load_dataset(data)
    with pytest.raises(DataError, match="unknown key"):  # (a file that failed is never marked as passed)
        load_dataset(data)
    assert [Path(v).name for v in validated] == ["2024-07-31.yaml"] * 2


def test_values_lines_and_types_survive_the_cache(tmp_path, cache_dir):
    path = tmp_path / "odd.yaml"
    path.write_text("base: &b {k: 1, t: true, f: 1.5}\n"
                    "merged:\n  <<: *b\n  k: 2\n"
                    "when: !!timestamp 2024-01-31\n"
                    "stamp: !!timestamp 2024-01-31T10:00:00+07:00\n"
                    "blob: !!binary aGVsbG8=\n"
                    "plain: 2024-01-31\n"
                    "numbers: [0x10, 1_000, .inf, -.inf, .nan, -0.0, 12345678901234567890123]\n"
                    "empty: ~\nflag: no\n'1': text key\n", encoding="utf-8")
    uncached = read_yaml(path)
    store = ParseCache.open()
    first = read_yaml(path, store)
    again = read_yaml(path, ParseCache.open())
    assert (store.misses, store.stored) == (1, 1)
    for got in (first, again):
        assert tree(got.root) == tree(uncached.root)
        assert (got.path, got.shown, got.problems) == (uncached.path, uncached.shown, uncached.problems)
    assert type(again.root.value["blob"].value) is bytes and again.root.value["stamp"].value.utcoffset()


def test_a_changed_file_is_parsed_again(data, cache_dir, monkeypatch):
    load_dataset(data)
    snapshot = data / "contoh" / "2024-07-31.yaml"
    snapshot.write_text(snapshot.read_text(encoding="utf-8").replace("url: https://example.org/buletin/2",
                                                                    "url: https://example.org/buletin/2b"),
                        encoding="utf-8")
    parsed = count_parses(monkeypatch)
    dataset = load_dataset(data)
    assert parsed == [snapshot.read_bytes()]
    contoh = next(r for r in dataset.regions if r.slug == "contoh")
    assert contoh.latest.sources[0].url == "https://example.org/buletin/2b"
    assert dataset == load_dataset(data, cache=False)


def test_a_change_to_the_loader_misses_the_cache(tmp_path, cache_dir, monkeypatch):
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    read_yaml(path, ParseCache.open())
    monkeypatch.setattr(load, "_SALT", hashlib.sha256(b"another loader").digest())
    store = ParseCache.open()
    read_yaml(path, store)
    assert (store.hits, store.misses, store.stored) == (0, 1, 1)
    # the other loader's entries are never read again: storing the first new one removes them
    assert {p.relative_to(cache_dir / "parse").parts[0] for p in entries(cache_dir)} == {store.root.name}


def forged(body: bytes) -> bytes:
    """An entry with a correct hash around any body: what only a hostile hand would write."""
    return load._ENTRY_MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n" + body


class _Boom:
    def __reduce__(self):
        return (os.system, ("echo pwned > /dev/null",))


DAMAGE = {
    "empty": lambda entry: b"",
    "truncated": lambda entry: entry[: len(entry) // 2],
    "flipped": lambda entry: entry[:-5] + bytes([entry[-5] ^ 0x20]) + entry[-4:],
    "garbage": lambda entry: b"\x00\xff" * 40,
    "not a pickle": lambda entry: forged(b"not a pickle at all"),
    "wrong shape": lambda entry: forged(pickle.dumps(("a", "b", "c"))),
    "problems not tuples": lambda entry: forged(pickle.dumps((None, ["x"]))),
    "foreign global": lambda entry: forged(pickle.dumps((_Boom(), ()))),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_entry_is_ignored_and_made_again(data, cache_dir, monkeypatch, damage):
    fresh = load_dataset(data, cache=False)
    load_dataset(data)
    good = {p: p.read_bytes() for p in entries(cache_dir)}
    for path, entry in good.items():
        path.write_bytes(DAMAGE[damage](entry))
    monkeypatch.setattr(os, "system", lambda *a: pytest.fail("a cache entry ran code"))
    parsed = count_parses(monkeypatch)
    assert load_dataset(data) == fresh
    assert len(parsed) == len(good)  # every file parsed again
    assert {p: p.read_bytes() for p in entries(cache_dir)} == good  # and stored again, as before
    parsed.clear()
    assert load_dataset(data) == fresh and parsed == []


def test_a_cache_folder_that_cannot_be_written_only_slows_loading(data, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(blocker / "cache"))  # (even root cannot make this folder)
    fresh = load_dataset(data, cache=False)
    store = ParseCache.open()
    for path in sorted(data.glob("*/*.yaml")):
        read_yaml(path, store)
    assert store.writable is False and store.stored == 0 and store.hits == 0
    assert load_dataset(data) == fresh
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "data"]  # no temporary file left


def test_no_temporary_file_is_left_behind(data, cache_dir):
    load_dataset(data)
    assert not [p for p in (cache_dir / "parse").rglob("*") if p.name.endswith(".tmp")]


def problems_of(folder: Path, cache: bool) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_dataset(folder, cache=cache)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("case", BAD_DATA, ids=[c.name for c in BAD_DATA])
def test_problems_are_the_same_with_and_without_the_cache(case, cache_dir, monkeypatch):
    monkeypatch.chdir(case)  # messages name paths relative to where loading runs
    uncached = problems_of(Path("."), cache=False)
    assert uncached == (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert problems_of(Path("."), cache=True) == uncached  # filling the cache
    parsed = count_parses(monkeypatch)
    assert problems_of(Path("."), cache=True) == uncached  # from the cache
    assert parsed == []  # nothing parsed twice


def test_paths_in_problems_follow_the_working_folder_not_the_cache(tmp_path, cache_dir, monkeypatch):
    case = next(c for c in BAD_DATA if c.name == "duplicate-yaml-key")
    shutil.copytree(case, tmp_path / "case")
    monkeypatch.chdir(tmp_path / "case")
    inside = problems_of(Path("."), cache=True)
    monkeypatch.chdir(tmp_path)
    outside = problems_of(Path("case"), cache=True)  # the same files, from the cache, seen from elsewhere
    assert outside == problems_of(Path("case"), cache=False)
    assert [line.replace("case/", "", 1) for line in outside] == inside
    assert all(line.startswith("case/") for line in outside)


def test_entries_of_other_code_are_removed_when_new_ones_are_stored(tmp_path, monkeypatch):
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(tmp_path / "cache"))
    stale = tmp_path / "cache" / "parse" / "0123456789abcdef" / "ab"
    stale.mkdir(parents=True)
    (stale / "entry").write_bytes(b"made by another version of load.py")
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "data", data)
    load_dataset(data)
    kept = [p.name for p in (tmp_path / "cache" / "parse").iterdir()]
    assert "0123456789abcdef" not in kept and len(kept) == 1
