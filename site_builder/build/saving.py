"""A builder's side of the build cache: what it restores before its first build, and what it
saves after each.

Before its first build, a builder that uses the cache takes the last build's state from it,
as far as the output folder is still as that build left it (a file edited or deleted by
hand: every page is written again). Once a build's articles are processed, every brief's
results are final: a cold build's start being written by a forked child while the pages
are rendered; once the site is written, what changed since the store was read is saved, in
one transaction. A build that writes the output without saving the cache (`serve`,
`--no-cache`) drops the cache's record of it.

The files the last build wrote are statted once per build: when the build starts (to see
that none was edited by hand), and after it wrote, only those it wrote or removed again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..site import urls
from ..site.views import SiteIndex
from ..source.builtin import BUILTIN_THEME
from ..theme.datafiles import DataTables, written_rows
from ..theme.keptrows import SortedRows
from .cachefolder import open_regular
from .fingerprints import (
    OutputSignature,
    Written,
    file_states,
    input_fingerprint,
    options_key,
    output_signature,
    stats_fingerprint,
    written_files,
)
from .kept import BuildState, Kept, Saved, Summary
from .output import WriteReport
from .pagewrite import digest_bytes
from .storewrite import BriefWriting, forget_output, save_state, write_briefs


@dataclass
class CacheSaver:
    """What a builder knows of the build cache: what its store holds, and whether the cache's
    summary is this builder's own."""

    root: Path
    out_dir: Path
    base_url: str | None
    restored: bool  # the cache was read already (or is not used)
    inputs: str | None = None  # the inputs' fingerprint, when the caller has just taken it
    written: Written | None = None  # the last written files as they are, when just taken too
    saved: Saved | None = None  # what the store holds, as this builder read or saved it
    summary_saved: bool = False  # the cache's summary is this builder's last save
    _files: dict[str, str] | None = None  # the output's files as this build found them
    _writing: tuple[BriefWriting, dict[str, Kept]] | None = None  # being saved, and all

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
        written = taken or written_files(self.out_dir, state.digests)
        self._files = written.stats
        if not state.fingerprint or not state.fingerprint.endswith(":" + written.fingerprint):
            # Not as they were: edited by hand, or only copied (a CI job's restored cache
            # gives every file a new time and inode). Their bytes tell which.
            same = bool(state.fingerprint) and as_written(self.out_dir, state.digests)
            state = dataclasses.replace(state, digests=state.digests if same else {},
                                        fingerprint=None)
        self.saved = saved
        return dataclasses.replace(saved, state=state)

    def inputs_fingerprint(self) -> str:
        """Every input's size, times and inode: a change anywhere shows here."""
        taken, self.inputs = self.inputs, None  # taken by the caller just before: used once
        return taken or input_fingerprint(self.root, BUILTIN_THEME)

    def fingerprint(self, inputs: str, digests: Mapping[str, str],
                    report: WriteReport | None) -> str:
        """The fingerprint of a build: its inputs, and the files it wrote as they are now.
        Only those it wrote or removed are statted again, when the build started from the
        files as it found them (`report`: what it wrote)."""
        files, self._files = self._files, None
        if files is None or report is None:
            return f"{inputs}:{written_files(self.out_dir, digests).fingerprint}"
        for rel in report.removed:
            files.pop(rel, None)
        files.update(file_states(self.out_dir, report.written))
        if files.keys() != digests.keys():  # not expected: the others, as they are now
            files = {rel: files[rel] for rel in digests if rel in files} | file_states(
                self.out_dir, [rel for rel in digests if rel not in files])
        return f"{inputs}:{stats_fingerprint(files)}"

    def wrote_without_saving(self) -> None:
        """A build wrote the output without saving: the files as found are no longer known."""
        self._files = None

    def start(self, briefs: dict[str, Kept]) -> None:
        """Start writing the briefs' results: every brief's results are final once the
        articles are processed, and a cold build's many are written by a forked child while
        this process indexes and renders."""
        writing = write_briefs(self.root, self.options, briefs) if self.saved is None \
            else BriefWriting(None)
        self._writing = (writing, briefs)

    def discard(self) -> None:
        """The build failed: the briefs it started writing are not wanted (the staging table
        is left for the next cold build to replace)."""
        if self._writing is not None:
            self._writing[0].wait()
            self._writing = None

    def save(self, state: BuildState, summary: Summary) -> None:
        """Save what changed since the store was read or last saved."""
        assert self._writing is not None
        writing, briefs = self._writing
        self._writing = None
        self.saved = save_state(self.root, self.options, state, briefs, self.saved, writing,
                                summary)
        self.summary_saved = True
        if self.saved is not None:
            for rows in state.tables.values():
                if isinstance(rows, SortedRows):
                    rows.stored()

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
        self.saved = None  # the store's state is gone: the next save writes everything


def table_rows(tables: DataTables, index: SiteIndex | None, out_dir: Path) -> dict[str, Any]:
    """Each data table's rows for the build cache: those kept up to date (a `SortedRows`),
    else, by record, as the files just written hold them (a build of the whole site streams
    its rows and keeps none); None for a table neither gives."""
    found: dict[str, Any] = dict(tables.state())
    for table, rows in found.items():
        if rows is None and index is not None:
            try:
                with open_regular(out_dir / urls.data(f"{table}.csv")) as csv_file, \
                        open_regular(out_dir / urls.data(f"{table}.json")) as json_file:
                    found[table] = written_rows(table, index, csv_file.read(), json_file.read())
            except OSError:
                pass
    return found


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

