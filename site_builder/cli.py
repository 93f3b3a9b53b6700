"""The `site-builder` command: argument parsing and exit codes, nothing else.

Each sub-command runs one stage function and turns its diagnostics into
output and an exit code: 0 when the site is fine, 1 when it has errors (or
warnings, with --strict), 2 for a wrong command line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from .diagnostics import Diagnostics, format_diagnostic, summary


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.run(args)
        return result
    except KeyboardInterrupt:
        print("site-builder: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="site-builder",
        description="Build a cross-linked static site from annotated news briefs.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate a site and report every problem")
    _add_source(check)
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.set_defaults(run=run_check)
    return parser


def _add_source(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", type=Path, default=Path("."), metavar="DIR",
                        help="the site's folder (default: the current folder)")


def run_check(args: argparse.Namespace) -> int:
    from .pipeline import check_site_at

    root: Path = args.source
    diags = Diagnostics()
    checked = check_site_at(root, diags)
    count = len(checked.site.briefs)
    report(diags, root, sys.stderr)
    noun = "brief" if count == 1 else "briefs"
    print(summary(diags, f"checked {count} {noun}"), file=sys.stderr)
    return exit_code(diags, args.strict)


def exit_code(diags: Diagnostics, strict: bool) -> int:
    return 1 if diags.errors or (strict and diags.warnings) else 0


def report(diags: Diagnostics, root: Path, out: TextIO) -> None:
    """Every diagnostic, in file order, with its source line."""
    lines = source_reader(root)
    for diag in diags.sorted():
        print(format_diagnostic(diag, lines), file=out)


def source_reader(root: Path) -> Callable[[str], list[str] | None]:
    @lru_cache(maxsize=64)
    def lines(rel: str) -> list[str] | None:
        try:
            return (root / rel).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return None

    return lines
