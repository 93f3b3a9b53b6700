"""Reading a site's own files: only regular files inside the site folder, of a bounded size.

A site folder may come from a stranger (a pull request that CI builds): a link in it can point
anywhere (`briefs/leak.md` -> /etc/passwd would be published), a file can be a named pipe
(opening it waits forever) or a device (/dev/zero never ends). As Hugo and Jekyll's safe mode
do, a file is read only when it is a regular file whose real place is inside the site folder:
links that stay inside the site are followed, the others refused, and so are links into a
hidden file or folder of the site (`.git/config` holds the token of a CI checkout, `.cache/`
what the builder kept); anything else (a FIFO, a device, a socket) is refused before it is
opened. No file is read past `MAX_BYTES`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

MAX_BYTES = 32 * 1024 * 1024  # 32 MiB: a long novel is 1 to 3 MiB of text; a 20 MB wire dump fits
MAX_SHOWN = "32 MiB"
# O_NONBLOCK: should a special file ever be opened, no wait (regular files ignore the flag).
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_CHUNK = 1 << 20


class Refused(Exception):
    """A file of the site that is not read: what it is, and what to do about it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def outside(what: str = "file") -> Refused:
    return Refused(f"the {what} is a link to a {what} outside the site folder; site-builder "
                   "reads only files inside it",
                   f"copy the {what} into the site folder, or remove the link")


def hidden(what: str, target: str) -> Refused:
    return Refused(f"the {what} is a link to '{target}', a hidden part of the site folder; "
                   "site-builder follows links only to the site's own visible files",
                   f"copy the {what} you mean to publish into the site folder, or remove the link")


def inside(path: str, root: str) -> bool:
    """Whether the real path `path` is the real path `root` or below it."""
    return path == root or path.startswith(root if root.endswith(os.sep) else root + os.sep)


def link_refused(root: Path | str, rel: str, what: str = "file") -> Refused | None:
    """Why the site's `rel`, links followed, may not be read: it leads out of the site folder,
    or into a hidden file or folder of it (a name starting with '.'); None when it may."""
    return _target_refused(os.path.realpath(os.path.join(root, rel)),
                           os.path.realpath(root), what)


def _target_refused(real: str, root: str, what: str) -> Refused | None:
    if not inside(real, root):
        return outside(what)
    target = os.path.relpath(real, root)
    if any(part.startswith(".") for part in target.split(os.sep)):
        return hidden(what, Path(target).as_posix())
    return None


def checked(root: Path | str, rel: str) -> tuple[str, os.stat_result]:
    """The path to open for the site-relative `rel`, and its file's state.

    Raises `Refused` for a link out of the site or a file that is not a regular one, or one
    too big; FileNotFoundError (or another OSError) when there is nothing to read.
    """
    path = os.path.join(root, rel)
    if not inside(os.path.abspath(path), os.path.abspath(root)):  # `..`, or an absolute `rel`
        raise outside()
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode) or _in_linked_folder(root, rel):
        real = os.path.realpath(path)
        refused = _target_refused(real, os.path.realpath(root), "file")
        if refused is not None:
            raise refused
        path, info = real, os.stat(real)
    if not stat.S_ISREG(info.st_mode):
        raise Refused(f"the file is {kind_of(info)}, not a regular file; site-builder reads "
                      "only regular files", "replace it with an ordinary file, or remove it")
    if info.st_size > MAX_BYTES:
        raise too_big(info.st_size)
    return path, info


def _in_linked_folder(root: Path | str, rel: str) -> bool:
    """Whether a folder on the way from `root` to `rel` is a link (`root` itself may be one)."""
    folder = rel.rpartition("/")[0]
    while folder:
        if stat.S_ISLNK(os.lstat(os.path.join(root, folder)).st_mode):
            return True
        folder = folder.rpartition("/")[0]
    return False


def kind_of(info: os.stat_result) -> str:
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def cannot_read(rel: str, exc: OSError) -> str:
    """What to say of the site's `rel` that the operating system would not let be read (its
    permissions, for example): not missing, and no mistake of its text."""
    return f"'{rel}' cannot be read: {exc.strerror or exc}"


def too_big(size: int) -> Refused:
    return Refused(f"the file is too big: {size:,} bytes, more than the {MAX_SHOWN} "
                   f"({MAX_BYTES:,} bytes) site-builder reads from a source file",
                   "split it, or remove what does not belong in it")


def refused_below(root: Path | str, folder: str,
                  skip: Callable[[str], bool]) -> Iterator[tuple[str, Refused]]:
    """The files and folders under the site's `folder` that would be refused, in order: links
    out of the site, special files, files too big (those whose name `skip` takes are not
    looked at)."""
    top = os.path.join(root, folder)
    refused = link_refused(root, folder, "folder") if os.path.islink(top) else None
    if refused is not None:
        yield folder, refused
        return
    for here, folders, files in os.walk(top):  # links to folders are listed, not walked
        base = Path(os.path.relpath(here, root)).as_posix()
        folders[:] = sorted(name for name in folders if not skip(name))
        for name in folders:
            rel = f"{base}/{name}"
            refused = link_refused(root, rel, "folder") \
                if os.path.islink(os.path.join(here, name)) else None
            if refused is not None:
                yield rel, refused
        for name in sorted(files):
            if not skip(name):
                try:
                    checked(root, f"{base}/{name}")
                except Refused as refused:
                    yield f"{base}/{name}", refused
                except OSError:  # gone since it was listed, or a link to nothing
                    pass


def read_bytes(root: Path | str, rel: str) -> bytes:
    """The bytes of the site's file `rel`, once `checked`; never more than `MAX_BYTES`."""
    path, info = checked(root, rel)
    fd = os.open(path, _FLAGS)
    try:
        return _read_at_most(fd, info.st_size)
    finally:
        os.close(fd)


def _read_at_most(fd: int, size: int) -> bytes:
    """What `fd` holds, to its end: in one read when it is the `size` bytes its state said
    (fewer bytes than asked, once those are read, is the end of a regular file); `Refused`
    once it passes `MAX_BYTES` (a file that grew since)."""
    parts, total, want = [], 0, size + 1
    while total <= MAX_BYTES:
        chunk = os.read(fd, want)
        parts.append(chunk)
        total += len(chunk)
        if not chunk or (total >= size and len(chunk) < want):
            return b"".join(parts)
        want = min(_CHUNK, MAX_BYTES + 1 - total)
    raise too_big(total)
