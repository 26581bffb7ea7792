"""Editors' notes: content/<region>/<date>.md, an optional word from the editor on one snapshot.

A note is part of its dated report (shown on it, and in the report's key and
frozen record), so every note is read and rendered once, before any report is
planned: a note that cannot be read (a FIFO, a broken symlink, too large, not
UTF-8) stops the build with its name instead of being left out.
"""

from __future__ import annotations

import os
from datetime import date as Date
from pathlib import Path

from markupsafe import Markup

from generator.data import inputs
from generator.site import render


def editor_notes(content: Path, dataset) -> dict[tuple[str, Date], Markup]:
    """Each snapshot's note as HTML, by (region slug, date); snapshots without one are absent."""
    notes = {}
    for region in dataset.regions:
        for snap in region.snapshots:
            path = content / region.slug / f"{snap.date}.md"
            if os.path.lexists(path):  # (a FIFO or a broken symlink is an error, not a note left out)
                notes[(region.slug, snap.date)] = render.markdown_html(
                    inputs.read_text(path, content, inputs.MAX_MARKDOWN), path)
    return notes
