"""The `site-builder` command: argument parsing and exit codes, nothing else.

Each sub-command runs one stage function and turns its diagnostics into
output and an exit code: 0 when the site is fine, 1 when it has errors (or
warnings, with --strict, except those about news still unfolding), 2 for a wrong
command line.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from .. import __version__
from ..base.diagnostics import (
    Diagnostic,
    Diagnostics,
    Severity,
    format_diagnostic,
    held_note,
    plural,
    summary,
    visible,
    warning_count,
)
from ..base.parallel import paused_collector
from .starting import run_init, run_new


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if getattr(args, "source", False) is None:
        args.source = _find_site()
    try:
        with paused_collector() if args.run in ONE_SHOT else contextlib.nullcontext():
            try:
                result: int = args.run(args)
            finally:
                if argv is None:  # the process ends now: its objects need no collecting on
                    gc.freeze()  # the way out (a collection would walk millions of them)
        return result
    except KeyboardInterrupt:
        print("site-builder: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="site-builder",
        description="Build a cross-linked static site from annotated news briefs.")
    parser.add_argument("--version", action="version", version=f"site-builder {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate a site and report every problem")
    _add_source(check)
    check.add_argument("--strict", action="store_true", help=STRICT_HELP)
    check.set_defaults(run=run_check)

    build = commands.add_parser("build", help="check the site and write it to the output folder")
    _add_source(build)
    build.add_argument("--output", type=Path, default=None, metavar="DIR",
                       help="where to write the site (default: output/ in the site's folder)")
    build.add_argument("--base-url", default=None, metavar="URL", type=_base_url,
                       help="the address the site is published at, e.g. "
                            "https://example.github.io/briefs/ (overrides site.yaml)")
    build.add_argument("--strict", action="store_true", help=STRICT_HELP)
    build.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                       help="worker processes (default: one per core)")
    build.add_argument("--no-cache", action="store_true",
                       help="ignore and do not update the build cache in .cache/")
    build.add_argument("--quiet", "-q", action="store_true",
                       help="no progress line, only problems and the summary")
    build.set_defaults(run=run_build)

    serve = commands.add_parser("serve", help="preview the site, rebuilding and reloading on save")
    _add_source(serve)
    serve.add_argument("--output", type=Path, default=None, metavar="DIR",
                       help="where to write the site (default: output/ in the site's folder)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=_port, default=8000, metavar="N",
                       help="the port, 1 to 65535, or 0 for any free one (default: 8000)")
    serve.add_argument("--base-url", default=None, metavar="URL", type=_base_url,
                       help="preview under the path of this address, as it will be published")
    serve.add_argument("--open", action="store_true", help="open the site in a web browser")
    serve.add_argument("--no-cache", action="store_true",
                       help="ignore and do not update the build cache in .cache/")
    serve.set_defaults(run=run_serve)

    deploy = commands.add_parser("deploy", help="build and push the site to the gh-pages branch")
    _add_source(deploy)
    deploy.add_argument("--remote", default="origin", help="the git remote (default: origin)")
    deploy.add_argument("--branch", default="gh-pages", help="the branch (default: gh-pages)")
    deploy.add_argument("--message", "-m", default=None, metavar="M", help="the commit message")
    deploy.add_argument("--base-url", default=None, metavar="URL", type=_base_url,
                        help="the published address (default: site.yaml's, or the GitHub "
                             "Pages address of the remote)")
    deploy.set_defaults(run=run_deploy)

    init = commands.add_parser("init", help="create a new site with an example brief")
    init.add_argument("directory", type=Path, metavar="DIR", help="the new site's folder")
    init.set_defaults(run=run_init)

    new = commands.add_parser("new", help="write a new brief (its article and annotations) "
                                          "from a commented template")
    new.add_argument("slug", metavar="SLUG",
                     help="the brief's name, e.g. 2025-03-11-port-strike (its address)")
    new.add_argument("--title", default=None, metavar="T",
                     help="its title (default: the words of the slug)")
    new.add_argument("--date", default=None, metavar="D",
                     help="its date, YYYY-MM-DD (default: the slug's, else today)")
    _add_source(new)
    new.set_defaults(run=run_new)

    imp = commands.add_parser("import", help="draft a brief from raw article text "
                                             "(plain text, Markdown or a saved web page)")
    imp.add_argument("files", type=Path, nargs="+", metavar="FILE", help="the raw article(s)")
    imp.add_argument("--slug", default=None, metavar="S",
                     help="the new brief's name (one FILE only; default: date and headline)")
    _add_source(imp)
    imp.add_argument("--force", action="store_true", help="replace a brief of the same name")
    imp.set_defaults(run=run_import)
    return parser


STRICT_HELP = ("fail on warnings too, except a claim with no response yet and an actor no "
               "brief names yet")


def _add_source(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", type=Path, default=None, metavar="DIR",
                        help="the site's folder (default: the current folder, or the nearest "
                             "folder above it with a site.yaml or a briefs/ folder)")


def _find_site() -> Path:
    """The site a command run without `--source` works on (see `findsite`), as a path
    relative to the current folder; said when it is not the current folder."""
    from ..source.findsite import find_site

    here = Path.cwd()
    found = find_site(here)
    if found is None or found == here:
        return Path(".")
    relative = Path(os.path.relpath(found, here))
    print(visible(f"site-builder: using the site in {relative} ({found})"), file=sys.stderr)
    return relative


def _port(text: str) -> int:
    """A TCP port (0: any free one), checked before anything is built."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a port: give a number from 1 to 65535 (or 0 for any free port)")
    return port


