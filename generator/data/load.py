"""Read data/ YAML safely, keeping the file and line of every value.

The loader only parses: it builds no Python objects from tags, keeps dates as
text (the model checks them) and rejects duplicate keys, which PyYAML would
otherwise drop silently. What it returns is raw: only the checks (check.py, schema.py, region.py, snapshot.py) look inside.

Parsing is most of loading: PyYAML's pure-Python loader takes a few ms a
snapshot, about 2 s for a national data folder (900+ files), while checking
the model takes a tenth of that. So what a file parses to (its Raw values with
their lines, and its problems without the path) can be kept in a ParseCache,
one entry per file content, under cache_root() / "parse" / <salt>: the salt is
the SHA-256 of this module's source, the PyYAML and Python versions and
CACHE_FORMAT, so a change to any of them starts afresh. An entry is
"cakupan-parse <sha256 of body>\n" + a pickle read back by an unpickler that
knows only Raw and the datetime types; one whose bytes do not match its hash,
or that does not read back as (a Raw or None, problems), is removed and parsed
again. Entries are written to a temporary file and renamed into place; a
missing, read-only or full cache folder only makes loading slower. Problems
are stored without their path, which follows the working folder. Nothing is
pruned yet: an entry is a few KB, and only a changed file adds one.
dataset.load_dataset(..., cache=False), as `cakupan build --no-cache` calls it,
neither reads nor writes the cache; tests/test_load_cache.py checks that a
cached load gives the same Dataset and problems as an uncached one.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import pickle
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.data import entries, inputs
from generator.errors import Problem, display_path

MAX_BYTES = inputs.MAX_YAML  # a snapshot is a few KB; anything this big is a mistake
MAX_DEPTH = 50
MAX_WRITTEN = 20_000  # values written in a file (a region of 500 sub-regions has about 5,000)


class Raw:
    """A YAML value with where it was written: mapping, list or scalar."""

    __slots__ = ("value", "line")

    def __init__(self, value, line: int):
        self.value = value  # dict[str, Raw] | list[Raw] | str | int | float | bool | None
        self.line = line

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Raw({self.value!r}, line={self.line})"


@dataclass
class RawFile:
    path: Path
    shown: str  # the path as messages print it
    root: Raw | None
    problems: list[Problem] = field(default_factory=list)
    key: str | None = None  # its bytes' key in the parse cache, if one was used (ParseCache.key)


class _Loader(yaml.SafeLoader):
    """SafeLoader that resolves no timestamps (dates stay strings for the model to check)
    and refuses to nest deeper than MAX_DEPTH while composing, before Python's own
    recursion limit would turn a hostile file into a crash."""

    depth = 0
    composed = 0

    def compose_node(self, parent, index):
        self.depth += 1
        self.composed += 1
        try:
            if self.depth > MAX_DEPTH + 1:  # (the root is at depth 1 here, 0 in _convert)
                raise _TooBig(self.peek_event().start_mark.line + 1, f"nested deeper than {MAX_DEPTH} levels")
            if self.composed > MAX_WRITTEN:  # refused while reading: PyYAML composes ~50,000 values a second
                raise _TooBig(self.peek_event().start_mark.line + 1,
                              f"holds more than {MAX_WRITTEN:,} values (a data file has a few hundred to a few "
                              "thousand)")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
MERGE_TAG = "tag:yaml.org,2002:merge"
MAX_NODES = 200_000  # aliases can make a small file expand without end


class _TooBig(Exception):
    """The file is refused as a whole: too deep, too large, or not plain YAML."""

    def __init__(self, line: int, what: str):
        self.line = line
        self.what = what


Found = tuple[int, str, str]  # a problem before its path is known: line, key, message


def _convert(node: yaml.Node, loader: _Loader, problems: list[Found]) -> Raw:
    """Turn PyYAML's node graph into Raw values, each with its line."""
    seen = 0
    explicit_keys: dict[int, set[int]] = {}  # mapping node -> its own key nodes, before merges (<<) join them

    def walk(node: yaml.Node, depth: int) -> Raw:
        nonlocal seen
        seen += 1
        line = node.start_mark.line + 1
        if depth > MAX_DEPTH:
            raise _TooBig(line, f"nested deeper than {MAX_DEPTH} levels")
        if seen > MAX_NODES:
            raise _TooBig(line, f"expands to more than {MAX_NODES:,} values (aliases of aliases? a data file "
                                "has a few hundred)")
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in PLAIN_TAGS:
            raise _TooBig(line, f"the tag {node.tag} is not allowed (plain YAML values only)")
        if isinstance(node, yaml.MappingNode):
            own = explicit_keys.setdefault(id(node), {id(k) for k, _ in node.value if k.tag != MERGE_TAG})
            loader.flatten_mapping(node)  # merge keys (<<): merged keys come first, the mapping's own override them
            out: dict[str, Raw] = {}
            merged: set[str] = set()
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    kind = "a list" if isinstance(key_node, yaml.SequenceNode) else "a mapping"
                    problems.append((key_line, "", f"a key is {kind} (text expected)"))
                    continue
                key = loader.construct_object(key_node)
                key = key if isinstance(key, str) else str(key)
                mine = id(key_node) in own
                if key in out:
                    if not mine:
                        continue  # merged twice: the first merged value stands
                    if key not in merged:
                        problems.append((key_line, key, f"key appears twice in one mapping (also at line {out[key].line})"))
                        continue
                (merged.discard if mine else merged.add)(key)  # the mapping's own key overrides a merged one
                value = walk(value_node, depth + 1)
                value.line = key_line  # a value is reported where its key stands
                out[key] = value
            return Raw(out, line)
        if isinstance(node, yaml.SequenceNode):
            return Raw([walk(item, depth + 1) for item in node.value], line)
        try:
            return Raw(loader.construct_object(node), line)
        except ValueError:  # an integer longer than Python converts (sys.get_int_max_str_digits(), 4,300)
            raise _TooBig(line, f"holds a number too long to read (more than {sys.get_int_max_str_digits():,} "
                                "digits; at most 1,000,000,000,000,000 expected)") from None

    return walk(node, 0)


