"""Link previews: what a shared link to a page says in a chat or a timeline, and its card's figures.

Open Graph and Twitter tags need a title, a description and an image; the image is a 1200x630
card drawn from a Card (generator/site/cards.py). Only what the page itself shows goes on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.data.model import SubRegion
from generator.facts import fmt
from generator.site.card import Card
from generator.site.plan import PageJob, Report, publishers


@dataclass(frozen=True)
class Social:
    """What a link to a page says in a chat or a timeline: title, description and its card."""

    title: str
    description: str
    card: Card


def social(page: PageJob) -> Social | None:
    """The link preview of a report, regency, change, archive or prose page (none for embeds and 404)."""
    ctx = page.context
    if page.template in ("embed.html", "404.html"):
        return None
    kicker = "CAKUPAN KEPESERTAAN JAMSOSTEK"
    label = "pekerja terdaftar di BPJS Ketenagakerjaan"
    if page.template == "region.html":
        region, snap, h = ctx["region"], ctx["snap"], ctx["h"]
        figure = fmt.pct(h.coverage).removeprefix("sekitar ")
        targets = tuple((f"Target {fmt.target_year(g.year)}: {fmt.percent(g.target.coverage.value, g.target.coverage.decimals)}",
                         g.target.coverage.value) for g in h.targets[:4])
        card = Card(kicker, region.name, figure, label, f"Data per {fmt.long_date(snap.date)}",
                    "Sumber: " + publishers(snap.sources), progress=(h.coverage.value, targets) if targets else None)
        return Social(f"{region.name}: {figure} pekerja terlindungi Jamsostek ({fmt.long_date(snap.date)})",
                      ctx["facts"][0].text, card)
    if page.template == "subregion.html":
        sub, current, rep_stats = ctx["sub"], ctx["current"], ctx.get("bars", ())
        if current is None:
            card = Card(kicker, sub.name, "", "belum ada angka cakupan yang jelas", ctx["region"].name, "cakupan")
            return Social(f"{sub.name}: cakupan Jamsostek", f"Belum ada angka cakupan yang jelas untuk {sub.name}.", card)
        figure = fmt.pct(current["figure"].coverage)
        card = Card(kicker, sub.name, figure, label, f"Data per {fmt.long_date(current['date'])}",
                    "Sumber: " + current["figure"].coverage.source.publisher, bars=rep_stats)
        return Social(f"{sub.name}: {figure} pekerja terlindungi Jamsostek ({fmt.long_date(current['date'])})",
                      ctx["facts"][0].text, card)
    if page.template == "change.html":
        c = ctx["c"]
        figure = fmt.points(c.points.value)
        card = Card(kicker, ctx["region"].name, figure, "perubahan cakupan",
                    f"{fmt.long_date(c.before.date)} ke {fmt.long_date(c.after.date)}",
                    "Sumber: " + publishers(ctx["change_fact"].sources))
        return Social(f"{ctx['region'].name}: cakupan berubah {figure}", ctx["change_fact"].text, card)
    if page.template == "archive.html":
        region = ctx["region"]
        card = Card(kicker, region.name, "", f"arsip {len(ctx['rows'])} laporan", "", "cakupan")
        return Social(f"Arsip laporan cakupan Jamsostek {region.name}",
                      f"{len(ctx['rows'])} laporan cakupan Jamsostek {region.name} menurut tanggal data.", card)
    title = ctx["page"].title if "page" in ctx else "Cakupan Jamsostek" if page.template == "overview.html" else "Data"
    description = ctx["page"].description if "page" in ctx else "Cakupan kepesertaan Jamsostek: angka, sumber dan data."
    return Social(title, description, Card(kicker, title, "", "", "", "cakupan"))


CARD_BARS = 20  # more bars than this do not fit a card legibly: such a card shows the figure alone


def card_bars(rep: Report, sub: SubRegion) -> tuple:
    """The regency ranking as card bars, with this regency highlighted (none for a long ranking)."""
    if rep.stats is None or rep.stats.row(sub.slug) is None:
        return ()
    if len(rep.stats.rows) + len(rep.stats.ambiguous) > CARD_BARS:
        return ()
    rows = [(r.subregion.name, r.coverage, "highlight" if r.subregion.slug == sub.slug else "normal")
            for r in rep.stats.rows]
    rows += [(r.figure.stated_name, r.coverage, "ambiguous") for r in rep.stats.ambiguous]
    return tuple(sorted(rows, key=lambda r: -r[1]))