def _base_url(value: str) -> str:
    """`--base-url`'s value; one that is no base URL is a wrong command line (exit 2)."""
    from ..source.config import BASE_URL_HINT, base_url_problem

    problem = base_url_problem(value)
    if problem is not None:
        raise argparse.ArgumentTypeError(f"{problem}; {BASE_URL_HINT}")
    return value


def run_check(args: argparse.Namespace) -> int:
    from ..text.articles import check_site_at

    root: Path = args.source
    diags = Diagnostics()
    count = len(check_site_at(root, diags).briefs)
    report(diags, root, sys.stderr)
    noun = "brief" if count == 1 else "briefs"
    print(summary(diags, f"checked {count} {noun}", args.strict), file=sys.stderr)
    return exit_code(diags, args.strict)


def exit_code(diags: Diagnostics, strict: bool) -> int:
    return 1 if diags.fails(strict) else 0


BUILD_WARNINGS_SHOWN = 50  # `build` shows this many warnings in full; `check` shows them all


def report(diags: Diagnostics, root: Path, out: TextIO, warnings: int | None = None) -> None:
    """Every error, and every warning or the first `warnings` of them, in file order, with
    its source line."""
    lines = source_reader(root)
    items = diags.sorted()
    shown = items if warnings is None else _first_warnings(items, warnings)
    for diag in shown:
        print(format_diagnostic(diag, lines), file=out)
    if len(shown) < len(items):
        more = len(items) - len(shown)
        print(f"... and {plural(more, 'more warning')} not shown here: "
              "`site-builder check` lists them all", file=out)
    if (note := held_note(diags)) is not None:
        print(note, file=out)


def _first_warnings(items: list[Diagnostic], count: int) -> list[Diagnostic]:
    warnings = [d for d in items if d.severity is not Severity.ERROR][:count]
    kept = set(map(id, warnings))
    return [d for d in items if d.severity is Severity.ERROR or id(d) in kept]


def source_reader(root: Path) -> Callable[[str], list[str] | None]:
    from ..source.load import source_lines

    @lru_cache(maxsize=64)
    def lines(rel: str) -> list[str] | None:
        return source_lines(root, rel)  # as the build reads: never a file outside the site

    return lines


def run_build(args: argparse.Namespace) -> int:
    from ..build.run import build_site
    from .progress import TerminalProgress

    root: Path = args.source
    out_dir: Path = args.output or root / "output"
    diags = Diagnostics()
    progress = None if args.quiet or not sys.stderr.isatty() else TerminalProgress(sys.stderr)
    started = time.perf_counter()
    result = build_site(root, out_dir, diags, args.base_url, args.jobs, not args.no_cache,
                        progress, args.strict)
    if progress:
        progress.clear()
    report(diags, root, sys.stderr, BUILD_WARNINGS_SHOWN)
    if result.report is None:
        why = _strict_failure(diags) if args.strict and not diags.errors else ""
        print(summary(diags, f"build failed{why}, {out_dir} left as it was", args.strict),
              file=sys.stderr)
        return 1
    written, seconds = result.report, time.perf_counter() - started
    noun = "brief" if result.briefs == 1 else "briefs"
    print(f"built {result.briefs} {noun} into {out_dir}: {len(written.written)} written, "
          f"{len(written.unchanged)} unchanged, {len(written.removed)} removed, "
          f"{warning_count(diags, args.strict)}, {seconds:.2f} s", file=sys.stderr)
    return exit_code(diags, args.strict)


