"""Names as readers compare them, and the URL slugs made from them.

Shared by the checks (a regency named twice, a slug taken by a page folder),
the pages (a region's URL) and `cakupan new` (resolving a typed name), so they
live apart from the readers that use them.
"""

from __future__ import annotations

import functools
import re
import unicodedata

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG = 80
RESERVED_SLUGS = ("arsip", "data", "charts", "embed", "perubahan", "assets")  # page folders of a region
RESERVED_REGION_SLUGS = ("assets", "cari", "charts", "embed", "metodologi", "pagefind", "tentang")  # the site's own top folders


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@functools.lru_cache(maxsize=8192)  # every snapshot looks up the same few hundred names
def fold(name: str) -> str:
    """Compare names the way a reader would: case, spaces and accents ignored."""
    folded = slugify(name).replace("-", "")
    # a name without a letter a-z (another script) is compared by its own letters, not as ""
    return folded or "".join(ch for ch in unicodedata.normalize("NFKC", name).casefold() if ch.isalnum())

