"""The package's layout is its pipeline: each stage imports only the stages before it, nothing
imports in a circle, and every module is small enough to read.

The stages, in order (docs/architecture.md): `errors` (what every stage raises), `data` (read and
check the inputs), `facts` (indicators and their Indonesian words), `charts`, `site` (page plans and
rendering), `publish` (write, archive, cache, rebuild) and `commands`. Imports are read from the
source with ast, every one of them: those inside functions and under TYPE_CHECKING count too, since
they are how cycles hide.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
STAGES = ("errors", "data", "facts", "charts", "site", "publish", "commands")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def _modules() -> dict[str, Path]:
    """Dotted name (without "generator.") -> file, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The package's modules that `name` imports, resolved to modules (an imported name that is a
    function or class counts as its module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            mods = [a.name for a in node.names]
            names: list[str] = []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ["generator", *package.split(".")] if package else ["generator"]
                base = base[:len(base) - (node.level - 1)]
                mods = [".".join(base + ([node.module] if node.module else []))]
            else:
                mods = [node.module or ""]
            names = [a.name for a in node.names]
        else:
            continue
        for mod in mods:
            if mod != "generator" and not mod.startswith("generator."):
                continue
            inner = mod.removeprefix("generator").lstrip(".")
            for candidate in [f"{inner}.{n}".lstrip(".") for n in names] + [inner]:
                if candidate in MODULES:
                    targets.add(candidate)
                    break
    targets.discard(name)
    return targets


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _stage(name: str) -> int | None:
    """The stage's index of a module; None for the package itself (its version only)."""
    if name == "":
        return None
    head = name.split(".")[0]
    return STAGES.index(head) if head in STAGES else -1


def test_every_module_belongs_to_a_stage():
    strays = [name for name in MODULES if _stage(name) == -1]
    assert not strays, f"modules outside every stage {STAGES}: {strays}"


def test_no_stage_imports_a_later_one():
    wrong = [f"generator.{a} imports generator.{b}" for a, targets in GRAPH.items() for b in sorted(targets)
             if _stage(a) is not None and _stage(b) is not None and _stage(b) > _stage(a)]
    assert not wrong, "a stage imports a later stage:\n" + "\n".join(wrong)


def _cycle() -> list[str] | None:
    """One import cycle among the package's modules, or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(GRAPH):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_import_cycle():
    cycle = _cycle()
    assert cycle is None, "import cycle: " + " -> ".join(f"generator.{m}" if m else "generator" for m in cycle)


def test_the_checks_see_imports_of_every_kind():
    """The reader of imports finds relative, absolute, function-level and name imports (so the
    tests above cannot pass by reading nothing)."""
    assert "data.model" in GRAPH["facts.indicators"]
    assert "errors" in GRAPH["data.inputs"]
    everything = set().union(*GRAPH.values())
    assert len(everything) > len(MODULES) / 2


def _too_long() -> list[str]:
    offenders = []
    for name, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n") + (not text.endswith("\n") and bool(text))
        shown = path.relative_to(PACKAGE.parent)
        if lines > MAX_MODULE_LINES:
            offenders.append(f"{shown}: {lines} lines (at most {MAX_MODULE_LINES})")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    offenders.append(f"{shown}:{node.lineno}: {node.name} is {length} lines (at most {MAX_FUNCTION_LINES})")
    return offenders


def test_modules_and_functions_are_small():
    offenders = _too_long()
    assert not offenders, "too long:\n" + "\n".join(offenders)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_says_why_it_exists(name):
    doc = ast.get_docstring(ast.parse(MODULES[name].read_text(encoding="utf-8")))
    assert doc and len(doc.split()) >= 5, f"generator/{name or '__init__'}: no docstring that says why it exists"
