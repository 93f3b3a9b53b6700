"""The files of `site-builder import`: the raw article read, the new brief written.

The raw article must be a regular file of at most `MAX_ARTICLE_BYTES`: a named
pipe, a device or a folder is refused before anything is read from it. The
brief's two files are written all or nothing: each to a temporary file in
`briefs/`, then moved in its place; when the second move fails, the first is
put back as it was. A move replaces the name in `briefs/`, so a link there is
replaced, never written through; a link to a file outside the site folder is
refused (the builder will not read it either).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Sequence
from pathlib import Path

from .htmltext import UndecodableText, decode_text

MAX_ARTICLE_BYTES = 64 * 1024 * 1024
_MB = 1024 * 1024
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


class ImportRefused(Exception):
    """The article cannot be imported: nothing was written."""


def read_article(path: Path) -> str:
    """The text of the raw article at `path`; raises `ImportRefused` saying why not."""
    data = _read_bytes(path)
    try:
        return decode_text(data, path.name)
    except UndecodableText as exc:
        raise ImportRefused(f"{path} {exc.what}; nothing written ({exc.hint})") from None


def _read_bytes(path: Path) -> bytes:
    """The bytes of a regular file, read with a size limit (a pipe is never waited on)."""
    try:
        _refuse_special(path, os.stat(path))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ImportRefused(f"cannot read {path}: {exc.strerror or exc}") from None
    with open(fd, "rb") as handle:
        try:
            _refuse_special(path, os.fstat(fd))  # replaced since the first look
            data = handle.read(MAX_ARTICLE_BYTES + 1)
        except OSError as exc:
            raise ImportRefused(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_ARTICLE_BYTES:
        raise _too_large(path)
    return data


def _refuse_special(path: Path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = next((kind for test, kind in _KINDS if test(info.st_mode)), "a special file")
        raise ImportRefused(f"cannot read {path}: it is {kind}, not a file; save the "
                            "article in a file and import that")
    if info.st_size > MAX_ARTICLE_BYTES:
        raise _too_large(path)


def _too_large(path: Path) -> ImportRefused:
    return ImportRefused(f"{path} is larger than {MAX_ARTICLE_BYTES // _MB} MB, too large "
                         "for an article; nothing written (save only the article's page or "
                         "text, then import that)")


def check_targets(root: Path, folder: str, names: Sequence[str], force: bool) -> None:
    """Refuse, before anything is written, to write `names` in `root / folder`.

    Without `force`, any existing entry is refused (a link, even a broken one,
    counts). With it, a file or a link to somewhere in the site is replaced; a
    link out of the site folder, a folder or a special file is refused.
    """
    site = root.resolve()
    if not (root / folder).resolve().is_relative_to(site):
        raise ImportRefused(f"'{folder}/' leads out of the site folder (a link); nothing "
                            f"written (make '{folder}/' a folder of the site)")
    existing = [f"{folder}/{name}" for name in names if os.path.lexists(root / folder / name)]
    if existing and not force:
        raise ImportRefused(f"{' and '.join(existing)} already exist{'s' * (len(existing) == 1)}"
                            "; nothing written (add --force to replace, or choose another "
                            "name with --slug)")
    for rel in existing:
        _check_replaceable(root / rel, rel, site)


def _check_replaceable(path: Path, rel: str, site: Path) -> None:
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        if not path.resolve().is_relative_to(site):
            raise ImportRefused(f"{rel} is a link to a file outside the site folder; nothing "
                                "written (delete the link, or choose another name with --slug)")
    elif not stat.S_ISREG(info.st_mode):
        raise ImportRefused(f"{rel} is not a file; nothing written (move it away, or choose "
                            "another name with --slug)")


def write_all(folder: Path, files: Sequence[tuple[str, str]]) -> None:
    """Write each (name, text) in `folder`, all or nothing; raises `OSError` when not.

    An entry already there (a file, or a link: never followed) is set aside
    under a hidden name while the new one is moved in, and put back if a later
    move fails.
    """
    temporary: list[tuple[Path, Path]] = []
    moved: list[tuple[Path, Path | None]] = []
    try:
        for name, text in files:
            temporary.append((_temporary(folder, name, text.encode("utf-8")), folder / name))
        for tmp, target in temporary:
            moved.append((target, _move_in(tmp, target)))
    except BaseException:
        for target, backup in reversed(moved):
            _put_back(target, backup)
        for tmp, _ in temporary:
            tmp.unlink(missing_ok=True)
        raise
    for _, backup in moved:
        if backup is not None:
            backup.unlink(missing_ok=True)


def _temporary(folder: Path, name: str, data: bytes) -> Path:
    """`data` in a new hidden file beside `name` (which builds and watchers ignore)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = folder / f".tmp-{name[:100]}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue
        try:
            with open(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return tmp


def _move_in(tmp: Path, target: Path) -> Path | None:
    """`tmp` moved to `target`; what was there before is set aside: its new name, or None."""
    backup = None
    if os.path.lexists(target):
        backup = tmp.with_name(f".old-{target.name[:100]}.{secrets.token_hex(6)}.tmp")
        os.replace(target, backup)
    try:
        os.replace(tmp, target)
    except BaseException:
        _put_back(target, backup, moved=False)
        raise
    return backup


def _put_back(target: Path, backup: Path | None, moved: bool = True) -> None:
    """`target` as it was before `_move_in` (best effort: this runs while failing)."""
    with contextlib.suppress(OSError):
        if backup is not None:
            os.replace(backup, target)
        elif moved:
            target.unlink()
