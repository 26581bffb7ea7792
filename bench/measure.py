"""Measuring a build for bench/run: wall time and peak memory of a process tree, the floor, the peer.

Why this is its own module: bench/run's steps (cold, rebuilds, a CI-style
deploy, the real site) all time a child process the same way, and the floor
(a bare Jinja render and write of the same pages) is what every ratio the
benchmark prints is taken against.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


# --------------------------------------------------------------------------- measuring a child process tree


def _tree_rss(root: int) -> int:
    """Resident bytes of root and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        parents[int(entry)] = int(stat[stat.rindex(b")") + 2:].split()[1])
    tree, todo = {root}, [root]
    while todo:
        pid = todo.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                todo.append(child)
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                total += int(f.read().split()[1]) * PAGE_SIZE
        except OSError:
            pass
    return total


def run(cmd: list[str], env: dict, timeout: float, max_rss: float = float("inf")) -> dict:
    """Run cmd; return its wall time, the peak memory of its process tree, and its output.

    The tree is killed when it runs past timeout seconds or max_rss bytes (so that a
    build too big for the machine cannot push everything else out of memory)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
                            start_new_session=True)
    peak = 0
    done = threading.Event()
    over = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            if peak > max_rss:
                over.set()
                _kill(proc)
                return
            done.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        _kill(proc)
        out, err = proc.communicate()
        timed_out = True
    done.set()
    sampler.join()
    return {"seconds": round(time.perf_counter() - started, 2), "peak_rss_mb": round(peak / 2**20),
            "returncode": proc.returncode, "timed_out": timed_out, "over_memory": over.is_set(),
            "stdout": out.strip()[-500:], "stderr": err.strip()[-2000:]}


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, 9)  # the build and its workers (it leads its own session)
    except OSError:
        pass


# --------------------------------------------------------------------------- the floor and the peer


def floor(pages: list[str], out: Path) -> float:
    """A bare Jinja render and write of the same pages (same paths): what any generator must at least do."""
    import jinja2

    env = jinja2.Environment(autoescape=True)
    template = env.from_string(
        '<!doctype html>\n<html lang="id"><head><meta charset="utf-8"><title>{{ title }}</title></head>\n'
        "<body><h1>{{ title }}</h1>\n{% for p in paragraphs %}<p>{{ p }}</p>\n{% endfor %}</body></html>\n")
    paragraphs = ["Cakupan kepesertaan Jamsostek: angka sintetis untuk uji kinerja."] * 20
    started = time.perf_counter()
    for path in pages:
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template.render(title=path, paragraphs=paragraphs), encoding="utf-8")
    return time.perf_counter() - started


def peer(count: int, work: Path, timeout: float) -> dict:
    """MkDocs (default theme and navigation) building count Markdown pages."""
    python = sys.executable
    have = subprocess.run([python, "-c", "import mkdocs"], capture_output=True).returncode == 0
    if not have:
        print("  installing mkdocs into this virtualenv (for --peer only) ...", flush=True)
        got = subprocess.run([python, "-m", "pip", "install", "--quiet", "mkdocs"], capture_output=True, text=True)
        if got.returncode != 0:
            return {"skipped": "mkdocs could not be installed: " + (got.stderr.strip().splitlines() or ["?"])[-1]}
    project = work / "mkdocs"
    docs = project / "docs"
    shutil.rmtree(project, ignore_errors=True)
    docs.mkdir(parents=True)
    (project / "mkdocs.yml").write_text("site_name: Peer\n", encoding="utf-8")
    for i in range(count):
        folder = docs / f"bagian-{i // 500:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"halaman-{i:06d}.md").write_text(
            f"# Halaman {i}\n\nCakupan kepesertaan Jamsostek: angka sintetis untuk uji kinerja.\n\n"
            "| Kabupaten/kota | Cakupan |\n|---|---|\n| Kabupaten Sintetis | 24,86 % |\n", encoding="utf-8")
    result = run([python, "-m", "mkdocs", "build", "--quiet", "-f", str(project / "mkdocs.yml"),
                  "-d", str(project / "site")], dict(os.environ), timeout)
    result["pages"] = count
    return result


def peer_outcome(p: dict) -> str:
    """A peer's time, or that it did not finish (a stopped build has no time to compare)."""
    if p["timed_out"]:
        return f"not finished after {p['seconds']:.0f} s (stopped)"
    if p["returncode"]:
        return f"failed after {p['seconds']:.1f} s (exit {p['returncode']})"
    return f"{p['seconds']:.1f} s"
