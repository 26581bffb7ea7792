"""Text on a link-preview card, measured without a browser: DejaVu Sans' advance widths, and the fitting
of a line (or two) into a width by shrinking, wrapping and, last, shortening with an ellipsis.

A card is drawn by vl-convert from an SVG whose text positions are decided here, so a long
regency name must be known to fit before it is drawn; measuring with the font's own widths
(read once from its TTF files, below) keeps that exact enough without loading a font library.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


# --- text measurement ----------------------------------------------------------
# Advance widths of DejaVu Sans (Book and Bold), in font units (2048 an em),
# read from the TTF files: U+0020..U+007E, then U+00A0..U+00FF, then a few
# typographic characters. Kerning (which only narrows) is ignored, so the
# estimates err on the wide side. Other characters count as a wide letter.
_UPEM = 2048
_ASCII_BOOK = (
    651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690,
    1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716,
    1087, 2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767,
    1532, 1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690,
    799, 1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186,
    569, 1995, 1298, 1253, 1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075,
    1303, 690, 1303, 1716,
)
_LATIN1_BOOK = (
    651, 821, 1303, 1303, 1303, 1303, 690, 1024, 1024, 2048, 965, 1253, 1716, 739, 2048,
    1024, 1024, 1716, 821, 821, 1024, 1303, 1303, 651, 1024, 821, 965, 1253, 1985, 1985,
    1985, 1087, 1401, 1401, 1401, 1401, 1401, 1401, 1995, 1430, 1294, 1294, 1294, 1294, 604,
    604, 604, 604, 1587, 1532, 1612, 1612, 1612, 1612, 1612, 1716, 1612, 1499, 1499, 1499,
    1499, 1251, 1239, 1290, 1255, 1255, 1255, 1255, 1255, 1255, 2011, 1126, 1260, 1260, 1260,
    1260, 569, 569, 569, 569, 1253, 1298, 1253, 1253, 1253, 1253, 1253, 1716, 1253, 1298,
    1298, 1298, 1298, 1212, 1300, 1212,
)
_ASCII_BOLD = (
    713, 934, 1067, 1716, 1425, 2052, 1786, 627, 936, 936, 1071, 1716, 778, 850, 778, 748,
    1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 819, 819, 1716, 1716, 1716,
    1188, 2048, 1585, 1561, 1503, 1700, 1399, 1399, 1681, 1714, 762, 762, 1587, 1305, 2038,
    1714, 1741, 1501, 1741, 1577, 1475, 1397, 1663, 1585, 2259, 1579, 1483, 1485, 936, 748,
    936, 1716, 1024, 1024, 1382, 1466, 1214, 1466, 1389, 891, 1466, 1458, 702, 702, 1362,
    702, 2134, 1458, 1407, 1466, 1466, 1010, 1219, 979, 1458, 1335, 1892, 1321, 1335, 1192,
    1458, 748, 1458, 1716,
)
_LATIN1_BOLD = (
    713, 934, 1425, 1425, 1303, 1425, 748, 1024, 1024, 2048, 1155, 1323, 1716, 850, 2048,
    1024, 1024, 1716, 897, 897, 1024, 1507, 1303, 778, 1024, 897, 1155, 1323, 2120, 2120,
    2120, 1188, 1585, 1585, 1585, 1585, 1585, 1585, 2222, 1503, 1399, 1399, 1399, 1399, 762,
    762, 762, 762, 1716, 1714, 1741, 1741, 1741, 1741, 1741, 1716, 1741, 1663, 1663, 1663,
    1663, 1483, 1511, 1473, 1382, 1382, 1382, 1382, 1382, 1382, 2146, 1214, 1389, 1389, 1389,
    1389, 702, 702, 702, 702, 1407, 1458, 1407, 1407, 1407, 1407, 1407, 1716, 1407, 1458,
    1458, 1458, 1458, 1335, 1466, 1335,
)
#                 thin  hair  nnbsp  en    em    '     '     "     "     …     −     •
_EXTRA_CHARS = "\u2009\u200a\u202f\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2212\u2022"
_EXTRA_BOOK = (409, 204, 409, 1024, 2048, 651, 651, 1061, 1061, 2048, 1716, 1208)
_EXTRA_BOLD = (409, 204, 409, 1024, 2048, 778, 778, 1346, 1346, 2048, 1716, 1309)


def _table(ascii_: tuple[int, ...], latin1: tuple[int, ...], extra: tuple[int, ...]) -> dict[str, int]:
    table = {chr(0x20 + i): w for i, w in enumerate(ascii_)}
    table.update({chr(0xA0 + i): w for i, w in enumerate(latin1)})
    table.update(zip(_EXTRA_CHARS, extra))
    return table


_ADVANCE = {False: _table(_ASCII_BOOK, _LATIN1_BOOK, _EXTRA_BOOK),
            True: _table(_ASCII_BOLD, _LATIN1_BOLD, _EXTRA_BOLD)}
_UNKNOWN = 1750  # about a capital M: wide on purpose


def text_width(text: str, size: float, bold: bool = False, spacing: float = 0.0) -> float:
    """Width in px of one line of DejaVu Sans at `size` px (letter-spacing included)."""
    table = _ADVANCE[bold]
    units = sum(table.get(ch, _UNKNOWN) for ch in text)
    return units * size / _UPEM + spacing * len(text)


# Vertical metrics of DejaVu Sans, in em.
CAP = 0.73  # capital letters and digits
DESCENT = 0.24  # g, p, y and the comma


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # become a space
_INVISIBLE = re.compile(r"[\xad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")  # are dropped


def clean(text: str) -> str:
    """One line of text: no control characters (XML refuses most of them),
    no invisible ones (they would be measured but not drawn), single spaces."""
    text = unicodedata.normalize("NFC", str(text))
    text = _INVISIBLE.sub("", _CONTROL.sub(" ", text))
    return re.sub(r" +", " ", text).strip()


@dataclass(frozen=True)
class Fit:
    size: float
    lines: tuple[str, ...]


def ellipsize(text: str, width: float, size: float, bold: bool, spacing: float = 0.0) -> str:
    if text_width(text, size, bold, spacing) <= width:
        return text
    while text and text_width(text.rstrip() + "\u2026", size, bold, spacing) > width:
        text = text[:-1]
    return text.rstrip(" ,.;:-\u2013") + "\u2026"


def _two_lines(text: str, width: float, size: float, bold: bool) -> tuple[str, str] | None:
    """The most even break of `text` into two lines that both fit, if any."""
    words = text.split(" ")
    best: tuple[float, tuple[str, str]] | None = None
    for i in range(1, len(words)):
        a, b = " ".join(words[:i]), " ".join(words[i:])
        longest = max(text_width(a, size, bold), text_width(b, size, bold))
        if longest <= width and (best is None or longest < best[0]):
            best = (longest, (a, b))
    return best[1] if best else None


def fit_text(text: str, width: float, size: float, min_size: float, *, bold: bool = False,
             lines: int = 1, spacing: float = 0.0, step: float = 2.0) -> Fit:
    """The largest size (down to `min_size`) at which `text` fits `width`:
    on one line if it can stay at least 80 % of `size`, else (lines=2) on two
    lines broken at a space; at `min_size` the last line is shortened with an
    ellipsis."""
    text = clean(text)
    if not text:
        return Fit(size, ())
    sizes = []
    s = size
    while s > min_size:
        sizes.append(s)
        s -= step
    sizes.append(min_size)
    for s in sizes:
        if lines > 1 and s < 0.8 * size:
            break
        if text_width(text, s, bold, spacing) <= width:
            return Fit(s, (text,))
    if lines > 1:
        for s in sizes:
            if text_width(text, s, bold, spacing) <= width:
                return Fit(s, (text,))
            pair = _two_lines(text, width, s, bold)
            if pair:
                return Fit(s, pair)
        # Still too long at the smallest size: fill the first line, shorten the second.
        words, first = text.split(" "), ""
        while words and text_width((first + " " + words[0]).strip(), min_size, bold) <= width:
            first = (first + " " + words.pop(0)).strip()
        if not first:  # one enormous word
            return Fit(min_size, (ellipsize(text, width, min_size, bold),))
        return Fit(min_size, (first, ellipsize(" ".join(words), width, min_size, bold)))
    return Fit(min_size, (ellipsize(text, width, min_size, bold, spacing),))
