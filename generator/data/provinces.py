"""Indonesia's 38 provinces: Kemendagri codes, names, short labels and tile positions.

Why this module exists: the national front page draws every province on one
tile-grid map, also those no folder in data/ describes yet ("tanpa data"), so
the list of provinces cannot come from the data folder. It is a fact of
administration, not a figure: names and codes as Kemendagri numbers them,
including the four provinces made from Papua and Papua Barat in 2022 (Papua
Selatan, Papua Tengah, Papua Pegunungan, Papua Barat Daya). A province region
in data/ is matched to its tile by its region.yaml `code` (Kemendagri), or by
its name.

Tiles: one square per province, placed roughly where it lies (x grows
eastwards, y southwards): a schematic, not a map.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Province:
    code: str  # Kemendagri
    name: str
    short: str  # the tile's label
    tile: tuple[int, int]


PROVINCES: tuple[Province, ...] = tuple(Province(*row) for row in (
    ("11", "Aceh", "Aceh", (0, 0)),
    ("12", "Sumatera Utara", "Sumut", (1, 0)),
    ("13", "Sumatera Barat", "Sumbar", (1, 1)),
    ("14", "Riau", "Riau", (2, 1)),
    ("15", "Jambi", "Jambi", (2, 2)),
    ("16", "Sumatera Selatan", "Sumsel", (3, 2)),
    ("17", "Bengkulu", "Bkl", (2, 3)),
    ("18", "Lampung", "Lpg", (3, 3)),
    ("19", "Kepulauan Bangka Belitung", "Babel", (4, 2)),
    ("21", "Kepulauan Riau", "Kepri", (3, 1)),
    ("31", "DKI Jakarta", "DKI", (5, 4)),
    ("32", "Jawa Barat", "Jabar", (5, 5)),
    ("33", "Jawa Tengah", "Jateng", (6, 5)),
    ("34", "DI Yogyakarta", "DIY", (6, 6)),
    ("35", "Jawa Timur", "Jatim", (7, 5)),
    ("36", "Banten", "Banten", (4, 4)),
    ("51", "Bali", "Bali", (8, 5)),
    ("52", "Nusa Tenggara Barat", "NTB", (9, 5)),
    ("53", "Nusa Tenggara Timur", "NTT", (10, 5)),
    ("61", "Kalimantan Barat", "Kalbar", (5, 1)),
    ("62", "Kalimantan Tengah", "Kalteng", (6, 2)),
    ("63", "Kalimantan Selatan", "Kalsel", (7, 2)),
    ("64", "Kalimantan Timur", "Kaltim", (7, 1)),
    ("65", "Kalimantan Utara", "Kaltara", (7, 0)),
    ("71", "Sulawesi Utara", "Sulut", (10, 0)),
    ("72", "Sulawesi Tengah", "Sulteng", (9, 1)),
    ("73", "Sulawesi Selatan", "Sulsel", (9, 2)),
    ("74", "Sulawesi Tenggara", "Sultra", (10, 2)),
    ("75", "Gorontalo", "Gtlo", (10, 1)),
    ("76", "Sulawesi Barat", "Sulbar", (8, 2)),
    ("81", "Maluku", "Maluku", (11, 2)),
    ("82", "Maluku Utara", "Malut", (11, 1)),
    ("91", "Papua", "Papua", (14, 1)),
    ("92", "Papua Barat", "Pabar", (13, 1)),
    ("93", "Papua Selatan", "Papsel", (14, 3)),
    ("94", "Papua Tengah", "Papteng", (13, 2)),
    ("95", "Papua Pegunungan", "Papeg", (14, 2)),
    ("96", "Papua Barat Daya", "PBD", (12, 1)),
))

BY_CODE = {p.code: p for p in PROVINCES}
