"""The Content-Security-Policy: on every page, as strict as the charts allow, and the charts still work.

The policy (templates/_csp.html) allows only the site's own scripts, styles
and images, no eval (the chart runtime evaluates expressions with
vega-interpreter) and no inline style. A browser reports every blocked action as a `securitypolicyviolation`
event; a probe script records them on the page, and the tests read them from
the DOM that headless Chromium dumps.
"""

from __future__ import annotations

import html.parser
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import REACH, REPO, need
from test_browser import FLAGS, interactive_charts

PROBE = """\
// test probe: record every Content-Security-Policy violation on <html data-csp>
document.addEventListener("securitypolicyviolation", function (e) {
  var root = document.documentElement;
  root.setAttribute("data-csp", (root.getAttribute("data-csp") || "") + e.effectiveDirective + " "
    + e.blockedURI + " " + (e.sourceFile || "") + ":" + e.lineNumber + " " + (e.sample || "") + "\\n");
});
"""

BASE = (REPO / "templates" / "_csp.html").read_text(encoding="utf-8")  # included by base.html and embed.html
POLICY = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', BASE).group(1)


SEARCH_POLICY = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', BASE)[1]  # cari/


def test_the_search_page_may_run_webassembly_and_nothing_more():
    """Pagefind's index is searched by WebAssembly: 'wasm-unsafe-eval' on that page, never 'unsafe-eval'."""
    assert SEARCH_POLICY == POLICY.replace("script-src 'self';", "script-src 'self' 'wasm-unsafe-eval';")
    assert SEARCH_POLICY != POLICY


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


# --------------------------------------------------------------------------- the policy itself


def test_the_policy_allows_nothing_from_elsewhere_and_no_eval():
    d = directives(POLICY)
    assert d["default-src"] == ["'self'"]
    assert d["script-src"] == ["'self'"]  # no 'unsafe-eval', no 'unsafe-inline', no host
    assert d["img-src"] == ["'self'"]
    assert d["object-src"] == ["'none'"] and d["base-uri"] == ["'none'"] and d["form-action"] == ["'none'"]
    assert not re.search(r"https?:|\*|unsafe", POLICY)


def test_no_style_is_allowed_but_the_sites_own():
    """The chart runtime inserts no <style> (vega-tooltip's is switched off: runtime/charts.js, and the
    site's stylesheet styles the tooltip), so the policy allows no inline style at all."""
    assert directives(POLICY)["style-src"] == ["'self'"]
    assert "disableDefaultStyle: true" in (REPO / "runtime" / "charts.js").read_text(encoding="utf-8")
    assert "#vg-tooltip-element.visible" in (REPO / "templates" / "assets" / "style.css").read_text(encoding="utf-8")


class _Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.head: list[tuple[str, dict]] = []
        self.in_head = True
        self.inline_scripts = 0
        self.handlers: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.in_head = False
        if self.in_head and tag in ("meta", "script", "link", "style"):
            self.head.append((tag, a))
        self.handlers += [f"{tag} {k}" for k, v in attrs if k.startswith("on") or k == "style"
                          or (v and k in ("href", "src") and v.strip().lower().startswith(("javascript:", "data:")))]
        if tag == "script" and "src" not in a and a.get("type") != "application/json":
            self.inline_scripts += 1
        if tag == "style":
            self.inline_scripts += 1


