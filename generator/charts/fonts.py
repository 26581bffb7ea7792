"""The fonts charts are drawn with: which fontconfig file vl-convert reads, and a fingerprint of its fonts.

Why this is a module of its own, without Altair or vl-convert: a build that
finds nothing changed must know whether the fonts changed (an image's bytes
depend on them) before it decides to do nothing, and importing the drawing
libraries just to learn that costs more than the whole check.

vl-convert loads every font fontconfig lists; with many system fonts that
makes each SVG several times slower. The charts are set in the Liberation Sans
that vl-convert carries (theme.FONT); the system's fonts serve the link-preview
cards (DejaVu Sans, site/card.py) and any character Liberation lacks. So pin()
points fontconfig at DejaVu alone (fonts.conf beside this file), but only if
the caller has not chosen a fontconfig file and DejaVu is really there (a
fontconfig file listing no existing font would leave the cards without text).
It runs before vl-convert loads (generator/charts/theme.py calls it first).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

FONTS_CONF = Path(__file__).with_name("fonts.conf")


def pin(conf: Path = FONTS_CONF) -> None:
    """Set FONTCONFIG_FILE to conf unless it is set already or conf names no DejaVu font that exists."""
    if "FONTCONFIG_FILE" in os.environ or not conf.is_file():
        return
    dirs = re.findall(r"<dir>([^<]+)</dir>", conf.read_text(encoding="utf-8"))
    if any(Path(d, "DejaVuSans.ttf").is_file() for d in dirs):
        os.environ["FONTCONFIG_FILE"] = str(conf)


def fingerprint() -> list:
    """The fontconfig file vl-convert reads and the font files it lists (name, size, time)."""
    conf = os.environ.get("FONTCONFIG_FILE")
    if conf:
        try:
            text = Path(conf).read_bytes()
        except OSError:
            text = b""
        dirs = [d.decode() for d in re.findall(rb"<dir[^>]*>([^<]+)</dir>", text)]
    else:  # the system's fonts: vl-convert sees them all
        text = b"(system)"
        dirs = ["/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts"),
                str(Path.home() / ".local/share/fonts")]
    files = []
    for d in dirs:
        for folder, _, names in sorted(os.walk(os.path.expanduser(d))):
            for name in sorted(names):
                try:
                    stat = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                files.append([os.path.join(folder, name), stat.st_size, stat.st_mtime_ns])
    return [hashlib.sha256(text).hexdigest(), files]
