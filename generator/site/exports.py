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


# A snapshot's data files, in <region>/data/: by place, every published figure, the notes, JSON, the package.
FILES = {"csv": "{date}.csv", "angka": "{date}.angka.csv", "catatan": "{date}.catatan.csv", "json": "{date}.json",
         "datapackage": "{date}.datapackage.json"}


def data_paths(region: Region, snap: Snapshot) -> dict[str, str]:
    """Each data file's path in the site, by kind (FILES)."""
    return {kind: f"{region.slug}/data/" + name.format(date=snap.date) for kind, name in FILES.items()}


def data_files(region: Region, snap: Snapshot) -> dict[str, bytes]:
    """The figures behind a snapshot: every data file, by path."""
    made = {"csv": snapshot_csv(region, snap), "angka": figures_csv(region, snap), "catatan": notes_csv(snap),
            "json": snapshot_json(region, snap), "datapackage": datapackage(region, snap)}
    return {path: made[kind].encode() for kind, path in data_paths(region, snap).items()}


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


# Every figure the sources published for a snapshot, one a row (the long form: targets and segments too).
FIGURE_COLUMNS = (
    ("tanggal", "date", "tanggal data (as of): YYYY-MM-DD, atau YYYY-MM bila sumber hanya menyebut bulannya"),
    ("wilayah", "string", "provinsi atau kabupaten/kota; untuk angka yang atribusinya tidak jelas, nama seperti ditulis sumber"),
    ("kode", "string", "kode wilayah; kosong bila atribusi tidak jelas"),
    ("besaran", "string", "cakupan_persen, peserta, potensi_pekerja, target_cakupan_persen, target_peserta, "
                          "atau target_kekurangan_peserta (pekerja yang masih harus terdaftar, seperti disebut sumber)"),
    ("tahun_target", "string", "tahun target; \"tidak disebut\" bila sumber tidak menyebutnya; kosong bila bukan target"),
    ("segmen", "string", "bagian pekerja (misalnya pekerja rentan) bila angka itu untuk satu bagian saja"),
    ("nilai", "number", "angka seperti diterbitkan"),
    ("nilai_min", "number", "batas bawah yang masih cocok dengan pembulatan angka itu (lihat Metodologi)"),
    ("nilai_maks", "number", "batas atas yang masih cocok dengan pembulatan angka itu"),
    ("seperti_ditulis", "string", "kata-kata sumber bila angkanya tidak ditulis lengkap (misalnya \"2,7 juta\")"),
    ("pembulatan", "string", "langkah pembulatan, atau \"perkiraan\" bila sumber menyebut sekitar"),
    ("dasar", "string", "apa yang dihitung angka itu menurut sumber (misalnya peserta aktif)"),
    ("keterangan", "string", "catatan sumber tentang angka itu"),
    ("atribusi", "string", "jelas, atau tidak jelas bila sumber tidak jelas menyebut angka ini milik daerah mana"),
    ("sumber", "string", "penerbit angka"),
    ("sumber_id", "string", "kode sumber dalam berkas JSON (daftar sources)"),
)
NOTE_COLUMNS = (
    ("tanggal", "date", "tanggal data (as of)"),
    ("id", "string", "kode catatan"),
    ("jenis", "string", "info, atau problem bila catatan menyebut masalah pada angka"),
    ("teks", "string", "isi catatan"),
    ("dihitung", "string", "ya bila catatan itu hasil hitungan situs ini (misalnya angka dua sumber yang tidak cocok), "
                           "bukan kata sumber; tidak bila dari data"),
    ("sumber", "string", "penerbit yang dirujuk catatan, bila ada"),
)


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x  # (a step of 100.000 as 100000, not 100000.0 or 1e+05)


def _figure_row(when: str, place: tuple[str, str], what: str, f: Figure, year="", segment="", attribution="jelas"):
    step = _number(f.rounded_to) if f.rounded_to else ("perkiraan" if f.approximate else "")
    return [when, *place, what, year, segment, _number(f.value), *map(_number, _bounds(f)), f.stated or "", step, f.basis or "",
            f.note or "", attribution, f.source.publisher, f.source.id]


def figures_csv(region: Region, snap: Snapshot) -> str:
    """Every figure a source published for the snapshot, as published, with its interval, basis and source.

    Coverage computed here from a sub-region's participants and workforce is left out: no source
    published it (the snapshot CSV has it, marked)."""
    when, home = snap.date.isoformat(), (region.name, region.code)
    rows = [[name for name, _, _ in FIGURE_COLUMNS]]
    for what, f in (("cakupan_persen", snap.coverage), ("peserta", snap.participants),
                    ("potensi_pekerja", snap.workforce)):
        if f is not None:
            rows.append(_figure_row(when, home, what, f))
    for t in snap.targets:
        year = "tidak disebut" if t.year is None else str(t.year)
        for what, f in (("target_cakupan_persen", t.coverage), ("target_peserta", t.participants),
                        ("target_kekurangan_peserta", t.gap)):
            if f is not None:
                rows.append(_figure_row(when, home, what, f, year=year))
    for seg in snap.segments:
        for what, f in (("cakupan_persen", seg.coverage), ("peserta", seg.participants),
                        ("potensi_pekerja", seg.workforce)):
            if f is not None:
                rows.append(_figure_row(when, home, what, f, segment=seg.name))
    for sub in snap.subregions:
        place = (sub.stated_name, "") if sub.ambiguous else (sub.subregion.name, sub.subregion.code)
        for what, f in (("cakupan_persen", sub.coverage), ("peserta", sub.participants),
                        ("potensi_pekerja", sub.workforce)):
            if f is not None and f.derived is None:
                rows.append(_figure_row(when, place, what, f, attribution="tidak jelas" if sub.ambiguous else "jelas"))
    return csv_text(rows)


def notes_csv(snap: Snapshot) -> str:
    """The snapshot's notes: the data's own, then those the report computes (marked: no source made them)."""
    when = snap.date.isoformat()
    rows = [[name for name, _, _ in NOTE_COLUMNS]]
    rows += [[when, n.id, n.kind, n.text, "tidak", n.source.publisher if n.source else ""] for n in snap.notes]
    rows += [[when, n.id, n.kind, n.text, "ya", ""] for n in discrepancies.notes(snap, headline(snap))]
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
        "segments": [{"name": g.name, "coverage": _figure(g.coverage), "participants": _figure(g.participants),
                      "workforce": _figure(g.workforce)} for g in snap.segments],
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
            *({"name": f"{name}-{kind}", "path": FILES[kind].format(date=snap.date), "format": "csv",
               "mediatype": "text/csv", "encoding": "utf-8",
               "schema": {"fields": [{"name": n, "type": t, "description": d} for n, t, d in columns]}}
              for kind, columns in (("csv", COLUMNS), ("angka", FIGURE_COLUMNS), ("catatan", NOTE_COLUMNS))),
            {"name": f"{name}-json", "path": FILES["json"].format(date=snap.date), "format": "json",
             "mediatype": "application/json", "encoding": "utf-8"},
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