def test_every_page_carries_the_policy_first_and_needs_nothing_it_forbids(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        parser = _Page()
        parser.feed(page.read_text(encoding="utf-8"))
        where = page.relative_to(site)
        assert parser.head[0] == ("meta", {"charset": "utf-8"}), where
        policy = SEARCH_POLICY if where.as_posix() == "cari/index.html" else POLICY
        assert parser.head[1] == ("meta", {"http-equiv": "Content-Security-Policy", "content": policy}), where
        assert parser.inline_scripts == 0, where
        assert parser.handlers == [], where


# --------------------------------------------------------------------------- in a browser


def with_probe(site: Path, into: Path, pages: list[str]) -> Path:
    """A copy of the site whose given pages load the violation probe right after the policy; the
    probe also reaches for every chart, so that site.js loads the runtime and draws them all."""
    shutil.copytree(site, into, symlinks=True)
    (into / "assets" / "csp-probe.js").write_text(PROBE + REACH, encoding="utf-8")  # (and reach every chart)
    for rel in pages:
        page = into / rel
        text = page.read_text(encoding="utf-8")
        root = "../" * rel.count("/")
        meta = re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n', text)
        assert meta, rel
        text = text[: meta.end()] + f'<script src="{root}assets/csp-probe.js"></script>\n' + text[meta.end():]
        page.write_text(text, encoding="utf-8")
    return into


def browse(url: str) -> tuple[str, str]:
    """The DOM after scripts ran, and Chromium's console log."""
    chromium = need("chromium")
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=10000",
                                 "--enable-logging=stderr", "--v=0", "--dump-dom", url],
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout, result.stderr


def violations(dom: str, log: str) -> list[str]:
    probe = re.search(r'data-csp="([^"]*)"', dom)
    found = [line for line in (probe.group(1).splitlines() if probe else []) if line.strip()]
    found += [line for line in log.splitlines() if "Content Security Policy" in line]
    return found


PAGES = ["lampung/index.html", "lampung/kota-metro/index.html", "metodologi/index.html", "404.html"]


@pytest.fixture(scope="module")
def probed(site, tmp_path_factory):
    need("chromium")
    return with_probe(site, tmp_path_factory.mktemp("csp") / "site", PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_no_violation_and_every_chart_interactive_from_disk(probed, page):
    dom, log = browse((probed / page).as_uri())
    assert 'id="isi"' in dom
    assert violations(dom, log) == []
    assert interactive_charts(dom) == dom.count('class="chart-view"')
    if page.startswith("lampung/"):
        assert dom.count('class="chart-view"') >= 2


def test_no_violation_when_served(probed):
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(probed))
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        dom, log = browse(f"http://127.0.0.1:{server.server_address[1]}/lampung/index.html")
    finally:
        server.shutdown()
    assert violations(dom, log) == []
    assert interactive_charts(dom) == dom.count('class="chart-view"') >= 4  # (no change chart on 8 Dec 2025)


def test_the_policy_really_blocks_eval_and_inline_script(site, tmp_path):
    """The probe sees violations when there are some: the same page with an eval in its script (what
    Vega's expression code generator would do without the interpreter) and an injected inline script
    reports both."""
    copy = with_probe(site, tmp_path / "site", ["lampung/index.html"])
    js = next(copy.glob("assets/*/site.js"))  # the content-addressed copy the pages load
    js.write_text('try { new Function("return 1")(); } catch (e) {}\n' + js.read_text(encoding="utf-8"),
                  encoding="utf-8")
    page = copy / "lampung" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", "<script>document.title='x'</script></main>"),
                    encoding="utf-8")
    dom, log = browse(page.as_uri())
    found = "\n".join(violations(dom, log))
    assert "script-src-elem inline" in found  # the injected script
    assert "script-src eval" in found  # new Function()


def test_hostile_names_run_no_script_and_leave_the_charts_working(tmp_path):
    """Markup in every text field (tests/test_hostile.py) under the policy: nothing blocked means
    nothing was injected, and the chart specs still parse."""
    from test_hostile import build_hostile

    need("chromium")
    site = build_hostile(tmp_path / "hostile")
    pages = ["uji/index.html", "halaman/index.html"]
    pages += [p.relative_to(site).as_posix() for p in sorted(site.glob("uji/*/index.html"))][:2]
    probed = with_probe(site, tmp_path / "probed", pages)
    for page in pages:
        dom, log = browse((probed / page).as_uri())
        assert violations(dom, log) == [], page
        assert interactive_charts(dom) == dom.count('class="chart-view"'), page
        inline = [tag for tag in re.findall(r"<script\b[^>]*>", dom)
                  if "src=" not in tag and 'type="application/json"' not in tag]
        assert inline == [], page  # every script in the live DOM is a file of the site or a chart spec
