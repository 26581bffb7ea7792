"""The meaning of a region.yaml: its sub-regions, each known by one name, code and slug.

Its structure (keys, types, kinds) is checked first against
data/schema/region.schema.json; what is left here is what a schema cannot
see: a name or code written twice (folded as a reader would read it), a slug
that a page folder already uses or that cannot be made from the name, two
sub-regions on one tile of the map, a map with only some of them.
"""

from __future__ import annotations

from generator.data.check import MAX_SUBREGIONS, Reader
from generator.data.load import Raw
from generator.data.model import CODE_SYSTEMS, LEVELS, SUBREGION_KINDS, SubRegion
from generator.data.names import MAX_SLUG, RESERVED_SLUGS, SLUG_RE, fold, slugify

_REGION_KEYS = (("name", "kind", "code", "code_system", "subregions"), ("level",))
_SUBREGION_KEYS = (("code", "name", "kind"), ("short", "tile", "aliases", "slug"))


def read_region(slug: str, raw: Raw, r: Reader) -> tuple[dict, list[SubRegion]] | None:
    top = r.mapping(raw, "", *_REGION_KEYS)
    if top is None:
        return None
    info = _region_info(top, r)
    subregions: list[SubRegion] = []
    seen: dict[str, tuple[str, int]] = {}  # folded name/code/slug -> (what, line)
    tiles: dict[tuple[int, int], tuple[str, int]] = {}
    listed = top.get("subregions")
    if listed is not None and isinstance(listed.value, list) and len(listed.value) > MAX_SUBREGIONS:
        r.problem(listed, "subregions", f"lists {len(listed.value):,} sub-regions (at most {MAX_SUBREGIONS} expected)")
        return None
    for key, item in r.items(listed, "subregions"):
        m = r.mapping(item, key, *_SUBREGION_KEYS)
        if m is None:
            continue
        code = r.text(m.get("code"), f"{key}.code")
        name = r.text(m.get("name"), f"{key}.name")
        kind = r.choice(m.get("kind"), f"{key}.kind", tuple(SUBREGION_KINDS))
        short = r.text(m.get("short"), f"{key}.short") or name
        aliases = tuple(t for k, a in r.items(m.get("aliases"), f"{key}.aliases") if (t := r.text(a, k)))
        given = r.text(m.get("slug"), f"{key}.slug")
        sub_slug = given or (slugify(name) if name else None)
        derived = given is None and "slug" not in m and name is not None
        if derived and not sub_slug:
            r.problem(m["name"], f"{key}.name", f'"{name}" has no letter a-z or digit to make its URL slug from (set slug:)')
        elif derived and len(sub_slug) > MAX_SLUG:
            r.problem(m["name"], f"{key}.name", f"makes a URL slug of {len(sub_slug)} characters "
                                                f"(at most {MAX_SLUG} expected: set a shorter slug:)")
        elif sub_slug is not None and not SLUG_RE.match(sub_slug):
            r.problem(m.get("slug") or item, f"{key}.slug", f'"{sub_slug}" is not a URL slug (lowercase a-z, 0-9 and - expected)')
        elif sub_slug is not None and len(sub_slug) > MAX_SLUG:
            r.problem(m["slug"], f"{key}.slug", f"is {len(sub_slug)} characters long (a URL slug of at most {MAX_SLUG} expected)")
        if sub_slug is not None and (not SLUG_RE.match(sub_slug) or len(sub_slug) > MAX_SLUG):
            sub_slug = f"?{key}"  # reported above; the sub-region stays known to the snapshots, whose names still resolve
        if sub_slug in RESERVED_SLUGS:
            r.problem(item, f"{key}.slug", f'"{sub_slug}" is a reserved page name (set another slug)')
        tile = None
        if "tile" in m:
            t = r.mapping(m["tile"], f"{key}.tile", ("x", "y"), ())
            if t is not None:
                x, y = r.integer(t.get("x"), f"{key}.tile.x"), r.integer(t.get("y"), f"{key}.tile.y")
                if x is not None and y is not None:
                    if x < 0 or y < 0 or x > 40 or y > 40:
                        r.problem(m["tile"], f"{key}.tile", f"({x}, {y}) is off the grid (0 to 40 expected)")
                    elif (x, y) in tiles:
                        other, line = tiles[(x, y)]
                        r.problem(m["tile"], f"{key}.tile", f'({x}, {y}) is already taken by "{other}" (line {line})')
                    else:
                        tiles[(x, y)] = (name, item.line)
                        tile = (x, y)
        checks = [("name", name, m.get("name")), ("code", code, m.get("code")), ("slug", sub_slug, item)]
        checks += [("name", a, m.get("aliases")) for a in aliases]
        clash = False
        for what, value, where in checks:
            if value is None or (what == "slug" and (clash or value.startswith("?"))):
                continue
            folded = what[0] + ":" + (fold(value) if what != "code" else value)
            if what == "name":
                folded = "n:" + fold(value)
            if folded in seen:
                kind_seen, line = seen[folded]
                r.problem(where, f"{key}.{what if where is not m.get('aliases') else 'aliases'}",
                          f'"{value}" appears twice (also at line {line})')
                clash = True
            else:
                seen[folded] = (what, where.line if where is not None else item.line)
        if None in (code, name, kind, sub_slug):
            continue  # (a clash is reported, but the sub-region stays known to the snapshots)
        subregions.append(SubRegion(code=code, name=name, kind=kind, slug=sub_slug, short=short, tile=tile, aliases=aliases))
    tiled = sum(1 for s in subregions if s.tile)
    if 0 < tiled < len(subregions):
        r.problem(top.get("subregions"), "subregions", f"{len(subregions) - tiled} sub-regions have no tile (give every one a tile, or none)")
    return info, subregions


def _region_info(top: dict, r: Reader) -> dict:
    """The region's own keys. Pages say "Provinsi <name>", so a name written with its kind (which
    would print "Provinsi Provinsi Lampung") is refused."""
    info = {
        "name": r.text(top.get("name"), "name"),
        "kind": r.text(top.get("kind"), "kind"),
        "code": r.text(top.get("code"), "code"),
        "code_system": r.choice(top.get("code_system"), "code_system", tuple(CODE_SYSTEMS)),
        "level": r.choice(top.get("level"), "level", LEVELS, default="provinsi"),
    }
    words = (info["name"] or "").split(None, 1)
    if info["level"] != "nasional" and len(words) == 2 and words[0].casefold() == "provinsi":
        r.problem(top.get("name"), "name", f'"{info["name"]}" names its kind; write the name alone '
                  f'("{words[1]}"): pages put "Provinsi" before it')
    return info