def read_yaml(path: Path, cache: ParseCache | None = None, folder: Path | None = None) -> RawFile:
    """Parse one YAML file of folder (data/; by default its own folder); problems are returned,
    never raised. With a cache, a file whose bytes were parsed before (by this same code) is
    not parsed again."""
    shown = display_path(path)
    try:
        data = inputs.read_bytes(path, folder if folder is not None else path.parent, MAX_BYTES)
    except inputs.InputError as exc:
        return RawFile(path, shown, None, [Problem(shown, exc.line, "", exc.reason)])
    key = cache.key(data) if cache is not None else None
    parsed = cache.get(key) if key is not None else None
    if parsed is None:
        parsed = _parse(data)
        if key is not None:
            cache.put(key, parsed)
    root, found = parsed
    return RawFile(path, shown, root, [Problem(shown, line, k, message) for line, k, message in found], key)


def _parse(data: bytes) -> tuple[Raw | None, tuple[Found, ...]]:
    """A file's bytes to its root value and problems: all of read_yaml that the bytes alone decide."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, ((line, "", "is not UTF-8 text"),)
    problems: list[Found] = []
    loader = None
    try:
        loader = _Loader(text)  # (this already refuses control characters)
        node = loader.get_single_node()
        if node is None:
            return None, ((1, "", "file is empty (a YAML mapping expected)"),)
        root = _convert(node, loader, problems)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        what = exc.problem or "invalid YAML"
        return None, ((line, "", f"invalid YAML: {what}"),)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        what = f"the character U+{exc.character:04X} is not allowed (control characters cannot be in a YAML file)"
        return None, ((line, "", f"invalid YAML: {what}"),)
    except yaml.YAMLError as exc:
        return None, ((0, "", f"invalid YAML: {exc}"),)
    except _TooBig as exc:
        return None, ((exc.line, "", exc.what),)
    finally:
        if loader is not None:
            loader.dispose()
    return root, tuple(problems)


# --------------------------------------------------------------------------- the parse cache

CACHE_FORMAT = 1  # raise whenever what an entry holds changes shape
_ENTRY_MAGIC = b"cakupan-parse "


def cache_root() -> Path:
    """charts/draw.py's cache_dir(), computed the same way without importing the charts (and Altair with them):
    $CAKUPAN_CACHE_DIR, else the XDG cache folder. tests/test_load_cache.py keeps the two equal."""
    if os.environ.get("CAKUPAN_CACHE_DIR"):
        return Path(os.environ["CAKUPAN_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cakupan"


def _code_salt() -> bytes | None:
    """Everything besides a file's bytes that decides what it parses to; None if this source cannot be read."""
    try:
        source = Path(__file__).read_bytes()
    except OSError:
        return None
    h = hashlib.sha256(b"cakupan-parse %d\n" % CACHE_FORMAT)
    for part in (source, yaml.__version__.encode(), sys.version.encode(), sys.implementation.cache_tag.encode()):
        h.update(b"%d:" % len(part) + part)
    return h.digest()


