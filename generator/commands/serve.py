"""`cakupan serve`: preview the site while editing its data, prose or templates.

It builds with the same `build()` as `cakupan build`, into a temporary folder,
and serves that folder on this computer under the path the published site will
have (`/repo/` for https://user.github.io/repo/), so links that work here work
on GitHub Pages. It polls data/, content/ and templates/ for changes
(commands/watch.py: no file opened, no OS-specific watcher), rebuilds in the
main thread (where Markdown has its CPU budget), and open pages reload
themselves: every HTML response, and only the response, gets a small script
that asks /__cakupan/version whether a newer build exists. The built files are
never changed. A failed rebuild leaves the last good build served, with the
error laid over every page and printed in the terminal, until an edit fixes it.
"""

from __future__ import annotations

import contextlib
import html
import ipaddress
import json
import mimetypes
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.commands import watch
from generator.commands.build import build
from generator.publish.settings import Settings, normalise_base_url
from generator.errors import CakupanError, UsageError

INTERVAL = 0.5  # seconds between two looks at the watched folders
CONTROL = "/__cakupan/"  # the preview's own endpoints, outside any site path

RELOAD_JS = """\
// cakupan serve: reload this page when a newer build (or a build error) exists.
(function () {
  "use strict";
  var me = document.currentScript;
  var seen = me ? me.getAttribute("data-version") : null;
  function poll() {
    fetch("/__cakupan/version", {cache: "no-store"}).then(function (response) {
      return response.json();
    }).then(function (state) {
      if (String(state.version) !== seen) window.location.reload();
      else window.setTimeout(poll, 500);
    }).catch(function () {
      window.setTimeout(poll, 2000);  // the server is restarting or stopped: keep asking, slowly
    });
  }
  window.setTimeout(poll, 500);
})();
"""

# Styled from its own stylesheet, not a style attribute: the site's
# Content-Security-Policy (style-src 'self') would block inline styles.
OVERLAY = (
    '<link rel="stylesheet" href="/__cakupan/serve.css">'
    '<div id="cakupan-build-error" role="alert"><strong>cakupan serve: {what}</strong><pre>{message}</pre></div>'
)

SERVE_CSS = """\
#cakupan-build-error { position: fixed; top: 0; left: 0; right: 0; z-index: 2147483647; max-height: 85vh;
  overflow: auto; margin: 0; padding: 1rem 1.25rem; background: #fff1f0; color: #5c0000; text-align: left;
  border-bottom: 4px solid #b00020; font: 15px/1.45 system-ui, sans-serif; }
#cakupan-build-error pre { white-space: pre-wrap; margin: 0.6rem 0 0; font: 13px/1.45 ui-monospace, monospace; }
"""

