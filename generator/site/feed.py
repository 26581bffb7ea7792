"""The Atom feed (feed.xml): an entry per dated report and per correction of one.

A new snapshot is news, and so is a correction: readers who follow the feed
learn of both. Each dated report's entry is written when the report is made
and kept with it (publish/rebuild.py's Made, a frozen record's feed), so a
report kept from the previous site or frozen needs no planning again; the
feed's context gathers those entries with the corrections the frozen records
hold, newest first.
"""

from __future__ import annotations

from datetime import date as Date

from generator import __version__
from generator.data import when as when_
from generator.facts import fmt, words
from generator.site.plan import PageJob


def feed_entry(region, when: Date, prefix: str, page: PageJob, changed: PageJob | None) -> dict:
    """What the Atom feed says of a dated report (kept with it, so a kept report needs no planning)."""
    summary = " ".join(f.text for f in page.context["facts"][:1])
    if page.context.get("h") is not None and changed is not None:
        summary += " " + words.change(region, changed.context["c"]).text
    return {"region": region.slug, "date": when.isoformat(), "prefix": prefix,
            "title": f"Cakupan Jamsostek {region.name} per {fmt.long_date(when)}: {fmt.pct(page.context['h'].coverage)}",
            "summary": summary, "region_name": region.name}


def feed_context(reports: list[dict], records, base_url: str | None) -> dict:
    """An Atom entry per snapshot and per correction, newest first."""
    entries = []
    for r in reports:
        when = when_.parse(r["date"])
        link = (base_url or "") + r["prefix"]
        # Atom needs a day: a report of a month or a year is dated by its first day
        entries.append({"id": _entry_id(base_url, r["prefix"]), "link": link, "updated": when_.first_last(when)[0],
                        "title": r["title"], "summary": r["summary"]})
        record = records.get((r["region"], when))
        for i, c in enumerate(record.corrections if record else (), start=1):
            entries.append({
                "id": _entry_id(base_url, f"{r['prefix']}#koreksi-{i}"), "link": f"{link}#koreksi-{i}",
                "updated": c.date,
                "title": f"Koreksi laporan {r['region_name']} per {fmt.long_date(when)}",
                "summary": c.reason,
            })
    entries.sort(key=lambda e: (e["updated"], e["id"]), reverse=True)
    return {"entries": entries, "base_url": base_url, "feed_id": _entry_id(base_url, "feed.xml"),
            "updated": entries[0]["updated"] if entries else None, "version": __version__}


def _entry_id(base_url: str | None, path: str) -> str:
    return (base_url + path) if base_url else "urn:cakupan:" + path.strip("/").replace("/#", "#").replace("/", ":")
