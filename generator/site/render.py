"""Jinja templates and Markdown prose into HTML strings; nothing here touches the disk but reading.

Autoescape is on and undefined names fail, so a typo in a template is an
error at build time, not a blank on the page.
"""

from __future__ import annotations

import html
import os
import re
import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markdown
import nh3
from markupsafe import Markup

from generator.data import budget, inputs
from generator.facts import fmt
from generator.errors import UsageError, display_path


class TemplateError(UsageError):
    """A template that does not compile or asks for something the page does not have."""


class _Templates(jinja2.FileSystemLoader):
    """Jinja's loader for one folder, reading each template through inputs.read_text: a template
    that is a symlink out of templates/, a special file, too big or not UTF-8 is an error naming it."""

    def __init__(self, folder: Path):
        super().__init__(folder)
        self.folder = folder

    def get_source(self, environment, template):
        path = self.folder.joinpath(*jinja2.loaders.split_template_path(template))
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        text = inputs.read_text(path, self.folder, inputs.MAX_TEMPLATE)
        mtime = os.path.getmtime(path)
        return text, os.path.normpath(path), lambda: os.path.exists(path) and os.path.getmtime(path) == mtime


def environment(templates: Path, compiled: Path | None = None) -> jinja2.Environment:
    """The templates' Jinja environment; compiled: a folder where Jinja keeps each template compiled
    (its FileSystemBytecodeCache, checked against the template's source), so a build does not compile
    them all again: about 0.15-0.25 s a process."""
    if not templates.is_dir():
        raise TemplateError(f"{templates}: is not a folder (the Jinja templates expected)")
    env = jinja2.Environment(
        loader=_Templates(templates),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        bytecode_cache=_compiled(compiled),
    )
    env.filters.update(fmt.FILTERS)
    env.globals.update(pct=fmt.pct, count=fmt.count, change_count=fmt.change_count, points=fmt.points, percent=fmt.percent, num=fmt.number)
    return env


