"""The `cakupan` command: parse arguments, run one stage, turn errors into exit codes.

Exit codes: 0 done; 1 an unexpected error (a bug: rerun with --debug);
2 bad data or bad arguments (the message lists every problem); 3 `verify`
found files that differ from their manifests; 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from generator import __version__
from generator.errors import CakupanError


def _validate(args: argparse.Namespace) -> int:
    from generator.data.dataset import load_dataset

    dataset = load_dataset(Path(args.data_dir))
    for region in dataset.regions:
        notes = sum(len(s.notes) for s in region.snapshots)
        problems = sum(1 for s in region.snapshots for n in s.notes if n.kind == "problem")
        print(f"{region.slug}: {region.name}, {len(region.snapshots)} snapshots "
              f"({region.snapshots[0].date} to {region.latest.date}), {len(region.subregions)} sub-regions, "
              f"{notes} data notes ({problems} on problems in the sources)")
        for snap in region.snapshots:
            for note in snap.notes:
                if note.kind == "problem":
                    print(f"  note {snap.date} {note.id}: {note.text[:100]}{'…' if len(note.text) > 100 else ''}")
    print(f"OK: {len(dataset.regions)} region{'s' if len(dataset.regions) != 1 else ''}, "
          f"{dataset.snapshot_count} snapshots, {sum(len(r.subregions) for r in dataset.regions)} sub-regions, "
          f"{sum(len(s.notes) for r in dataset.regions for s in r.snapshots)} data notes")
    return 0


def _build(args: argparse.Namespace) -> int:
    from generator.publish import progress, rebuild
    from generator.publish.settings import Settings, normalise_base_url

    started = time.perf_counter()
    progress.start_laps()
    settings = Settings(
        data=Path(args.data), out=Path(args.out), content=Path(args.content), templates=Path(args.templates),
        base_url=args.base_url, cache=not args.no_cache,
    )
    normalise_base_url(settings.base_url)  # (a bad --base-url stops before anything is read)
    # Nothing changed: said without importing the drawing and rendering libraries (most of the time otherwise).
    begun = rebuild.start(settings)
    progress.lap("key check")
    if not begun.unchanged:
        from generator.commands.build import build

        progress.lap("imports")
        progress.show_on_terminal()
        try:
            report = build(settings, begun)
        finally:
            progress.stop()
    progress.write_phases()
    took = time.perf_counter() - started
    if begun.unchanged or report.unchanged:
        s = begun.previous.summary if begun.unchanged else {"pages": report.pages, "files": report.files}
        pages, files = s["pages"], s["files"]
        print(f"Nothing changed since the last build: {settings.out}/ left as it was "
              f"({pages} pages, {files} files) in {took:.1f} s")
        return 0
    reused = f", {report.from_cache} reused from the build cache" if report.from_cache else ""
    if report.reports_kept:
        reused += f", {report.reports_kept} unchanged dated reports kept"
    if report.reports_cached:
        reused += f", {report.reports_cached} dated reports from the build cache"
    print(f"Built {report.pages} pages and {report.charts} charts into {settings.out}/ "
          f"({report.files} files, {report.bytes / 1e6:.1f} MB{reused}) in {took:.1f} s")
    return 0


def _freeze(args: argparse.Namespace) -> int:
    from generator.commands.freeze import freeze

    record, action = freeze(Path(args.data), args.region, args.date, republish=args.republish,
                            content=Path(args.content), templates=Path(args.templates), correction_date=args.on,
                            base_url=args.base_url)
    print(f"{action} {record.region} {record.date}: {len(record.files)} files recorded in {record.path}"
          + (f" ({len(record.corrections)} correction{'s' if len(record.corrections) != 1 else ''})"
             if record.corrections else ""))
    return 0


def _verify(args: argparse.Namespace) -> int:
    from generator.publish.verify import verify

    report = verify(Path(args.site_dir), args.against)
    for kind in ("changed", "missing", "added"):
        for path in getattr(report, kind):
            print(f"{kind}: {path}")
    for problem in report.zips:
        print(f"zip: {problem}")
    for problem in report.anchor:
        print(f"against {args.against}: {problem}")
    print(f"SHA-256 of {args.site_dir}/SHA256SUMS: {report.manifest}")
    if report.ok:
        print(f"OK: {report.checked} files match SHA256SUMS" + (f", which matches {args.against}" if args.against else
                                                             " (give --against URL to check it against the site)"))
        return 0
    print(f"DIFFERS: {len(report.changed)} changed, {len(report.missing)} missing, {len(report.added)} added, "
          f"{len(report.zips)} zip problems" + (f", {len(report.anchor)} against {args.against}" if args.against else ""))
    return 3


def _serve(args: argparse.Namespace) -> int:
    from generator.publish.settings import Settings
    from generator.commands.serve import serve

    settings = Settings(data=Path(args.data), content=Path(args.content), templates=Path(args.templates),
                        base_url=args.base_url)
    return serve(settings, host=args.host, port=args.port)


def _new(args: argparse.Namespace) -> int:
    from generator.errors import display_path
    from generator.commands.new import new_snapshot

    path = new_snapshot(Path(args.data), args.region, args.date)
    check = "cakupan validate" + ("" if args.data == "data" else f" {args.data}")
    print(f"wrote {display_path(path)}: fill in the figures, then run {check}")
    return 0


def _inputs(command: argparse.ArgumentParser) -> None:
    """The folders a site is made from, as build, serve and freeze take them."""
    command.add_argument("--data", default="data", metavar="DIR", help="data folder (default: data)")
    command.add_argument("--content", default="content", metavar="DIR", help="Markdown pages (default: content)")
    command.add_argument("--templates", default="templates", metavar="DIR", help="Jinja templates (default: templates)")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="cakupan",
        description="Build a static report site on Jamsostek coverage from dated YAML snapshots.",
        epilog="Exit codes: 0 done, 1 unexpected error (rerun with --debug), 2 bad data or arguments, "
               "3 verify found differences.",
    )
    top.add_argument("--version", action="version", version=f"cakupan {__version__}")
    top.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", required=True)

    v = commands.add_parser("validate", help="check the data folder and summarise it",
                            description="Check every file in the data folder; print a summary or every problem.")
    v.add_argument("data_dir", nargs="?", default="data", metavar="DATA_DIR", help="the data folder (default: data)")
    v.set_defaults(run=_validate)

    b = commands.add_parser("build", help="build the site",
                            description="Check the data, then write the whole site. On any error, the "
                                        "previous output folder is left as it was.")
    _inputs(b)
    b.add_argument("--out", default="site", metavar="DIR", help="output folder (default: site)")
    b.add_argument("--base-url", default=None, metavar="URL",
                   help="the address the site will have, e.g. https://user.github.io/repo/ "
                        "(enables canonical links and sitemap.xml; also read from CAKUPAN_BASE_URL)")
    b.add_argument("--no-cache", action="store_true",
                   help="make everything again (charts, cards, zips, dated reports not frozen: today's templates), "
                        "neither reading nor writing the build cache ($CAKUPAN_CACHE_DIR, else ~/.cache/cakupan)")
    b.set_defaults(run=_build)

    s = commands.add_parser("serve", help="preview the site while editing: rebuild on change, reload the page",
                            description="Build into a temporary folder and serve it on this computer under the "
                                        "path the site will have (from --base-url), rebuild when data/, content/ "
                                        "or templates/ change, and reload open pages. A build error is shown on "
                                        "the page and here; the server keeps running. Ctrl-C stops it.")
    s.add_argument("--port", type=int, default=8000, metavar="N", help="port to listen on (default: 8000; 0: any free port)")
    s.add_argument("--host", default="127.0.0.1", metavar="HOST",
                   help="address to listen on (default: 127.0.0.1, this computer only)")
    _inputs(s)
    s.add_argument("--base-url", default=None, metavar="URL",
                   help="the address the site will have; its path is where the preview is served "
                        "(default: CAKUPAN_BASE_URL, else /)")
    s.set_defaults(run=_serve)

    n = commands.add_parser("new", help="start a new snapshot from the region's latest one",
                            description="Write data/REGION/DATE.yaml with the latest snapshot's sources, targets "
                                        "and sub-regions, every figure left empty with a comment saying what to "
                                        "fill in and the previous value. Until filled in, it fails validate.")
    n.add_argument("region", metavar="REGION", help="the region's folder name, e.g. lampung")
    n.add_argument("date", metavar="DATE", help="the date the new figures are as of, YYYY-MM-DD (later than the latest)")
    n.add_argument("--data", default="data", metavar="DIR", help="data folder (default: data)")
    n.set_defaults(run=_new)

    f = commands.add_parser("freeze", help="record a published snapshot so later builds cannot silently change it",
                            description="Record the SHA-256 of every file of a dated report in "
                                        "data/<region>/frozen/<date>.json. A later build that would change them "
                                        "fails, naming the files, until the change is re-published with a reason.")
    f.add_argument("region", nargs="?", default=None, metavar="REGION",
                   help="the region's folder name (may be left out when data/ holds one region)")
    f.add_argument("date", metavar="DATE", help="the snapshot's date, YYYY-MM-DD")
    f.add_argument("--republish", metavar="REASON", default=None,
                   help="accept the changed files and show REASON on the report as a correction notice")
    f.add_argument("--on", metavar="DATE", default=None,
                   help="the correction's date (default: from SOURCE_DATE_EPOCH, else today)")
    _inputs(f)
    f.add_argument("--base-url", default=None, metavar="URL",
                   help="the base URL the site is built with (default: CAKUPAN_BASE_URL); must match the builds")
    f.set_defaults(run=_freeze)

    c = commands.add_parser("verify", help="check a built or downloaded site against its manifest",
                            description="Check every file in SITE_DIR, and inside every zip, against the site's "
                                        "SHA256SUMS; name each file that changed, is missing or was added. With "
                                        "--against, check that manifest itself against the published site (the "
                                        "SHA-256 its feed states) or the repository's frozen records. Exit 3 when "
                                        "something differs.")
    c.add_argument("site_dir", nargs="?", default="site", metavar="SITE_DIR", help="the site folder (default: site)")
    c.add_argument("--against", metavar="URL|FEED|DATA_DIR", default=None,
                   help="the published site's address (its feed.xml is read), a saved feed.xml, or a data folder "
                        "whose frozen records hold the hashes of every frozen report's files")
    c.set_defaults(run=_verify)
    return top


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl-C before a command started (arguments, imports): no traceback
        print("cakupan: interrupted", file=sys.stderr)
        return 130


def _main(argv: list[str] | None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "base_url", None) is None and args.command in ("build", "freeze", "serve"):
        import os

        args.base_url = os.environ.get("CAKUPAN_BASE_URL") or None
    try:
        return args.run(args)
    except CakupanError as exc:
        if args.debug:
            raise
        print(f"cakupan: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("cakupan: interrupted; the output folder was not changed", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so plainly
        if args.debug:
            raise
        print(f"cakupan: unexpected error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