ERROR_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed · cakupan serve</title></head>
<body>
</body>
</html>
"""


def site_path(base_url: str | None) -> str:
    """The path the site is served under: that of the base URL, else the root."""
    url = normalise_base_url(base_url)
    return (urlsplit(url).path or "/") if url else "/"


def inject(page: str, version: int, error: str | None, what: str = "the last rebuild failed; "
           "this page is from the last good build") -> str:
    """The page as served: with the reload script, and the error when the last build failed."""
    snippet = f'<script src="{CONTROL}reload.js" data-version="{version}"></script>'
    if error is not None:
        snippet = OVERLAY.format(what=html.escape(what), message=html.escape(error)) + snippet
    at = page.rfind("</body>")
    return page[:at] + snippet + page[at:] if at >= 0 else page + snippet


class Preview:
    """A built site in a temporary folder, served over HTTP and rebuilt when its inputs change."""

    def __init__(self, settings: Settings, host: str = "127.0.0.1", port: int = 8000,
                 interval: float = INTERVAL, quiet: bool = False):
        self.prefix = site_path(settings.base_url)  # a bad --base-url stops here, before anything starts
        self.settings = settings
        self.host, self.port = host, port
        self.interval = interval
        self.quiet = quiet
        self.version = 0  # goes up after every build, good or bad
        self.error: str | None = None  # the last build's error, None when it succeeded
        self.good = False  # whether a build has succeeded, so there is something to serve
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._server: ThreadingHTTPServer | None = None
        self._tmp: Path | None = None
        self.out: Path | None = None
        self._seen: dict[str, tuple] = {}  # the inputs as last looked at
        self._watching = False  # whether a thread of its own watches them

    # ------------------------------------------------------------------ running

    def start(self, watcher_thread: bool = True) -> None:
        """Listen, build once, then serve in a background thread, and watch the inputs in another;
        without a watcher thread, wait() watches them in the calling one (`cakupan serve`: the main one)."""
        self._tmp = Path(tempfile.mkdtemp(prefix="cakupan-serve-"))
        self.out = self._tmp / "site"
        try:
            self._server = _Server(self)
        except OSError as exc:
            self.stop()
            raise UsageError(f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc} "
                             "(choose another --port, or --port 0 for any free one)") from None
        self.port = self._server.server_address[1]
        self._seen = self._scan()
        self.rebuild()
        targets = [(self._server.serve_forever, (0.2,))] + ([(self._watch, ())] if watcher_thread else [])
        for target, args in targets:
            thread = threading.Thread(target=target, args=args, daemon=True)
            thread.start()
            self._threads.append(thread)
        self._watching = watcher_thread

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{self.prefix}"

    def wait(self) -> None:
        """Block until stop() (or Ctrl-C, which raises KeyboardInterrupt here), watching the inputs
        and rebuilding in this thread unless a watcher thread does."""
        if self._watching:
            while not self._stop.wait(0.25):
                pass
        else:
            self._watch()

    def stop(self) -> None:
        self._stop.set()
        if self._server is not None:
            if self._threads:  # shutdown() waits for serve_forever(): only call it once that runs
                self._server.shutdown()
            self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)

    # ------------------------------------------------------------------ building

    def rebuild(self) -> bool:
        started = time.perf_counter()
        try:
            summary = build(replace(self.settings, out=self.out))
        except CakupanError as exc:
            error = str(exc)
        except Exception as exc:  # a bug in cakupan: show it, keep serving
            error = f"unexpected error: {type(exc).__name__}: {exc}\n\n{traceback.format_exc()}"
        else:
            error = None
        with self._lock:  # (a file name that is not UTF-8 is shown escaped: the page must encode it)
            self.error = error and error.encode("utf-8", "backslashreplace").decode("utf-8")
            self.good = self.good or error is None
            self.version += 1
        if error is None:
            self._say(f"built {summary.pages} pages in {time.perf_counter() - started:.1f} s")
        else:
            kept = "serving the last good build" if self.good else "nothing to serve until it is fixed"
            self._say(f"cakupan serve: build failed ({kept}):\n{error}", err=True)
        return error is None

    def state(self) -> tuple[int, str | None, bool]:
        with self._lock:
            return self.version, self.error, self.good

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            self.check()

    def check(self) -> bool:
        """One look at the inputs, and a rebuild if anything changed (whether it did). Nothing here
        stops the watching: an error is printed, and the next look tries again."""
        try:
            now = self._scan()
        except Exception as exc:  # a bug in cakupan: say so, and look again
            self._say(f"cakupan serve: could not look at the inputs: {type(exc).__name__}: {exc}", err=True)
            return False
        if now == self._seen:
            return False
        changed = watch.changed(self._seen, now)
        self._seen = now  # taken before building: an edit made during the build triggers another
        self._say(f"change in {', '.join(changed[:3])}: rebuilding")
        self.rebuild()
        return True

    def _scan(self) -> dict[str, tuple]:  # (generator/commands/watch.py: nothing is opened)
        return watch.look((self.settings.data, self.settings.content, self.settings.templates))

    def _say(self, message: str, err: bool = False) -> None:
        if self.quiet:
            return
        shown = message.encode("utf-8", "backslashreplace").decode("utf-8")  # a file name that is not UTF-8
        with contextlib.suppress(OSError, ValueError):  # a terminal that cannot show it, or a closed one
            print(shown, file=sys.stderr if err else sys.stdout, flush=True)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, preview: Preview):
        self.preview = preview
        if ":" in preview.host:
            self.address_family = socket.AF_INET6
        super().__init__((preview.host, preview.port), _Handler)


class _Handler(BaseHTTPRequestHandler):
    server_version = "cakupan-serve"
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 (the http.server naming)
        self._respond(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(send_body=False)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass  # the page polls twice a second: no access log

    def _respond(self, send_body: bool) -> None:
        preview = self.server.preview
        if not own_host(self.headers.get("Host"), preview.port):
            # a page elsewhere could reach this server through a name that resolves here (DNS rebinding)
            return self._send(HTTPStatus.MISDIRECTED_REQUEST, "text/plain; charset=utf-8",
                              b"cakupan serve answers only requests addressed to this computer's own address\n",
                              send_body)
        path = unquote(urlsplit(self.path).path)
        if path == CONTROL + "version":
            version, error, good = preview.state()
            body = json.dumps({"version": version, "ok": error is None, "error": error}).encode()
            return self._send(HTTPStatus.OK, "application/json", body, send_body)
        if path == CONTROL + "reload.js":
            return self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", RELOAD_JS.encode(), send_body)
        if path == CONTROL + "serve.css":
            return self._send(HTTPStatus.OK, "text/css; charset=utf-8", SERVE_CSS.encode(), send_body)
        prefix = preview.prefix
        if not path.startswith(prefix):
            if path in ("/", prefix.rstrip("/")):
                return self._redirect(prefix)
            return self._not_found(send_body)
        version, error, good = preview.state()  # read before the file: a newer file only reloads once more
        if not good:
            page = inject(ERROR_PAGE, version, error or "", "the site could not be built; fix the error and save")
            return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", page.encode(), send_body)
        target = inside(preview.out, path[len(prefix):])
        if target is None:
            return self._not_found(send_body)
        if target.is_dir():
            if not path.endswith("/"):
                return self._redirect(path + "/")
            target = target / "index.html"
        if not target.is_file():
            return self._not_found(send_body)
        self._file(HTTPStatus.OK, target, version, error, send_body)

    def _file(self, status: HTTPStatus, target: Path, version: int, error: str | None, send_body: bool) -> None:
        try:
            data = target.read_bytes()
        except OSError:  # swapped out by a rebuild at this very moment
            return self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", b"rebuilding\n", send_body)
        if target.suffix == ".html":
            data = inject(data.decode("utf-8"), version, error).encode("utf-8")
        self._send(status, _content_type(target), data, send_body)

    def _not_found(self, send_body: bool) -> None:
        """As GitHub Pages does: the site's own 404.html, with status 404."""
        preview = self.server.preview
        version, error, good = preview.state()
        page = preview.out / "404.html" if preview.out is not None else None
        if good and page is not None and page.is_file():
            return self._file(HTTPStatus.NOT_FOUND, page, version, error, send_body)
        self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found\n", send_body)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, kind: str, body: bytes, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if send_body:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the page went away (a reload): nothing to do


