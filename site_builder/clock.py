"""How far a file's modification time can be trusted.

A file modified this recently may be modified again within the same tick of the file
system's clock, keeping its size and time: what was read of it then, or a fingerprint taken
then, cannot prove later that it did not change.
"""

RACY_NS = 2_000_000_000
