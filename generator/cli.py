"""The `cakupan` command: parse arguments, run one stage, turn errors into exit codes.

Exit codes: 0 done; 1 an unexpected error (a bug: rerun with --debug);
2 bad data or bad arguments (the message lists every problem); 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import __version__
from .errors import CakupanError


def _validate(args: argparse.Namespace) -> int:
    from .model import load_dataset

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
    from .build import build, Settings

    started = time.perf_counter()
    settings = Settings(
        data=Path(args.data), out=Path(args.out), content=Path(args.content), templates=Path(args.templates),
        base_url=args.base_url,
    )
    report = build(settings)
    took = time.perf_counter() - started
    print(f"Built {report.pages} pages and {report.charts} charts into {settings.out}/ "
          f"({report.files} files, {report.bytes / 1e6:.1f} MB) in {took:.1f} s")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="cakupan",
        description="Build a static report site on Jamsostek coverage from dated YAML snapshots.",
        epilog="Exit codes: 0 done, 1 unexpected error (rerun with --debug), 2 bad data or arguments.",
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
    b.add_argument("--data", default="data", metavar="DIR", help="data folder (default: data)")
    b.add_argument("--out", default="site", metavar="DIR", help="output folder (default: site)")
    b.add_argument("--content", default="content", metavar="DIR", help="Markdown pages (default: content)")
    b.add_argument("--templates", default="templates", metavar="DIR", help="Jinja templates (default: templates)")
    b.add_argument("--base-url", default=None, metavar="URL",
                   help="the address the site will have, e.g. https://user.github.io/repo/ "
                        "(enables canonical links and sitemap.xml; also read from CAKUPAN_BASE_URL)")
    b.set_defaults(run=_build)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "base_url", None) is None and args.command == "build":
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