_SALT = _code_salt()  # this module's source as it was imported: the code that runs

# The only things an entry may name; anything else (a stray or hostile file) is refused, never called.
_ENTRY_GLOBALS = {(Raw.__module__, "Raw"): Raw, ("datetime", "date"): datetime.date,
                  ("datetime", "datetime"): datetime.datetime, ("datetime", "timezone"): datetime.timezone,
                  ("datetime", "timedelta"): datetime.timedelta}


class _EntryUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        try:
            return _ENTRY_GLOBALS[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a parse cache entry") from None


class ParseCache:
    """read_yaml's results by file content; root None (no cache) finds and stores nothing."""

    def __init__(self, root: Path | None):
        self.root = root / _SALT.hex()[:16] if root is not None and _SALT is not None else None
        self.hits = self.misses = self.stored = 0
        self.writable = self.root is not None

    @classmethod
    def open(cls, enabled: bool = True) -> ParseCache:
        """The cache load_dataset uses: cache_root() / "parse", or none at all."""
        return cls(cache_root() / "parse" if enabled else None)

    def key(self, data: bytes) -> str | None:
        return hashlib.sha256(_SALT + data).hexdigest() if self.root is not None else None

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key

    def get(self, key: str) -> tuple[Raw | None, tuple[Found, ...]] | None:
        parsed = entries.read(self._path(key), _unpack)  # (one not as stored is removed)
        if parsed is None:
            self.misses += 1
            return None
        self.hits += 1
        return parsed

    def vouched(self, mark: str) -> bool:
        """Whether a later check of a file's parsed value marked it as passed (vouch)."""
        return self.root is not None and os.path.isfile(self.root / "passed" / mark)

    def vouch(self, mark: str) -> None:
        """Remember that a check passed: mark names the check and the file's key (schema.checked)."""
        if self.writable and not entries.write(self.root / "passed" / mark, b""):
            self.writable = False

    def put(self, key: str, parsed: tuple[Raw | None, tuple[Found, ...]]) -> None:
        if not self.writable:
            return
        try:
            body = pickle.dumps(parsed, protocol=5)
        except (pickle.PicklingError, RecursionError, TypeError, ValueError):
            return  # (nothing YAML gives should get here; if it does, that file is just parsed each time)
        if not entries.write(self._path(key), _ENTRY_MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n" + body):
            self.writable = False  # read-only or full: stop trying, loading goes on
            return
        if not self.stored:  # the first entry of this code: entries of other code are never read again
            for other in self.root.parent.iterdir():
                if other != self.root and other.is_dir():
                    shutil.rmtree(other, ignore_errors=True)
        self.stored += 1


def _unpack(entry: bytes) -> tuple[Raw | None, tuple[Found, ...]] | None:
    """An entry's (root, problems), or None unless it matches its hash and has that shape."""
    head = len(_ENTRY_MAGIC) + 64
    if not entry.startswith(_ENTRY_MAGIC) or entry[head:head + 1] != b"\n":
        return None
    body = entry[head + 1:]
    if hashlib.sha256(body).hexdigest().encode() != entry[len(_ENTRY_MAGIC):head]:
        return None
    try:
        parsed = _EntryUnpickler(io.BytesIO(body)).load()
    except Exception:  # noqa: BLE001 - whatever a damaged pickle raises, the file is parsed again
        return None
    if not (type(parsed) is tuple and len(parsed) == 2 and (parsed[0] is None or type(parsed[0]) is Raw)
            and type(parsed[1]) is tuple and all(type(p) is tuple and len(p) == 3 and type(p[0]) is int
                                                and type(p[1]) is str and type(p[2]) is str for p in parsed[1])):
        return None
    return parsed
