"""`cakupan freeze`: record a published snapshot, or re-publish it with a reason.

Freezing renders the site in memory exactly as `cakupan build` would and keeps
the hashes of the dated report's files in data/<region>/frozen/<date>.json.
Re-publishing first adds the correction (date and reason) to that record, so
the page shows it, then records the new hashes.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date as Date, datetime, timezone
from pathlib import Path

from .archive import Correction, Frozen, frozen_path, read_frozen
from .build import Settings, normalise_base_url, render_site
from . import when as when_
from .errors import UsageError
from .model import load_dataset


def _parse_date(text: str, what: str) -> Date:
    try:
        return when_.parse(text) if what == "DATE" else Date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{what} {text!r}: not a date (YYYY-MM-DD, or YYYY-MM or YYYY for a snapshot of a month or a year, expected)") from None


def correction_day(explicit: str | None) -> Date:
    """The correction's date: given, else SOURCE_DATE_EPOCH, else today (recorded, so builds stay reproducible)."""
    if explicit:
        return _parse_date(explicit, "--on")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return datetime.now(tz=timezone.utc).date()


def freeze(data: Path, region: str | None, day: str, *, republish: str | None = None,
           content: Path = Path("content"), templates: Path = Path("templates"),
           correction_date: str | None = None, base_url: str | None = None) -> tuple[Frozen, str]:
    dataset = load_dataset(data)
    slugs = [r.slug for r in dataset.regions]
    if region is None:
        if len(slugs) != 1:
            raise UsageError(f"name the region: the data holds {len(slugs)} ({', '.join(slugs)})")
        region = slugs[0]
    if region not in slugs:
        raise UsageError(f"region {region!r} is not in {data} (known: {', '.join(slugs)})")
    when = _parse_date(day, "DATE")
    if when not in {s.date for s in next(r for r in dataset.regions if r.slug == region).snapshots}:
        raise UsageError(f"{region} has no snapshot dated {when}")
    records = read_frozen(data)
    key = (region, when)
    path = frozen_path(data, region, when)
    existing = records.get(key)
    if existing is not None and republish is None:
        raise UsageError(f"{path}: {region} {when} is frozen already; to change it, give a reason with --republish")
    if existing is None and republish is not None:
        raise UsageError(f"{region} {when} is not frozen yet: freeze it first, without --republish")
    if republish is not None:
        reason = " ".join(republish.split())
        if not reason:
            raise UsageError("--republish needs a reason that readers will see")
        existing = replace(existing, corrections=existing.corrections + (Correction(correction_day(correction_date), reason),))
        records[key] = existing
    site = render_site(Settings(data=data, content=content, templates=templates, base_url=base_url), records)
    record = Frozen(region, when, path, site.manifests[key], existing.corrections if existing else (),
                    normalise_base_url(base_url))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(record.to_json(), encoding="utf-8")
    return record, "re-published" if republish is not None else "froze"
