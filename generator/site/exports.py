"""The figures behind a snapshot as CSV and JSON, for readers who want the data itself.

One row per place (the region, then its sub-regions as the source listed
them), with the source and the precision of every figure: a rounded or
unclearly attributed figure says so in its own column. The JSON carries the
data's own notes and the notes the report computes (discrepancies.py), the
latter marked "computed" since no source made them.
"""

from __future__ import annotations

import csv
import io
import json

from generator.facts import discrepancies
from generator.facts.indicators import headline
from generator.data.model import Figure, Region, Snapshot

# The snapshot CSV's columns, with what each holds (shown on the data page and in the data package).
COLUMNS = (
    ("tanggal", "date", "tanggal data (as of), YYYY-MM-DD"),
    ("wilayah", "string", "nama provinsi atau kabupaten/kota; untuk angka yang atribusinya tidak jelas, nama seperti ditulis sumber"),
    ("kode", "string", "kode wilayah dalam sistem kode yang disebut di data (Kemendagri atau BPS); kosong bila atribusi tidak jelas"),
    ("jenis", "string", "provinsi, kabupaten, atau kota"),
    ("cakupan_persen", "number", "cakupan kepesertaan dalam persen (peserta ÷ potensi pekerja × 100), seperti disebut sumber"),
    ("cakupan_min", "number", "batas bawah cakupan yang masih cocok dengan pembulatan angka sumber (lihat Metodologi)"),
    ("cakupan_maks", "number", "batas atas cakupan yang masih cocok dengan pembulatan angka sumber"),
    ("peserta", "integer", "jumlah peserta BPJS Ketenagakerjaan, bila disebut"),
    ("potensi_pekerja", "integer", "perkiraan jumlah pekerja, bila disebut"),
    ("pembulatan", "string", "angka yang dibulatkan sumber dan langkah pembulatannya"),
    ("keterangan", "string", "apa yang dihitung angka itu menurut sumber (misalnya peserta aktif), dan cakupan yang dihitung dari peserta ÷ potensi pekerja"),
    ("atribusi", "string", "jelas, atau tidak jelas bila sumber tidak jelas menyebut angka ini milik daerah mana"),
    ("sumber", "string", "penerbit angka"),
)
CSV_COLUMNS = tuple(name for name, _, _ in COLUMNS)
LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
           "path": "https://creativecommons.org/licenses/by/4.0/"}


def _rounding(*figures: Figure | None) -> str:
    parts = []
    for name, f in zip(("cakupan", "peserta", "pekerja"), figures):
        if f is None:
            continue
        if f.rounded_to:
            parts.append(f"{name} dibulatkan ke {int(f.rounded_to):,}".replace(",", ".") + (f' ("{f.stated}")' if f.stated else ""))
        elif f.approximate:
            parts.append(f"{name} perkiraan")
    return "; ".join(parts)


def _cell(value):
    """A text cell a spreadsheet will not run: one starting with = + - @ is quoted with a leading '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _value(f: Figure | None):
    if f is None:
        return ""
    return f.value


def _bounds(f: Figure | None) -> list:
    return ["", ""] if f is None else [_round(f.interval.lo), _round(f.interval.hi)]


def _round(x: float) -> float:
    return float(f"{x:.10g}")  # the interval's ends without float noise (24.855, not 24.854999999999997)


def _notes(*figures: Figure | None) -> str:
    parts = []
    for name, f in zip(("cakupan", "peserta", "pekerja"), figures):
        if f is not None and f.basis:
            parts.append(f"dasar {name}: {f.basis}")
        if f is not None and f.note:
            parts.append(f"{name}: {f.note}")
        if f is not None and f.derived is not None:
            parts.append(f"{name} dihitung dari peserta ÷ potensi pekerja")
    return "; ".join(parts)


def csv_text(rows) -> str:
    """The one CSV writer of the site: every text cell guarded by _cell, one row a line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def snapshot_csv(region: Region, snap: Snapshot) -> str:
    figs = (snap.coverage, snap.participants, snap.workforce)
    rows = [CSV_COLUMNS, [snap.date.isoformat(), region.name, region.code, "provinsi", _value(figs[0]),
                          *_bounds(figs[0]), *map(_value, figs[1:]), _rounding(*figs), _notes(*figs), "",
                          "; ".join(sorted({f.source.publisher for f in figs if f}))]]
    for f in snap.subregions:
        sub_figs = (f.coverage, f.participants, f.workforce)
        rows.append([snap.date.isoformat(), f.stated_name if f.ambiguous else f.subregion.name,
                     "" if f.ambiguous else f.subregion.code, f.subregion.kind, _value(sub_figs[0]),
                     *_bounds(sub_figs[0]), *map(_value, sub_figs[1:]), _rounding(*sub_figs),
                     _notes(*sub_figs), "tidak jelas" if f.ambiguous else "jelas",
                     "; ".join(sorted({x.source.publisher for x in sub_figs if x}))])
    return csv_text(rows)


