"""How far a file's modification time can be trusted.

A file modified this recently may be modified again within the same tick of the file
system's clock, keeping its size and time: what was read of it then, or a fingerprint taken
then, cannot prove later that it did not change.
"""

RACY_NS = 2_000_000_000


def racy(mtime_ns: int, when_ns: int) -> bool:
    """Whether a file modified at `mtime_ns` was too fresh at `when_ns` for its size and time
    to show, later, that it did not change."""
    return when_ns - mtime_ns < RACY_NS
