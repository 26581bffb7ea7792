"""`cakupan freeze`: record a published snapshot, or re-publish it with a reason.

Freezing renders the site in memory exactly as `cakupan build` would, then
keeps every file of the dated report (bytes and hashes, generator/publish/published.py)
in data/<region>/frozen/. Re-publishing renders the report again from today's
data and templates; if that changes nothing, it is refused (a correction
readers would see for no change). Otherwise the correction (date and reason)
is added to the record, so the page shows it, and the new files are kept.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date as Date, datetime, timezone
from pathlib import Path

from generator.publish import published
from generator.publish.archive import sha256
from generator.commands.build import render_site
from generator.publish.reports import Rendered
from generator.publish.settings import Settings, normalise_base_url
from generator.data import when as when_
from generator.errors import UsageError
from generator.data.dataset import load_dataset
from generator.publish.published import Correction, Frozen, frozen_path, read_frozen


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
    settings = Settings(data=data, content=content, templates=templates, base_url=base_url)
    corrections: tuple[Correction, ...] = ()
    if republish is not None:
        reason = " ".join(republish.split())
        if not reason:
            raise UsageError("--republish needs a reason that readers will see")
        # What today's data and templates make of it, with the corrections it has: the same bytes, no change.
        records[key] = replace(existing, files={})
        trial = render_site(settings, records, check=False)
        same, _ = _report(trial, region, when, existing, data)
        if {p: sha256(b) for p, b in same.items()} == existing.files:
            if trial.data_keys[key] == existing.data_key:
                raise UsageError(f"{path}: nothing to re-publish: {region} {when} made from today's data and "
                                 "templates is byte for byte the frozen report (a correction is for a change "
                                 "readers will see)")
            # The data changed in a way no reader sees (or the code reads it differently): the report stays
            # as it is, without a correction; only its data key is brought up to date.
            record = replace(existing, data_key=trial.data_keys[key])
            path.write_text(record.to_json(), encoding="utf-8")
            return record, "kept, unchanged for readers (data key updated, no correction):"
        corrections = existing.corrections + (Correction(correction_day(correction_date), reason),)
    records[key] = Frozen(region, when, path, corrections=corrections)  # not stored yet: rendered
    site = render_site(settings, records, check=False)
    files, made = _report(site, region, when, existing, data)
    record = Frozen(region, when, path, {p: sha256(b) for p, b in files.items()}, corrections,
                    normalise_base_url(base_url), site.data_keys[key], tuple(made.manifest), made.pages,
                    tuple(made.urls), made.feed[0])
    published.store(data, region, files)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(record.to_json(), encoding="utf-8")
    records[key] = record
    published.prune(data, region, records)
    return record, "re-published" if republish is not None else "froze"


def _report(site: Rendered, region: str, when: Date, before: Frozen | None, data: Path):
    """Every file that freezing the report keeps, path -> bytes, and how the build made it. A file of the
    record before that this build no longer makes (the chart images its date's latest report offered)
    is kept as it was: no address the report had stops answering."""
    made = site.by_date[(region, when)]
    paths = published.frozen_files(region, when, made.files, site.output.files)
    files = {p: site.output.files[p] for p in paths}
    for path, digest in sorted(before.files.items() if before is not None else ()):
        if path not in files:
            files[path] = published.blob_path(data, region, digest).read_bytes()
    return files, made
