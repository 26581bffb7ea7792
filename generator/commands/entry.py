"""The `cakupan` program's first code, which catches Ctrl-C before anything else is imported.

Why this module exists: a console script imports the module it names before it calls anything in
it. Named directly, generator.commands.cli would be imported (argparse, pathlib, dataclasses, the
exception root) with nothing yet in place to catch a Ctrl-C, and Python would print a traceback.
This module imports nothing at its top but `sys` (built into the interpreter), then imports the
cli inside a `try` and runs it there: an interrupt at any moment from here on is one line and exit
code 130, as the cli itself reports one. Python's own start-up before this module (the interpreter,
and the site-packages hooks such as an editable install's finder) runs no cakupan code, so an
interrupt there is Python's to report.
"""

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the cli; Ctrl-C while it is imported, runs or returns exits 130 without a traceback."""
    try:
        from generator.commands import cli

        return cli.main(argv)
    except KeyboardInterrupt:
        try:
            print("cakupan: interrupted", file=sys.stderr, flush=True)
        except KeyboardInterrupt:
            pass
        return 130


if __name__ == "__main__":
    sys.exit(main())
