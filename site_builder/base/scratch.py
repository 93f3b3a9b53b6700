"""The builder's own temporary folders beside the output folder, and nothing else.

A build assembles files in a folder it makes beside the output folder (a rename
into the output is then instant and never half done). Each such folder has a
name no other folder had (`.output.site-builder-3f9a0c1e` for `output/`, its
digits random) and holds a marker file naming the process that made it. A
folder is removed only when all prove it is the builder's: a name of the
pattern, a real folder (not a link), and the marker inside; a folder left by a
build that was stopped is removed by the next one, once the process that made
it is gone (one made on another machine, sharing the folder over the network,
is left alone). Whatever else lies beside the output folder (`output.old/`, the
site's own folder) is never touched.

While files move into the output folder, Ctrl-C (and a request to terminate)
is held back until the moves are done: see `deferred_signals`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

MARKER = "made-by-site-builder"
TAG = ".site-builder-"
_RANDOM = re.compile(r"[0-9a-f]{8}")  # what `_new_folder` adds to the prefix
# Of the output folder's name in a scratch folder's: its first 100 characters, of at most 200
# bytes. File systems limit a name to 255 bytes, not characters: 80 CJK characters are 240
# bytes, and the scratch folder's name adds 23 ('.', TAG and the random digits).
_NAME_CHARS = 100
_NAME_BYTES = 200
_MARKER_BYTES = 4096


def make(out_dir: Path) -> Path:
    """A new scratch folder beside `out_dir` (an absolute path), with its marker."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    folder = _new_folder(out_dir)
    note = {"made_by": "site-builder", "output": out_dir.name, "pid": os.getpid(),
            "host": socket.gethostname()}
    try:
        (folder / MARKER).write_text(json.dumps(note) + "\n", encoding="utf-8")
    except BaseException:  # a full disk: the folder just made goes, with no marker to prove it
        with contextlib.suppress(OSError):
            (folder / MARKER).unlink(missing_ok=True)
            folder.rmdir()
        raise
    return folder


def _new_folder(out_dir: Path) -> Path:
    """A folder of a name no other folder had: the output's, and random digits."""
    while True:
        folder = out_dir.parent / f"{_prefix(out_dir)}{secrets.token_hex(4)}"
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:  # one chance in four billion
            continue
        return folder


def _prefix(out_dir: Path) -> str:
    """What a scratch folder's name of `out_dir` starts with: the start of the output folder's
    name, cut at a whole character; two output folders whose names start alike share it (the
    marker tells their scratch folders apart)."""
    name, size = out_dir.name[:_NAME_CHARS], 0
    for i, char in enumerate(name):
        size += len(os.fsencode(char))  # as the name is written on disk
        if size > _NAME_BYTES:
            name = name[:i]
            break
    return f".{name}{TAG}"


def named_like(name: str, out_dir: Path) -> bool:
    """Whether `name` is a scratch folder's name for `out_dir` (its name only: no proof)."""
    prefix = _prefix(out_dir)
    return name.startswith(prefix) and _RANDOM.fullmatch(name[len(prefix):]) is not None


def is_ours(folder: Path, out_dir: Path) -> bool:
    """Whether `folder` is a scratch folder of `out_dir`: its name, a real folder, its marker."""
    if folder.parent != out_dir.parent or not named_like(folder.name, out_dir):
        return False
    return _owner(folder, out_dir) is not None


def _owner(folder: Path, out_dir: Path) -> tuple[int, str] | None:
    """The process that made the scratch folder `folder` (its id, its machine's name), from
    its marker; None when it has no marker of the builder's for `out_dir` (or is not a real
    folder)."""
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return None
        marker = folder / MARKER
        if not stat.S_ISREG(os.lstat(marker).st_mode):
            return None
        with marker.open("rb") as handle:
            note = json.loads(handle.read(_MARKER_BYTES))
    except (OSError, ValueError):
        return None
    if not isinstance(note, dict) or note.get("made_by") != "site-builder" \
            or note.get("output") != out_dir.name or not isinstance(note.get("pid"), int) \
            or not isinstance(note.get("host"), str):
        return None
    return note["pid"], note["host"]


def leftovers(out_dir: Path) -> list[Path]:
    """The scratch folders of `out_dir` left by builds that stopped before removing them (the
    process that made each is gone); those of a build still running are not among them."""
    try:
        names = sorted(os.listdir(out_dir.parent))
    except OSError:
        return []
    found = []
    for name in names:
        folder = out_dir.parent / name
        if named_like(name, out_dir) and (owner := _owner(folder, out_dir)) is not None \
                and not _running(*owner):
            found.append(folder)
    return found


def _running(pid: int, host: str) -> bool:
    """Whether the process `pid` of the machine `host` may still run: another process of this
    machine that runs, or any of another machine (a folder shared over the network), which
    cannot be known. This process's own folders are leftovers: it builds one site at a time."""
    if host != socket.gethostname():
        return True
    if pid == os.getpid() or os.name != "posix":  # Windows: os.kill(pid, 0) would stop it
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def remove(folder: Path, out_dir: Path) -> None:
    """Remove the scratch folder `folder`, once proven the builder's."""
    if is_ours(folder, out_dir):
        shutil.rmtree(folder, ignore_errors=True)


def inside_any(path: Path, out_dir: Path) -> bool:
    """Whether `path` is in a folder named as a scratch folder of `out_dir` (the file watcher
    of `serve` ignores them)."""
    with contextlib.suppress(ValueError):
        first = path.relative_to(out_dir.parent).parts[:1]
        return bool(first) and named_like(first[0], out_dir)
    return False


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """Ctrl-C and a request to terminate (SIGINT, SIGTERM) held back until the block ends,
    then acted on as usual: files moving into the output folder all move, or none. Only the
    main thread can hold them; elsewhere the block runs as is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        handler = signal.getsignal(sig)
        if handler is not None and handler != signal.SIG_IGN:  # None: not set from Python
            previous[sig] = signal.signal(sig, hold)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if received:
            signal.raise_signal(received[0])
