#!/usr/bin/env python3
"""Lighthouse mobile on every page type of the built site; a benchmark, not a test (issue #14).

Why it exists: the phone budget (docs/performance.md, "On a phone") is
measured the way a reader on mobile data meets the site, not guessed. This
script builds two sites into a work folder (the shipped Lampung data, and a
small synthetic national dataset from bench/synthetic.py for the national
front page), serves both gzipped under a sub-path (/cakupan/ and
/cakupan-nasional/) from a small static server of its own on 127.0.0.1 (as
GitHub Pages serves a project site: gzip for text, identity otherwise), and
runs Lighthouse's mobile preset (simulated slow 4G, 4x slower CPU) on one page
of each type, several times, printing the median of each figure.

Lighthouse comes from npm, pinned in bench/lighthouse/package-lock.json and
installed there with `npm ci` on first use; it drives Debian's chromium
(CHROME_PATH, default /usr/bin/chromium), never a downloaded browser.

    bench/lighthouse.py             3 runs a page (make lighthouse)
    bench/lighthouse.py --runs 5    more runs: the machine is shared, medians steady it
    bench/lighthouse.py --json F    also write every run's figures to F

"machine index" is Lighthouse's benchmarkIndex during the runs: on a shared,
busy machine it drops, and total blocking time (CPU time, slowed 4x) rises
with it; compare runs at a similar index.
"bytes" is Lighthouse's total-byte-weight: what the page transferred on load,
before any interaction, as served (gzipped where the server gzips).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
NPM_DIR = HERE / "lighthouse"
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

GZIPPED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".csv", ".txt"}
# (label, site, path under the site): one page of each type (issue #14's list).
PAGES = [
    ("national front page", "nasional", "index.html"),
    ("region report", "cakupan", "lampung/index.html"),
    ("regency page", "cakupan", "lampung/kota-metro/index.html"),
    ("dated report", "cakupan", "lampung/arsip/2024-09-24/index.html"),
    ("what changed", "cakupan", "lampung/arsip/2025-12-08/perubahan/index.html"),
    ("archive index", "cakupan", "lampung/arsip/index.html"),
    ("data page", "cakupan", "data/index.html"),
    ("embed", "cakupan", "embed/lampung/2025-12-08/target/index.html"),
]
TARGETS = {"perf": 95, "lcp": 1.5, "tbt": 150, "cls": 0.02, "kb": 150, "a11y": 100, "bp": 100, "seo": 100}


class _Handler(SimpleHTTPRequestHandler):
    """Serves /<mount>/... from its folder, text gzipped when the client accepts it."""

    mounts: dict[str, Path] = {}

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        parts = path.lstrip("/").split("/", 1)
        root = self.mounts.get(parts[0])
        if root is None or len(parts) == 1:
            self.send_error(404)
            return
        file = (root / parts[1]).resolve()
        if file.is_dir():
            file = file / "index.html"
        if root.resolve() not in file.parents or not file.is_file():
            self.send_error(404)
            return
        body = file.read_bytes()
        ctype = self.guess_type(str(file))
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        if file.suffix in GZIPPED and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, 6, mtime=0)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        self.wfile.write(body)


def serve(mounts: dict[str, Path]) -> ThreadingHTTPServer:
    handler = type("Handler", (_Handler,), {"mounts": mounts})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def lighthouse_bin() -> Path:
    binary = NPM_DIR / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        print("installing Lighthouse (npm ci in bench/lighthouse/)", file=sys.stderr)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NPM_DIR, check=True)
    return binary


def build(data: Path, out: Path, cache: Path) -> None:
    env = dict(os.environ, CAKUPAN_CACHE_DIR=str(cache))
    env.pop("CAKUPAN_BASE_URL", None)
    subprocess.run([sys.executable, "-m", "generator.commands.cli", "build", "--data", str(data), "--out", str(out),
                    "--content", str(REPO / "content"), "--templates", str(REPO / "templates")],
                   cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)


def measure(binary: Path, url: str, work: Path) -> dict:
    """One Lighthouse mobile run of url: the figures of the table."""
    report = work / "report.json"
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    subprocess.run([str(binary), url, "--quiet", "--output=json", f"--output-path={report}",
                    "--only-categories=performance,accessibility,best-practices,seo",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking"],
                   env=env, check=True)
    data = json.loads(report.read_text())
    audits, cats = data["audits"], data["categories"]
    score = lambda name: round(100 * (cats[name]["score"] or 0))  # noqa: E731
    return {
        "perf": score("performance"), "a11y": score("accessibility"),
        "bp": score("best-practices"), "seo": score("seo"),
        "lcp": round(audits["largest-contentful-paint"]["numericValue"] / 1000, 2),
        "tbt": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "kb": round(audits["total-byte-weight"]["numericValue"] / 1000, 1),
        # Lighthouse's measure of this machine's speed at the time (a quiet desktop: about 1,500+)
        "cpu": round(data["environment"]["benchmarkIndex"]),
    }


def meets(key: str, value) -> bool:
    goal = TARGETS.get(key)
    if goal is None:
        return True
    return value >= goal if key in ("perf", "a11y", "bp", "seo") else value <= goal


def table(rows: list[tuple[str, dict]]) -> str:
    head = ("| page | perf | LCP s | TBT ms | CLS | KB gzipped | a11y | best pr. | SEO | machine index |\n"
            "|---|---|---|---|---|---|---|---|---|---|")
    keys = ("perf", "lcp", "tbt", "cls", "kb", "a11y", "bp", "seo", "cpu")
    lines = [head]
    for label, m in rows:
        cells = [f"{m[k]}" + ("" if meets(k, m[k]) else " ✗") for k in keys]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="Lighthouse runs a page; the table has the medians")
    ap.add_argument("--work", type=Path, help="work folder (default: a new temporary one, removed after)")
    ap.add_argument("--json", type=Path, help="write every run's figures here")
    args = ap.parse_args(argv)
    binary = lighthouse_bin()
    work = args.work or Path(tempfile.mkdtemp(prefix="cakupan-lighthouse-"))
    try:
        national = work / "data-nasional"
        if not national.exists():
            synthetic.generate(national, provinces=4, snapshots=3, sizes=(6, 8, 10, 12))
        build(REPO / "data", work / "cakupan", work / "cache")
        build(national, work / "nasional", work / "cache")
        server = serve({"cakupan": work / "cakupan", "cakupan-nasional": work / "nasional"})
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        runs: dict[str, list[dict]] = {}
        try:
            for label, site, path in PAGES:
                mount = "cakupan" if site == "cakupan" else "cakupan-nasional"
                url = base + mount + "/" + path
                runs[label] = [measure(binary, url, work) for _ in range(args.runs)]
                print(f"{label}: {runs[label]}", file=sys.stderr)
        finally:
            server.shutdown()
        medians = [(label, {k: statistics.median(r[k] for r in rs) for k in rs[0]}) for label, rs in runs.items()]
        print(f"Lighthouse {subprocess.run([str(binary), '--version'], capture_output=True, text=True).stdout.strip()}"
              f", mobile preset, median of {args.runs} runs a page (✗: misses issue #14's target)")
        print(table(medians))
        if args.json:
            args.json.write_text(json.dumps(runs, indent=1))
        return 0 if all(meets(k, v) for _, m in medians for k, v in m.items()) else 1
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
