"""Site search: a static Pagefind index of places, reports and prose, made at build time.

Why this module exists: a national site has hundreds of regencies and cities,
and a reader looking for "Kota Metro" should not have to click through a
province to find it. Pagefind (its Python API drives its own binary) makes a
static index that the reader's browser searches offline, with no server and
no request leaving the site; the search page (templates/search.html,
assets/search.js) loads it only when the reader types. A reader without
JavaScript gets the same page's alphabetical list of places.

What is indexed: the pages without a date in their address (each region's
latest report, its regency and city pages, the archive indexes, the front,
data and prose pages), not the dated reports, which would repeat them. The
copy of a place's page given to the indexer (never the page written) also
names its other spellings: its aliases, its name with spaces and hyphens
taken out ("Tulangbawang" for "Tulang Bawang") and its name without "Kota" or
"Kabupaten", so each finds the place; it leaves out the tables of figures,
whose numbers no reader searches for (a place in them has its own page).

Same inputs, same bytes: Pagefind reads the pages' folder in sorted order and
its files depend only on what it reads (tests/test_golden.py finds the index
as committed, build after build).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import subprocess
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from generator.errors import CakupanError
from generator.data.model import Dataset, Region, SubRegion
from generator.data.when import PATTERN
from generator.publish import cache
from generator.publish.write import Output

FOLDER = "pagefind"  # the index's folder at the site's root
INDEX_FORMAT = 1  # of the index kept in the build cache (_cached_index)
_ARGUMENTS = ("--root-selector", "main", "--force-language", "id", "--keep-index-url", "--silent")
# Pagefind's own search interfaces, which the site does not use (it shows results itself).
_UNUSED = re.compile(r"^pagefind-(component-ui|modular-ui|ui|highlight)\.(js|css)$")
_DATED = re.compile(rf"/arsip/{PATTERN}/")  # a report of a day, a month or a year (when.py)


def indexed(path: str) -> bool:
    """Whether a page goes into the index: every HTML page but dated reports, embeds, 404 and the search page."""
    return (path.endswith(".html") and not _DATED.search(path) and not path.startswith("embed/")
            and path not in ("404.html", "cari/index.html"))


def spellings(name: str, aliases: tuple[str, ...] = ()) -> list[str]:
    """The other ways a reader may type a place's name, beyond the name itself."""
    out: list[str] = []
    for n in (name, *aliases):
        bare = re.sub(r"^(Kota|Kabupaten|Kab\.|Provinsi)\s+", "", n)
        for variant in (n, bare, re.sub(r"[\s\-]+", "", bare)):
            if variant not in out and variant != name:
                out.append(variant)
    return out


def place_words(dataset: Dataset) -> dict[str, str]:
    """Page path -> the extra words its index copy carries: the place's other spellings."""
    words: dict[str, str] = {}
    for region in dataset.regions:
        words[f"{region.slug}/index.html"] = _words(region.name, (), region)
        for sub in region.subregions:
            words[f"{region.slug}/{sub.slug}/index.html"] = _words(sub.name, sub.aliases, region, sub)
    return words


def _words(name: str, aliases: tuple[str, ...], region: Region, sub: SubRegion | None = None) -> str:
    text = " ".join(spellings(name, aliases))
    code = sub.code if sub else region.code
    return f"{text} {region.code_system_label} {code}".strip()


def _index_copy(page: str, words: str | None) -> str:
    """The copy of a page the indexer reads: without its tables of figures, with the place's other spellings."""
    page = _FIGURES.sub("", page)
    if not words:
        return page
    return page.replace("</main>", f'<p>{html.escape(words)}</p></main>', 1)


# The site's tables of figures (class "data", written by the templates, never nested): every number in
# them would be a word of the index, which no reader types, and every place in them has its own page.
# Left out, they halve Pagefind's time (1.3 s to 0.7 s over a national site's 595 pages) and its index.
_FIGURES = re.compile(r'<table class="data[" ].*?</table>', re.S)


def build_index(output: Output, pages: dict[str, str], dataset: Dataset, store: cache.Store | None = None) -> int:
    """Index pages (path -> HTML) into output under pagefind/; returns how many files it wrote. The index
    of the same pages comes from the build cache (store), as a deploy after a push that changed no page
    needs: Pagefind takes about 0.7 s over a national site's 595 pages."""
    extra = place_words(dataset)
    files = _cached_index({p: _index_copy(pages[p], extra.get(p)) for p in sorted(pages) if indexed(p)},
                          store or cache.Store(None))
    count = 0
    for path, content in sorted(files.items()):
        if _UNUSED.match(path):
            continue
        output.add(f"{FOLDER}/{path}", content)
        count += 1
    return count


def _cached_index(pages: dict[str, str], store: cache.Store) -> dict[str, bytes]:
    """_index, kept in the store under a key of the pages and Pagefind's version: one entry, its
    listing (path and size of each file) and the files' bytes one after another."""
    h = hashlib.sha256(json.dumps(["pagefind", INDEX_FORMAT, _ARGUMENTS, _version()]).encode())
    for path, page in pages.items():  # (sorted by path)
        h.update(f"{path}\0{hashlib.sha256(page.encode()).hexdigest()}\0".encode())
    key = h.hexdigest()
    parts = store.get(key)  # (counted with the images and zips the build found there)
    if parts is not None and len(parts) == 2:
        try:
            files, at = {}, 0
            for path, size in json.loads(parts[0]):
                files[path], at = parts[1][at:at + size], at + size
            if at == len(parts[1]):
                return files
        except (ValueError, TypeError):
            pass
    files = _index(pages)
    store.put(key, (json.dumps([[p, len(data)] for p, data in files.items()]).encode(), b"".join(files.values())))
    return files


def _version() -> str:
    try:
        return version("pagefind_bin")
    except PackageNotFoundError:
        return "?"


def _index(pages: dict[str, str]) -> dict[str, bytes]:
    """Pagefind's files for these pages, by path.

    Pagefind's command runs once over a folder of the pages' index copies (its Python API
    answers one call per 0.1 s, too slow for a site of many pages); it reads the folder in
    its own sorted order, so the index is the same for the same pages."""
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise CakupanError("the search index needs Pagefind's program (pip install 'pagefind[bin]'; "
                           "it is in constraints.txt)")
    with tempfile.TemporaryDirectory(prefix="cakupan-search-") as folder:
        site, out = Path(folder, "site"), Path(folder, "index")
        for path, page in pages.items():
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            (site / path).write_text(page, encoding="utf-8")
        done = subprocess.run([str(binary), "--site", str(site), "--output-path", str(out), *_ARGUMENTS],
                              capture_output=True, text=True, cwd=folder,  # (no pagefind.yml of anyone's)
                              env={k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")})
        if done.returncode != 0:
            raise CakupanError(f"the search index could not be made: {(done.stderr or done.stdout).strip()[:500]}")
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
