"""`site-builder init DIR`: a new site that passes `check` and publishes itself.

The files come from the `scaffold/` folder beside this module: site.yaml,
an actor registry, one example brief, a .gitignore, a requirements.txt that
pins the site-builder running init, and a GitHub Actions workflow that
installs it, builds the site and deploys it with GitHub's Pages actions; and the
schemas editors complete fields with (`.schema/`, see source/schema.py).

All or nothing: everything that could stop it (a file where a folder goes, a
.gitignore that is not UTF-8 text, a folder it may not write in) is looked at
before anything is written, and a write that fails all the same (a full disk)
removes what this run created. An existing .gitignore is changed last, by
replacing it whole, so it is either as it was or complete.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from .. import __version__
from ..base.diagnostics import Diagnostics
from ..source.load import load_site
from ..source.schema import write_schemas
from ..source.validate import validate_site

SCAFFOLD = Path(__file__).parent / "scaffold"
FILES = {  # where each file goes in the new site
    "site.yaml": "site.yaml",
    "briefs/_actors.yaml": "briefs/_actors.yaml",
    "briefs/2025-01-15-port-expansion.md": "briefs/2025-01-15-port-expansion.md",
    "briefs/2025-01-15-port-expansion.yaml": "briefs/2025-01-15-port-expansion.yaml",
    "workflows/pages.yml": ".github/workflows/pages.yml",
    "requirements.txt": "requirements.txt",  # a template: {version} becomes this version
    "gitignore": ".gitignore",  # last: the one file that may exist, added to
}
GITIGNORE = ".gitignore"
TEMPLATES = {"requirements.txt"}  # scaffold files with {version} in them


class InitError(Exception):
    pass


def init_site(directory: Path) -> list[Path]:
    """Write the new site's files; refuses to write over anything that exists, and writes
    nothing at all when it cannot write everything."""
    try:
        plan = _plan(directory)
    except OSError as exc:
        raise InitError(f"cannot read '{exc.filename}': {_reason(exc)}") from exc
    created: list[Path] = []  # files and folders this run made, in order
    try:
        for path, text in plan:
            _write(path, text, created)
    except BaseException as exc:  # a full disk, or Ctrl-C: take back what this run made
        _undo(created)
        if not isinstance(exc, OSError):
            raise
        where = Path(exc.filename).parent if exc.filename else path.parent
        raise InitError(f"cannot write in '{where}': {_reason(exc)}; "
                        f"nothing was written{_hint(exc)}") from exc
    write_site_schemas(directory)
    return [path for path, _text in plan]


def write_site_schemas(root: Path) -> None:
    """The site's `.schema/` files, for the site at `root` as it is now."""
    write_schemas(root, validate_site(load_site(root, Diagnostics()), Diagnostics()))


def _plan(directory: Path) -> list[tuple[Path, str]]:
    """Each file to write and its text, once every check has passed."""
    if directory.exists() and not directory.is_dir():
        raise InitError(f"'{directory}' exists and is not a folder")
    clashes = [directory / target for target in FILES.values()
               if (directory / target).exists() and target != GITIGNORE]
    is_site = (directory / "briefs").exists() or (directory / "site.yaml").exists()
    if clashes or is_site:
        shown = ", ".join(str(p) for p in clashes) or str(directory / "briefs")
        what = "a site" if is_site else \
            ("files" if len(clashes) > 1 else "a file") + " init would write"
        raise InitError(f"'{directory}' already holds {what} ({shown}); "
                        "choose an empty or new folder")
    plan = []
    for source, target in FILES.items():
        path = directory / target
        _check_folders(directory, path)
        text = scaffold_text(source)
        if target == GITIGNORE and os.path.lexists(path):  # a fresh clone's: add our lines
            text = _merged(_existing_gitignore(path), text)
        plan.append((path, text))
    return plan


def scaffold_text(source: str) -> str:
    """A scaffold file's text as init writes it (a template gets the running version)."""
    text = (SCAFFOLD / source).read_text(encoding="utf-8")
    return text.replace("{version}", __version__) if source in TEMPLATES else text


def inside_git_repository(directory: Path) -> bool:
    """Whether `directory` is in a git work tree: it, or a folder above it, holds `.git`."""
    path = directory.resolve()
    return any(os.path.lexists(folder / ".git") for folder in (path, *path.parents))


def _check_folders(directory: Path, path: Path) -> None:
    """The folders `path` goes in: the first that exists must be a folder one may write in."""
    for folder in path.parents:
        if not os.path.lexists(folder):
            continue
        if not folder.is_dir():
            kind = "a file" if folder.is_file() else "not a folder"
            raise InitError(f"cannot create the site in '{directory}': '{folder}' is {kind}; "
                            "move it away or choose another folder")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise InitError(f"cannot write in '{folder}': permission denied; nothing was "
                            "written (choose a folder you can write in)")
        return


def _existing_gitignore(path: Path) -> str:
    if not path.is_file():
        raise InitError(f"cannot add to '{path}': it is not a file; move it away and run "
                        "init again")
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InitError(f"cannot add to '{path}': it is not UTF-8 text (byte "
                        f"0x{data[exc.start]:02x} on line {line}); save it as UTF-8 and run "
                        "init again; nothing was written") from exc


def _write(path: Path, text: str, created: list[Path]) -> None:
    """Write one new file (or replace the .gitignore whole), its missing folders first."""
    missing = [f for f in path.parents if not os.path.lexists(f)]
    for folder in reversed(missing):
        folder.mkdir()
        created.append(folder)
    if os.path.lexists(path):
        _replace(path, text)
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    created.append(path)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def _replace(path: Path, text: str) -> None:
    """Replace `path` with `text` through a file beside it: never left half-written."""
    if path.read_text(encoding="utf-8") == text:
        return  # it has every line already
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _undo(created: list[Path]) -> None:
    """Remove what this run created, newest first (a folder only if it is empty again)."""
    for path in reversed(created):
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                path.rmdir()
            else:
                path.unlink()


def _reason(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return reason[:1].lower() + reason[1:]


def _hint(exc: OSError) -> str:
    return " (choose a folder you can write in)" if isinstance(exc, PermissionError) else ""


def _merged(existing: str, ours: str) -> str:
    have = set(existing.splitlines())
    missing = [line for line in ours.splitlines() if line not in have]
    if not [m for m in missing if m and not m.startswith("#")]:
        return existing
    return existing.rstrip("\n") + "\n\n" + "\n".join(missing) + "\n"
