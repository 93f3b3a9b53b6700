"""How far a file's size and times can be trusted to show that it did not change.

A file modified this recently may be modified again within the same tick of the file
system's clock, keeping its size and time: what was read of it then, or a fingerprint taken
then, cannot prove later that it did not change. And size and modification time alone can
stay the same through an edit (`cp -p` and `touch -r` set the time back on purpose): its
change time and inode are compared too, as git does.
"""

from __future__ import annotations

import os

RACY_NS = 2_000_000_000

FileStats = tuple[int, int, int, int]  # size, modification time, change time, inode


def racy(mtime_ns: int, when_ns: int) -> bool:
    """Whether a file modified at `mtime_ns` was too fresh at `when_ns` for its size and time
    to show, later, that it did not change."""
    return when_ns - mtime_ns < RACY_NS


def file_stats(info: os.stat_result) -> FileStats:
    """What an edit of a file changes: its size or modification time, and in any case its
    change time (which `touch` and `cp -p` cannot set) or its inode (a file replaced by another).
    Any of them changed, the file is read again; when its content is the same after all,
    what was made from it is still used (a new checkout costs reading, not building)."""
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino
