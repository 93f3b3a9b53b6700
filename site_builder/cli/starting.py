"""The commands that start something: `init` (a new site) and `new` (a new brief), and what
they tell a new user: where the site should live, and how to run `site-builder` from it."""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
from pathlib import Path

import site_builder

from ..base.diagnostics import visible

PUBLISH_STEPS = ("to publish it with GitHub Pages:\n"
                 '  git init -b main && git add --all && git commit -m "A new site"\n'
                 "  push it to a new GitHub repository "
                 "(git remote add origin URL && git push -u origin main)\n"
                 "  then in the repository's Settings > Pages set \"Source\" to "
                 '"GitHub Actions"')


def run_init(args: argparse.Namespace) -> int:
    from ..publish.scaffold import InitError, init_site, inside_git_repository

    directory: Path = args.directory
    try:
        written = init_site(directory)
    except InitError as exc:
        print(f"site-builder: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"created {path}", file=sys.stderr)
    print(f"created {directory / '.schema'}/ (schemas for editors' completion: see "
          "docs/format.md)", file=sys.stderr)
    inside = own_clone(directory)
    if inside is not None:
        print(visible(f"note: {directory} is inside site-builder's own folder ({inside}); a "
                      "site is best kept in a folder of its own, which becomes its own git "
                      f"repository: e.g. site-builder init ~/{directory.resolve().name}"),
              file=sys.stderr)
    command = runs_as()
    print(f"next: cd {directory} && {command} serve", file=sys.stderr)
    path_note()
    if not inside_git_repository(directory):
        print(PUBLISH_STEPS, file=sys.stderr)
    return 0


def own_clone(directory: Path) -> Path | None:
    """site-builder's own source folder, when `directory` is inside it: the folder of the
    running package (an editable install from a clone), or any folder above `directory` that
    holds a pyproject.toml beside a site_builder/ package (a clone of another version)."""
    target = directory.resolve()
    running = Path(site_builder.__file__).resolve().parent.parent
    for folder in (target, *target.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "site_builder").is_dir() \
                and (folder == running or (folder / "site_builder" / "__init__.py").is_file()):
            return folder
    return None


def runs_as() -> str:
    """How to run this site-builder from another folder: `site-builder` when that is the one
    the PATH finds, else its full path."""
    argv0 = Path(sys.argv[0])
    if argv0.name != "site-builder":
        return "site-builder"  # `python -m site_builder`, or a test
    found = shutil.which("site-builder")
    if found is not None and Path(found).resolve() == argv0.resolve():
        return "site-builder"
    return str(argv0.resolve())


def path_note() -> None:
    """A note when the `site-builder` on the PATH is not this one (or there is none)."""
    command = runs_as()
    if command == "site-builder":
        return
    venv = Path(command).parent
    print(visible(f"note: the command site-builder is not on your PATH: run it as {command}, "
                  f"or activate its virtual environment first (source {venv}/activate), or "
                  "install it for every terminal with pipx (pipx install site-builder)"),
          file=sys.stderr)


def run_new(args: argparse.Namespace) -> int:
    from ..publish.newbrief import NewBriefError, new_brief
    from ..source.dates import date_hint, parse_iso
    from ..source.yamlsrc import ID_PATTERN, slugify

    slug: str = args.slug
    if not ID_PATTERN.match(slug):
        better = slugify(slug)
        example = f"'{better}'" if better else "'2025-03-11-port-strike'"
        print(visible(f"site-builder new: '{slug}' is not a valid slug: lowercase letters, "
                      f"digits and single hyphens, e.g. {example}"), file=sys.stderr)
        return 2
    date: dt.date | None = None
    if args.date is not None:
        date, wrong = parse_iso(args.date)
        if date is None:
            why = f"it is not a real date ({wrong})" if wrong else date_hint(args.date)
            print(visible(f"site-builder new: argument --date: '{args.date}' is not a date: "
                          f"{why}"), file=sys.stderr)
            return 2
    try:
        written = new_brief(args.source, slug, args.title, date)
    except NewBriefError as exc:
        print(visible(f"site-builder: {exc}"), file=sys.stderr)
        return 1
    article, annotations = (args.source / rel for rel in written)
    print(f"created {article}\ncreated {annotations}", file=sys.stderr)
    print(f"next: paste the article into {article}, annotate {annotations}, then run: "
          f"{runs_as()} check", file=sys.stderr)
    return 0
