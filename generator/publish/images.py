"""Charts and link-preview cards, drawn through the build cache and added to the site.

A chart's four files (Vega-Lite, SVG, PNG, CSV) and a page's 1200x630 card
are the costly part of a build: vl-convert draws them, in one batch so that
publish/workers.py can spread them over processes, and the build cache hands
back any it drew before. The latest reports' and the front page's charts go
straight into the output (draw_charts); a dated report's are its own files,
sealed with it (publish/reports.py), so chart_files only says what they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from generator.publish import cache
from generator.publish.archive import sha256
from generator.publish.write import Output
from generator.site import cards, exports
from generator.charts import draw
from generator.site.chart_refs import ChartRef, chart_ref, phone_path, svg_size, variant_base
from generator.site.plan import PageJob
from generator.site.social import social


class Pictures(NamedTuple):
    """A chart's images: as drawn (SVG and PNG), at a phone's width (an SVG, or None for a chart that
    fits a phone as it is), and its variants' (name -> (file stem, SVG, phone SVG or None))."""

    drawn: cache.Drawn
    phone: str | None
    variants: dict[str, tuple[str, str, str | None]]


def chart_files(base: str, job, pictures: Pictures) -> dict[str, bytes]:
    """A drawn chart's files, by path: its Vega-Lite spec, its SVG and PNG images, its figures as CSV,
    its phone-width SVG and its variants' SVGs."""
    drawn = pictures.drawn
    files = {f"{base}.vl.json": cache.spec_document(job.spec, drawn.text).encode(), f"{base}.svg": drawn.svg.encode(),
             f"{base}.png": drawn.png, f"{base}.csv": exports.table_csv(job.table).encode()}
    for stem, svg, phone in [(base, drawn.svg, pictures.phone)] + [
            (variant_base(base, stem), svg, phone) for stem, svg, phone in pictures.variants.values()]:
        files[f"{stem}.svg"] = svg.encode()
        if phone is not None:
            files[phone_path(stem)] = phone.encode()
    return files


def drawn_charts(jobs: dict, store: cache.Store | None = None) -> list[tuple[str, object, Pictures]]:
    """Each (base, job, pictures) in the order of their bases, in three batches through the build cache:
    every chart's SVG and PNG; its variants' SVGs (their PNG and data are the chart's own); then the
    phone-width SVG of each (the spec narrowed, or as its builder laid it out for a phone)."""
    store = store or cache.Store(None)
    ordered = sorted(jobs.items())
    images = cache.chart_images([job.spec for _, job in ordered], store)
    variants = [(index, name, stem, spec) for index, (_, job) in enumerate(ordered)
                for name, (stem, spec) in sorted(job.variants.items())]
    variant_svgs = cache.chart_svgs([spec for *_, spec in variants], store)
    narrow = [_phone_spec(job, job.spec, drawn.svg, own=True) for (_, job), drawn in zip(ordered, images)]
    narrow += [_phone_spec(ordered[index][1], spec, svg) for (index, *_, spec), svg in zip(variants, variant_svgs)]
    drawn_narrow = iter(cache.chart_svgs([spec for spec in narrow if spec is not None], store))
    phones = [next(drawn_narrow) if spec is not None else None for spec in narrow]
    pictures = [Pictures(drawn, phone, {}) for drawn, phone in zip(images, phones)]
    for (index, name, stem, _), svg, phone in zip(variants, variant_svgs, phones[len(ordered):]):
        pictures[index].variants[name] = (stem, svg, phone)
    return [(base, job, p) for (base, job), p in zip(ordered, pictures)]


def _phone_spec(job, spec: dict, svg: str, own: bool = False) -> dict | None:
    """The spec for a chart's phone image: its builder's phone layout (the chart's own spec only), else
    the spec narrowed when the chart may be drawn narrower and is wider than a phone; None: none needed."""
    if own and job.phone is not None:
        return draw.fit_titles(job.phone)
    return draw.phone_spec(spec, svg_size(svg)[0]) if job.responsive else None


def draw_charts(jobs: dict, output: Output, store: cache.Store | None = None) -> dict[str, ChartRef]:
    """The latest reports' charts: SVG and PNG (from the build cache or drawn), Vega-Lite and CSV."""
    refs = {}
    for base, job, pictures in drawn_charts(jobs, store):
        output.add_all(chart_files(base, job, pictures))
        refs[base] = chart_ref(base, job, pictures.drawn, pictures.phone, pictures.variants)
    return refs


def link_previews(pages: list[PageJob], output: Output, templates: Path,
                  store: cache.Store | None = None) -> dict[str, dict]:
    """A 1200x630 card per page, named by its content, so pages that say the same share one."""
    previews = {}
    new: dict[str, str] = {}  # path -> card SVG, drawn below in one batch
    for page in pages:
        preview = social(page)
        if preview is None:
            continue
        svg = cards.card_svg(preview.card, templates)
        path = f"cards/{sha256(svg.encode())[:20]}.png"
        if path not in output:
            new.setdefault(path, svg)
        previews[page.path] = {"title": preview.title, "description": preview.description, "image": path,
                               "alt": f"{preview.card.place}: {preview.card.figure}".strip(": ")}
    for path, png in zip(new, cache.card_images(list(new.values()), store or cache.Store(None))):
        output.add(path, png)
    return previews