def table_csv(table) -> str:
    """A chart's figures as CSV: its column headings, raw values (a dot for decimals, ISO dates)."""
    return csv_text([[name for name, _ in table.columns],
                     *(["" if v is None else v.isoformat() if hasattr(v, "isoformat") else v for v in row]
                       for row in table.rows)])


def _figure(f: Figure | None) -> dict | None:
    if f is None:
        return None
    out = {"value": f.value, "interval": [_round(f.interval.lo), _round(f.interval.hi)]}
    if f.derived is not None:
        out["computed"] = "participants / workforce × 100"  # computed here: no source of its own
    else:
        out["source"] = f.source.id
    if f.rounded_to:
        out["rounded_to"] = f.rounded_to
    if f.stated:
        out["stated"] = f.stated
    if f.approximate:
        out["approximate"] = True
    if f.note:
        out["note"] = f.note
    if f.basis:
        out["basis"] = f.basis
    return out


def _computed(c) -> dict | None:
    if c is None:
        return None
    return {"value": _round(c.value), "interval": [_round(c.interval.lo), _round(c.interval.hi)], "formula": c.formula}


def snapshot_json(region: Region, snap: Snapshot) -> str:
    h = headline(snap)
    data = {
        "region": {"slug": region.slug, "name": region.name, "code": region.code, "code_system": region.code_system},
        "date": snap.date.isoformat(),
        "sources": [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in vars(s).items() if v is not None}
                    for s in snap.sources],
        "coverage": _figure(snap.coverage),
        "participants": _figure(snap.participants),
        "workforce": _figure(snap.workforce),
        "computed": {
            "coverage": round(h.coverage.value, 4),
            "uncovered": round(h.uncovered.value) if h.uncovered else None,
            "exact": h.coverage.exact and bool(h.uncovered and h.uncovered.exact),
            "coverage_interval": [_round(h.coverage.interval.lo), _round(h.coverage.interval.hi)],
            "participants": _computed(h.participants if snap.participants is None else None),
            "workforce": _computed(h.workforce if h.workforce is not None and h.workforce.computed else None),
        },
        "targets": [{"year": g.year, "coverage": _figure(g.target.coverage),
                     "participants": _figure(g.target.participants), "gap_stated": _figure(g.target.gap),
                     "gap_points": round(g.gap_points.value, 4),
                     "gap_workers": round(g.gap_workers.value) if g.gap_workers else None,
                     "gap_points_computed": _computed(g.gap_points), "gap_workers_computed": _computed(g.gap_workers)}
                    for g in h.targets],
        "subregions": [{"code": f.subregion.code, "name": f.subregion.name, "stated_name": f.stated_name,
                        "coverage": _figure(f.coverage), "participants": _figure(f.participants),
                        "workforce": _figure(f.workforce), "ambiguous": f.ambiguous}
                       for f in snap.subregions],
        "rankings": [{"sources": [s.id for s in r.sources], "highest": [s.code for s in r.highest],
                      "lowest": [s.code for s in r.lowest]} for r in snap.rankings],
        "notes": [{"id": n.id, "kind": n.kind, "text": n.text} for n in snap.notes]
                 + [{"id": n.id, "kind": n.kind, "text": n.text, "computed": True}  # worked out here: no source
                    for n in discrepancies.notes(snap, h)],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def datapackage(region: Region, snap: Snapshot) -> str:
    """A Frictionless Data Package describing a snapshot's CSV and JSON: sources, definitions, licence."""
    name = f"cakupan-{region.slug}-{snap.date}"
    data = {
        "name": name,
        "title": f"Cakupan kepesertaan Jamsostek {region.name}, data per {snap.date.isoformat()}",
        "description": ("Cakupan kepesertaan = peserta BPJS Ketenagakerjaan ÷ potensi pekerja × 100. "
                        "Angka dihimpun dari sumber yang tercantum; angka yang dibulatkan atau atribusinya "
                        "tidak jelas ditandai di kolom pembulatan dan atribusi."),
        "version": snap.date.isoformat(),
        "licenses": [LICENCE],
        "sources": [{"title": s.publisher + (f": {s.title}" if s.title else ""), **({"path": s.url} if s.url else {})}
                    for s in snap.sources],
        "resources": [
            {"name": f"{name}-csv", "path": f"{snap.date}.csv", "format": "csv", "mediatype": "text/csv",
             "encoding": "utf-8", "schema": {"fields": [{"name": n, "type": t, "description": d} for n, t, d in COLUMNS]}},
            {"name": f"{name}-json", "path": f"{snap.date}.json", "format": "json", "mediatype": "application/json",
             "encoding": "utf-8"},
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