def own_host(header: str | None, port: int) -> bool:
    """Whether a request's Host is this server's own address: localhost or an IP address, with its port.

    A name other than localhost is refused, so a web page whose own name was made to resolve to
    127.0.0.1 (DNS rebinding) cannot read the preview from the reader's browser."""
    if not header:
        return False
    host, sep, given = header.strip().rpartition(":")
    if not sep or given != str(port):
        return False
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def inside(root: Path, relative: str) -> Path | None:
    """root / relative, or None unless that stays inside root once decoded, normalised and its
    symlinks resolved: a leading or doubled slash, a "..", a backslash or a NUL never leaves it."""
    if "\0" in relative or "\\" in relative:
        return None
    parts = [part for part in relative.split("/") if part not in ("", ".")]
    if ".." in parts:
        return None
    target = root.joinpath(*parts)
    try:
        resolved, top = target.resolve(), root.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return None
    return target if resolved == top or resolved.is_relative_to(top) else None


TEXT_TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".json": "application/json",
              ".svg": "image/svg+xml", ".xml": "application/xml", ".csv": "text/csv", ".txt": "text/plain",
              ".md": "text/markdown"}


def _content_type(path: Path) -> str:
    kind = TEXT_TYPES.get(path.suffix)
    if kind is not None:
        return kind + "; charset=utf-8"
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> int:
    """`cakupan serve`: run until Ctrl-C."""
    preview = Preview(settings, host=host, port=port)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if main_thread else None  # `kill` stops it as Ctrl-C does
    try:
        preview.start(watcher_thread=False)  # wait() rebuilds in this thread, where Markdown has its CPU budget
        watched = ", ".join(f"{p}/" for p in (settings.data, settings.content, settings.templates))
        print(f"Serving {preview.url} (watching {watched}; Ctrl-C to stop)", flush=True)
        preview.wait()
    except KeyboardInterrupt:
        print("\nstopped", flush=True)
    finally:
        preview.stop()
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
    return 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
