"""A builder's side of the build cache: what it restores before its first build, and what it
saves after each.

Before its first build, a builder that uses the cache takes the last build's state from it,
as far as the output folder is still as that build left it (a file edited or deleted by
hand: every page is written again). Once a build's articles are processed, every brief's
results are final: the shards where something changed start being written (by a forked
child when they are many) while the pages are rendered; once the site is written, the
state is saved, naming them. A build that fails discards them. A build that writes the
output without saving the cache (`serve`, `--no-cache`) drops the cache's record of it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from ..source.builtin import BUILTIN_THEME
from .cache import ShardWriting, forget_output, save_state, write_shards
from .cachefolder import open_regular
from .fingerprints import (
    OutputSignature,
    input_fingerprint,
    options_key,
    output_fingerprint,
    output_signature,
)
from .kept import BuildState, Saved, Shards, Summary, changed_shards
from .pagewrite import digest_bytes


@dataclass
class CacheSaver:
    """What a builder knows of the build cache: the shard files it names and what they hold,
    and whether the cache's summary is this builder's own."""

    root: Path
    out_dir: Path
    base_url: str | None
    restored: bool  # the cache was read already (or is not used)
    inputs: str | None = None  # the inputs' fingerprint, when the caller has just taken it
    written: str | None = None  # the last written files' fingerprint, when just taken too
    shard_files: dict[int, str] = field(default_factory=dict)  # the cache's, by shard
    shards_saved: Shards = field(default_factory=dict)
    summary_saved: bool = False  # the cache's summary is this builder's last save
    _writing: tuple[ShardWriting, Shards] | None = None  # the shards being saved, and all

    @property
    def options(self) -> str:
        return options_key(self.out_dir, self.base_url)

    def trusted(self, saved: Saved | None) -> Saved | None:
        """The state `saved` (read from the cache once, before the first build), without the
        written files' digests when the output folder is not as it says (edited by hand)."""
        self.restored = True
        if saved is None or not self.out_dir.is_dir():
            return None
        state = saved.state
        taken, self.written = self.written, None
        written = taken or output_fingerprint(self.out_dir, state.digests)
        if not state.fingerprint or not state.fingerprint.endswith(":" + written):
            # Not as they were: edited by hand, or only copied (a CI job's restored cache
            # gives every file a new time and inode). Their bytes tell which.
            same = bool(state.fingerprint) and as_written(self.out_dir, state.digests)
            state = dataclasses.replace(state, digests=state.digests if same else {},
                                        fingerprint=None)
        self.shard_files, self.shards_saved = saved.shard_files, saved.shards
        return dataclasses.replace(saved, state=state)

    def inputs_fingerprint(self) -> str:
        """Every input's size, times and inode: a change anywhere shows here."""
        taken, self.inputs = self.inputs, None  # taken by the caller just before: used once
        return taken or input_fingerprint(self.root, BUILTIN_THEME)

    def fingerprint(self, inputs: str, digests: dict[str, str]) -> str:
        """The fingerprint of a build: its inputs, and the files it wrote as they are now."""
        return f"{inputs}:{output_fingerprint(self.out_dir, digests)}"

    def start(self, shards: Shards) -> None:
        """Start writing the shards where something changed: every brief's results are final
        once the articles are processed, and many shards (a cold build's) are written by a
        forked child while this process indexes and renders."""
        changed = changed_shards(self.shards_saved, shards)
        self._writing = (write_shards(self.root, self.options, changed), shards)

    def discard(self) -> None:
        """The build failed: the shards it started writing are not wanted."""
        if self._writing is not None:
            self._writing[0].discard(self.root)
            self._writing = None

    def save(self, state: BuildState, summary: Summary) -> None:
        """Save the state, naming the shards written since the articles were processed."""
        assert self._writing is not None
        writing, shards = self._writing
        self._writing = None
        kept = {n: name for n, name in self.shard_files.items()
                if n in shards and n not in writing.files}
        self.shard_files = save_state(self.root, self.options, state, writing, kept, summary)
        self.summary_saved = True
        self.shards_saved = shards if self.shard_files else {}

    def forget_output(self, last: OutputSignature | None) -> None:
        """The cache's record of the output folder no longer holds (`serve`, `--no-cache`):
        drop it; unless the cache's summary is the same as after this builder's last build
        (`last`) and not saved by it, when it was dropped already or is another folder's
        (`serve` saves reading it again)."""
        unchanged = last is not None \
            and last.summary == output_signature(self.root, self.out_dir).summary
        if self.summary_saved or not unchanged:
            forget_output(self.root, self.out_dir, ours=unchanged)  # ours, as this one saved it
        self.summary_saved = False


def as_written(out_dir: Path, digests: dict[str, str]) -> bool:
    """Whether each file of `out_dir` named in `digests` holds the bytes it was written with
    (never read through a link): some 30,000 files a second. (Threads do not make it faster:
    the files are small, and opening one holds Python's lock.)"""
    for rel, expected in digests.items():
        try:
            with open_regular(out_dir / rel) as handle:
                if digest_bytes(handle.read()) != expected:
                    return False
        except OSError:  # gone, a folder, a link...
            return False
    return True