def _compiled(folder: Path | None) -> jinja2.BytecodeCache | None:
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # (a cache folder that cannot be written only costs speed)
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def render(env: jinja2.Environment, template: str, context: dict) -> str:
    """One page; a template mistake becomes a message naming the template file and line."""
    try:
        text = env.get_template(template).render(context)
        return xml_text(text) if template.endswith(".xml") else text
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or template}:{exc.lineno}: {exc.message}") from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name} not found in {env.loader.searchpath[0]}") from exc
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{_template_frame(exc, env, template)}: {exc.message} "
                            f"(while rendering {context.get('page_path', '?')})") from exc
    except inputs.InputError:
        raise
    except (jinja2.TemplateError, ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as exc:
        # what a template's own expressions can raise ({{ 1 // 0 }}, {{ "a" + 1 }}, {{ x[99] }})
        raise TemplateError(f"{_template_frame(exc, env, template)}: {type(exc).__name__}: {exc} "
                            f"(while rendering {context.get('page_path', '?')})") from exc


# What XML 1.0 cannot hold at all, even escaped: C0 controls but tab and newlines, lone surrogates, U+FFFE/F.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text with every character XML cannot carry removed (a correction reason with a control
    character would otherwise make feed.xml malformed)."""
    return _NOT_XML.sub("", text)


def _template_frame(exc: Exception, env: jinja2.Environment, fallback: str) -> str:
    """file:line of the innermost template the error passed through."""
    roots = [Path(p).resolve() for p in getattr(env.loader, "searchpath", [])]
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename).resolve()
        if any(path.is_relative_to(root) for root in roots):
            return f"{display_path(path)}:{frame.lineno}"
    return fallback


@dataclass(frozen=True)
class Prose:
    """A Markdown page from content/: its title (the first heading) and its HTML."""

    slug: str
    title: str
    description: str
    html: str


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(extensions=["tables", "attr_list", "toc", "sane_lists"],
                             extension_configs={"toc": {"permalink": False}}, output_format="html")


# What prose in content/ may keep once rendered: nh3's (ammonia's) safe tags and
# attributes, plus id/class/title on any tag (heading ids from the toc
# extension, attr_list). Gone: <script>, <style> and <iframe> (with their
# content for the first two), on* handlers, style attributes, and links or
# images to anything but http(s), mailto and relative addresses.
_ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()} | {"*": {"id", "class", "title", "lang", "dir"}}


# The words the site's own ids start with (templates/*.html: id="sumber", "grafik-…", "fakta-1" …).
# A user-written id starting with one of them would be found by the page's script or links in
# place of the site's element, so it gets the prefix "md-" (a link to it "#md-…" too).
# tests/test_hostile.py checks that every id in the templates starts with one of these.
SITE_IDS = ("cari", "catatan", "daerah", "daftar", "fakta", "grafik", "isi", "keaslian", "koreksi", "kutip", "peringkat",
            "peta", "riwayat", "sumber", "md-")
USER_ID = "md-"
_EXTERNAL = re.compile(r"^\s*([a-z][a-z0-9+.-]*:|[\\/]{2})", re.IGNORECASE)  # a scheme, or //host


def _user_id(value: str) -> str:
    return USER_ID + value if value.lower().startswith(SITE_IDS) else value


def _attribute(tag: str, name: str, value: str) -> str | None:
    """nh3's hook for each attribute kept: ids out of the site's own, no image from elsewhere."""
    if name == "id":
        return _user_id(value)
    if name == "href" and value.startswith("#"):
        return "#" + _user_id(value[1:])
    if tag == "img" and name in ("src", "srcset") and _EXTERNAL.match(value):
        return None  # a picture from another site would tell it who reads the page
    return value


def sanitise(html_text: str) -> Markup:
    """HTML from Markdown, safe to put in a page as is."""
    return Markup(nh3.clean(html_text, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                            link_rel=None, strip_comments=True, attribute_filter=_attribute))


def markdown_html(text: str, source: Path | None = None) -> Markup:
    """Markdown (from the file source, named in the error) as sanitised HTML, within budget.MARKDOWN_SECONDS."""
    try:
        with budget.cpu_budget():
            raw = _markdown().convert(text)
    except budget.OverBudget:
        where = display_path(source) if source is not None else "Markdown"
        raise UsageError(f"{where}: takes too long to render as Markdown (at most {budget.MARKDOWN_SECONDS:g} s of "
                         "CPU time; long runs of '[', '-' lines or unclosed '<a ' tags are the usual cause)") from None
    return sanitise(raw)


def read_prose(path: Path, folder: Path | None = None) -> Prose:
    """A page of content/ (folder): its title, description and sanitised HTML."""
    text = inputs.read_text(path, folder if folder is not None else path.parent, inputs.MAX_MARKDOWN)
    match = re.match(r"\s*#\s+(.+?)\s*\n", text + "\n")
    if not match:
        raise UsageError(f"{display_path(path)}:1: a page starts with its title as '# Title'")
    body = text[match.end():]
    html_body = markdown_html(body, path)
    first = re.search(r"<p>(.*?)</p>", html_body, re.S)
    description = html.unescape(re.sub(r"<[^>]+>", "", first.group(1))).strip() if first else match.group(1)
    return Prose(path.stem, match.group(1), " ".join(description.split())[:300], html_body)


PAGE_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?")  # a page's file name is its address
RESERVED_PAGES = ("index", "404", "data", "assets", "charts", "embed", "cards", "feed", "sitemap", "robots")


def read_content(content: Path, taken: tuple[str, ...] = ()) -> dict[str, Prose]:
    """Every page of content/*.md by its name, which must be a URL slug that no other page of the
    site has (the site's own folders, the region folders in taken)."""
    pages = {}
    for path in sorted(content.glob("*.md")) if content.is_dir() else ():
        shown = display_path(path)
        if not PAGE_NAME.fullmatch(path.stem):
            raise UsageError(f"{shown}: the file name {path.stem!r} is not a URL slug (lowercase a-z, 0-9 and - "
                             "expected: it becomes the page's address)")
        if path.stem in RESERVED_PAGES or path.stem in taken:
            what = "a region's folder" if path.stem in taken else "the site's own pages"
            raise UsageError(f"{shown}: the address {path.stem}/ is taken by {what} (rename the file)")
        pages[path.stem] = read_prose(path, content)
    return pages