def _strict_failure(diags: Diagnostics) -> str:
    """Why a build with no error failed: ` (--strict: 1 warning counts as an error)`."""
    fatal = len(diags.warnings) - len(diags.passing)
    counts = "counts as an error" if fatal == 1 else "count as errors"
    return f" (--strict: {plural(fatal, 'warning')} {counts})"


def run_serve(args: argparse.Namespace) -> int:
    from ..serve.session import ServeOptions, serve

    root: Path = args.source
    options = ServeOptions(root, args.output or root / "output", args.host, args.port,
                           args.base_url, args.open, not args.no_cache)
    return serve(options, source_reader(root))


def run_deploy(args: argparse.Namespace) -> int:
    from ..publish.deploy import DeployRefused, GitError, deploy, deploy_lines

    root: Path = args.source
    diags = Diagnostics()
    try:
        result = deploy(root, diags, args.remote, args.branch, args.message, args.base_url)
    except DeployRefused as exc:
        print(f"site-builder: {exc}; nothing was published", file=sys.stderr)
        return 1
    except GitError as exc:
        report(diags, root, sys.stderr)
        print(f"site-builder: deploy failed, nothing was published: {exc}", file=sys.stderr)
        return 1
    report(diags, root, sys.stderr)
    if result is None:
        print(summary(diags, "deploy refused: the site has errors, nothing was published"),
              file=sys.stderr)
        return 1
    for line in deploy_lines(result):
        print(line, file=sys.stderr)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from ..importer.run import ImportRefused, import_article, valid_slug

    root: Path = args.source
    if args.slug is not None and len(args.files) > 1:
        print("site-builder import: --slug names one brief; give one FILE with it",
              file=sys.stderr)
        return 2
    if args.slug is not None and not valid_slug(args.slug):
        print(f"site-builder import: '{args.slug}' is not a valid slug: lowercase letters, "
              "digits and single hyphens, e.g. 2024-09-09-iran-missiles", file=sys.stderr)
        return 2
    failed = 0
    written: set[str] = set()
    for path in args.files:
        try:
            done = import_article(path, root, args.slug, args.force, reserved=written)
        except ImportRefused as exc:
            print(visible(f"site-builder import: {path}: {exc}"), file=sys.stderr)
            failed = 1
            continue
        written.add(done.slug)
        report_import(done, path, root)
        failed |= bool([d for d in done.problems if d.severity == "error"])
    return failed


def report_import(done: object, path: Path, root: Path) -> None:
    """What one import wrote and found, and what is left to the editor."""
    from ..importer.run import Imported

    assert isinstance(done, Imported)
    article = done.article
    print(visible(f"wrote {done.md_path} and {done.yaml_path} from {path}"), file=sys.stderr)
    print(visible(f"  title: {article.headline or '(none found)'}; date: "
                  f"{article.date or '(none found, today used)'}; outlet: "
                  f"{article.outlet or '(none found)'}"), file=sys.stderr)
    left = done.quotations - done.drafted
    new = f", new actors: {', '.join(done.new_actors)}" if done.new_actors else ""
    print(f"  {done.quotations} quotations: {done.drafted} drafted, {left} left as comments; "
          f"{done.speakers} speakers{new}", file=sys.stderr)
    if article.dropped:
        print(f"  dropped {len(article.dropped)} lines (page chrome, captions, codes, "
              "headline and byline moved to the YAML)", file=sys.stderr)
    report(Diagnostics(list(done.problems)), root, sys.stderr)
    print(f"next: look for EDITOR in {done.yaml_path}, then run: site-builder check",
          file=sys.stderr)


# Commands that run once and end: no garbage collection while they run (a large site's
# millions of objects would be walked again and again, for no garbage).
ONE_SHOT = (run_check, run_build)
