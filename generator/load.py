"""Read data/ YAML safely, keeping the file and line of every value.

The loader only parses: it builds no Python objects from tags, keeps dates as
text (the model checks them) and rejects duplicate keys, which PyYAML would
otherwise drop silently. What it returns is raw: only model.py looks inside.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import Problem, display_path

MAX_BYTES = 5_000_000  # a snapshot is a few KB; anything this big is a mistake
MAX_DEPTH = 50


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


class _Loader(yaml.SafeLoader):
    """SafeLoader that resolves no timestamps (dates stay strings for the model to check)
    and refuses to nest deeper than MAX_DEPTH while composing, before Python's own
    recursion limit would turn a hostile file into a crash."""

    depth = 0

    def compose_node(self, parent, index):
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH + 1:  # (the root is at depth 1 here, 0 in _convert)
                raise _TooBig(self.peek_event().start_mark.line + 1, f"nested deeper than {MAX_DEPTH} levels")
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


def _convert(node: yaml.Node, loader: _Loader, shown: str, problems: list[Problem]) -> Raw:
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
                    problems.append(Problem(shown, key_line, "", f"a key is {kind} (text expected)"))
                    continue
                key = loader.construct_object(key_node)
                key = key if isinstance(key, str) else str(key)
                mine = id(key_node) in own
                if key in out:
                    if not mine:
                        continue  # merged twice: the first merged value stands
                    if key not in merged:
                        problems.append(Problem(shown, key_line, key,
                                                f"key appears twice in one mapping (also at line {out[key].line})"))
                        continue
                (merged.discard if mine else merged.add)(key)  # the mapping's own key overrides a merged one
                value = walk(value_node, depth + 1)
                value.line = key_line  # a value is reported where its key stands
                out[key] = value
            return Raw(out, line)
        if isinstance(node, yaml.SequenceNode):
            return Raw([walk(item, depth + 1) for item in node.value], line)
        return Raw(loader.construct_object(node), line)

    return walk(node, 0)


def read_yaml(path: Path) -> RawFile:
    """Parse one YAML file; problems are returned, never raised."""
    shown = display_path(path)
    problems: list[Problem] = []
    try:
        data = path.read_bytes()
    except OSError as exc:
        return RawFile(path, shown, None, [Problem(shown, 0, "", f"cannot be read ({exc.strerror})")])
    if len(data) > MAX_BYTES:
        return RawFile(path, shown, None, [Problem(shown, 0, "", f"file is {len(data):,} bytes (at most {MAX_BYTES:,} expected)")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return RawFile(path, shown, None, [Problem(shown, line, "", "is not UTF-8 text")])
    loader = None
    try:
        loader = _Loader(text)  # (this already refuses control characters)
        node = loader.get_single_node()
        if node is None:
            return RawFile(path, shown, None, [Problem(shown, 1, "", "file is empty (a YAML mapping expected)")])
        root = _convert(node, loader, shown, problems)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        what = exc.problem or "invalid YAML"
        return RawFile(path, shown, None, [Problem(shown, line, "", f"invalid YAML: {what}")])
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        what = f"the character U+{exc.character:04X} is not allowed (control characters cannot be in a YAML file)"
        return RawFile(path, shown, None, [Problem(shown, line, "", f"invalid YAML: {what}")])
    except yaml.YAMLError as exc:
        return RawFile(path, shown, None, [Problem(shown, 0, "", f"invalid YAML: {exc}")])
    except _TooBig as exc:
        return RawFile(path, shown, None, [Problem(shown, exc.line, "", exc.what)])
    finally:
        if loader is not None:
            loader.dispose()
    return RawFile(path, shown, root, problems)
