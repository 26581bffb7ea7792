"""Jinja templates and Markdown prose into HTML strings; nothing here touches the disk but reading.

Autoescape is on and undefined names fail, so a typo in a template is an
error at build time, not a blank on the page.
"""

from __future__ import annotations

import html
import re
import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markdown
import nh3
from markupsafe import Markup

from . import fmt
from .errors import CakupanError, UsageError, display_path


class TemplateError(UsageError):
    """A template that does not compile or asks for something the page does not have."""


def environment(templates: Path) -> jinja2.Environment:
    if not templates.is_dir():
        raise TemplateError(f"{templates}: is not a folder (the Jinja templates expected)")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters.update(fmt.FILTERS)
    env.globals.update(pct=fmt.pct, count=fmt.count, change_count=fmt.change_count, points=fmt.points, percent=fmt.percent, num=fmt.number)
    return env


def render(env: jinja2.Environment, template: str, context: dict) -> str:
    """One page; a template mistake becomes a message naming the template file and line."""
    try:
        return env.get_template(template).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or template}:{exc.lineno}: {exc.message}") from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name} not found in {env.loader.searchpath[0]}") from exc
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{_template_frame(exc, env, template)}: {exc.message} "
                            f"(while rendering {context.get('page_path', '?')})") from exc


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


def sanitise(html_text: str) -> Markup:
    """HTML from Markdown, safe to put in a page as is."""
    return Markup(nh3.clean(html_text, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                            link_rel=None, strip_comments=True))


def markdown_html(text: str) -> Markup:
    return sanitise(_markdown().convert(text))


def read_prose(path: Path) -> Prose:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CakupanError(f"{display_path(path)}: cannot be read as UTF-8 text ({exc})") from exc
    match = re.match(r"\s*#\s+(.+?)\s*\n", text)
    if not match:
        raise CakupanError(f"{display_path(path)}:1: a page starts with its title as '# Title'")
    body = text[match.end():]
    html_body = markdown_html(body)
    first = re.search(r"<p>(.*?)</p>", html_body, re.S)
    description = html.unescape(re.sub(r"<[^>]+>", "", first.group(1))).strip() if first else match.group(1)
    return Prose(path.stem, match.group(1), " ".join(description.split())[:300], html_body)
