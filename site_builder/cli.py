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

    build = commands.add_parser("build", help="check the site and write it to the output folder")
    _add_source(build)
    build.add_argument("--output", type=Path, default=None, metavar="DIR",
                       help="where to write the site (default: output/ in the site's folder)")
    build.add_argument("--base-url", default=None, metavar="URL",
                       help="the address the site is published at, e.g. "
                            "https://example.github.io/briefs/ (overrides site.yaml)")
    build.add_argument("--strict", action="store_true", help="fail on warnings too")
    build.set_defaults(run=run_build)

    serve = commands.add_parser("serve", help="preview the site, rebuilding and reloading on save")
    _add_source(serve)
    serve.add_argument("--output", type=Path, default=None, metavar="DIR",
                       help="where to write the site (default: output/ in the site's folder)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="the port (default: 8000)")
    serve.add_argument("--base-url", default=None, metavar="URL",
                       help="preview under the path of this address, as it will be published")
    serve.add_argument("--open", action="store_true", help="open the site in a web browser")
    serve.set_defaults(run=run_serve)

    deploy = commands.add_parser("deploy", help="build and push the site to the gh-pages branch")
    _add_source(deploy)
    deploy.add_argument("--remote", default="origin", help="the git remote (default: origin)")
    deploy.add_argument("--branch", default="gh-pages", help="the branch (default: gh-pages)")
    deploy.add_argument("--message", "-m", default=None, metavar="M", help="the commit message")
    deploy.add_argument("--base-url", default=None, metavar="URL",
                        help="the published address (default: site.yaml's, or the GitHub "
                             "Pages address of the remote)")
    deploy.set_defaults(run=run_deploy)

    init = commands.add_parser("init", help="create a new site with an example brief")
    init.add_argument("directory", type=Path, metavar="DIR", help="the new site's folder")
    init.set_defaults(run=run_init)
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


def run_build(args: argparse.Namespace) -> int:
    from .build import build_site

    root: Path = args.source
    out_dir: Path = args.output or root / "output"
    diags = Diagnostics()
    result = build_site(root, out_dir, diags, args.base_url)
    report(diags, root, sys.stderr)
    failed = exit_code(diags, args.strict)
    noun = "brief" if result.briefs == 1 else "briefs"
    if result.report is None:
        print(summary(diags, f"build failed, {out_dir} left as it was"), file=sys.stderr)
        return 1
    written = result.report
    print(f"built {result.briefs} {noun} into {out_dir}: {len(written.written)} written, "
          f"{len(written.unchanged)} unchanged, {len(written.removed)} removed "
          f"({len(diags.warnings)} warnings)", file=sys.stderr)
    return failed


def run_serve(args: argparse.Namespace) -> int:
    from .serve import ServeOptions, serve

    root: Path = args.source
    options = ServeOptions(root, args.output or root / "output", args.host, args.port,
                           args.base_url, args.open)
    return serve(options, source_reader(root))


def run_deploy(args: argparse.Namespace) -> int:
    from .deploy import GitError, deploy

    root: Path = args.source
    diags = Diagnostics()
    try:
        result = deploy(root, diags, args.remote, args.branch, args.message, args.base_url)
    except GitError as exc:
        report(diags, root, sys.stderr)
        print(f"site-builder: deploy failed, nothing was published: {exc}", file=sys.stderr)
        return 1
    report(diags, root, sys.stderr)
    if result is None:
        print(summary(diags, "deploy refused: the site has errors, nothing was published"),
              file=sys.stderr)
        return 1
    print(f"deployed {result.files} files to {result.remote}/{result.branch} "
          f"(commit {result.commit[:12]})", file=sys.stderr)
    return 0


def run_init(args: argparse.Namespace) -> int:
    from .scaffold import InitError, init_site

    try:
        written = init_site(args.directory)
    except InitError as exc:
        print(f"site-builder: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"created {path}", file=sys.stderr)
    print(f"next: cd {args.directory} && site-builder serve", file=sys.stderr)
    return 0
