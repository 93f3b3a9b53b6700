"""Finding a site's files on disk and reading them as text.

Nothing here interprets YAML or Markdown: this stage pairs `<slug>.md` with
`<slug>.yaml` (see pairing.py), decodes every file as UTF-8 and reports what is missing.
With a cache of the files read (`TextCache`) and the paths a watcher saw change (`serve`),
a load looks at those files and no other: the folder is not listed again.
"""

from __future__ import annotations

import bisect
import os
import stat
import time
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..base import sitefiles
from ..base.clock import FileStats, file_stats, racy
from ..base.diagnostics import Diagnostics, Span, lines_of
from .builtin import BUILTIN_THEME
from .pairing import BRIEFS_DIR, Pairing, in_sorted, not_read, pair_names, repaired

REGISTRY = "briefs/_actors.yaml"
SITE_CONFIG = "site.yaml"
TEMPLATES_DIR = "templates"


@dataclass(frozen=True, slots=True)
class TextFile:
    path: str  # site-relative, POSIX
    text: str


@dataclass(frozen=True, slots=True)
class BriefSource:
    slug: str
    article: TextFile
    annotations: TextFile


class TextCache:
    """Files read by earlier loads, by size, times and inode (see `clock.file_stats`): an
    unchanged file is not read again. A file modified within `RACY_NS` of the load that read
    it is read again next time too, since a later edit in the same tick of the clock could
    keep its time."""

    def __init__(self) -> None:
        # path -> (size, (modification time, change time, inode), text)
        self.files: dict[str, tuple[int, tuple[int, int, int], TextFile]] = {}
        self.started = 0
        self.pairing: Pairing | None = None
        self.sources: dict[str, BriefSource] = {}
        self.last: list[BriefSource] | None = None  # the last load's briefs, all files read
        self.listed: frozenset[str] = frozenset()  # the files in briefs/ at the last listing

    def get(self, rel: str, info: os.stat_result) -> TextFile | None:
        found = self.files.get(rel)
        if found is None:
            return None
        size, times, text = found
        if (size, *times) != file_stats(info) or racy(times[0], self.started):
            return None
        return text

    def put(self, rel: str, info: os.stat_result, text: TextFile) -> None:
        size, mtime, ctime, inode = file_stats(info)
        self.files[rel] = (size, (mtime, ctime, inode), text)

    def forget(self, changed: Collection[str]) -> None:
        """The files a watcher saw change: never taken from the cache unread. (A file saved
        while it pairs with nothing is not read then; it must not be taken as it was once
        its pair comes back.)"""
        for rel in changed:
            self.files.pop(rel, None)

    def stats(self, text: TextFile) -> FileStats | None:
        """The size, times and inode `text`'s file had when it was read (to keep in the build
        cache)."""
        found = self.files.get(text.path)
        return (found[0], *found[1]) if found is not None and found[2] is text else None

    def keep(self, text: TextFile, stats: FileStats) -> None:
        """A file read by an earlier process, with the size, times and inode it had then."""
        self.files[text.path] = (stats[0], stats[1:], text)

    def listing(self) -> tuple[Any, ...]:
        """What the cache knows of the briefs/ folder, to keep in the build cache."""
        return self.started, self.pairing, self.listed

    def restore_listing(self, listing: tuple[Any, ...], sources: dict[str, BriefSource]) -> None:
        """What `listing` gave, with the briefs' sources as an earlier process read them."""
        self.started, self.pairing, self.listed = listing
        self.sources = dict(sources)
        slugs = self.pairing[1] if self.pairing is not None else None
        self.last = [sources[s] for s in slugs] \
            if slugs is not None and all(s in sources for s in slugs) else None


@dataclass(frozen=True, slots=True)
class SiteSources:
    root: Path
    config: TextFile | None
    registry: TextFile | None
    briefs: tuple[BriefSource, ...]


def load_site(root: Path, diags: Diagnostics, cache: TextCache | None = None,
              changed: Collection[str] | None = None) -> SiteSources:
    """Every file of the site at `root`, read and paired; problems go to `diags`. With a
    cache, the briefs' files that did not change since the last load are not read again;
    with `changed` too (the site-relative paths a file watcher reported), the others are
    not even looked at."""
    briefs_dir = root / BRIEFS_DIR
    if not briefs_dir.is_dir():
        diags.error(Span(BRIEFS_DIR), f"no '{BRIEFS_DIR}/' folder in {root}",
                    "run the command in a site's folder (or a folder inside it), or give it "
                    "with --source DIR")
        return SiteSources(root, read_text(root, SITE_CONFIG, diags, optional=True), None, ())
    refused = sitefiles.link_refused(root, BRIEFS_DIR, "folder") \
        if briefs_dir.is_symlink() else None
    if refused is not None:
        diags.error(Span(BRIEFS_DIR), refused.message, refused.hint)
        return SiteSources(root, read_text(root, SITE_CONFIG, diags, optional=True), None, ())
    for rel in (SITE_CONFIG, REGISTRY):
        wrong = rel.removesuffix(".yaml") + ".yml"
        if (root / wrong).is_file():  # it would be ignored, and every actor in it unknown
            diags.error(Span(wrong), f"'{Path(wrong).name}' has the extension .yml",
                        f"rename it to '{Path(rel).name}'")
    for rel, refused in sitefiles.refused_below(root, TEMPLATES_DIR, not_read):
        diags.error(Span(rel), refused.message, refused.hint)  # the theme reads them when building
    return SiteSources(
        root=root,
        config=read_text(root, SITE_CONFIG, diags, optional=True),
        registry=read_text(root, REGISTRY, diags, optional=True),
        briefs=tuple(_pair_briefs(root, briefs_dir, diags, cache, changed)),
    )


def _pair_briefs(root: Path, briefs_dir: Path, diags: Diagnostics, cache: TextCache | None,
                 changed: Collection[str] | None) -> list[BriefSource]:
    if cache is not None and changed is not None:
        cache.forget(changed)
        moved = _listed_again(root, changed, cache)
        if moved is not None:
            return _read_again(root, moved, changed, diags, cache)
    started = time.time_ns()
    with os.scandir(briefs_dir) as entries:
        found = {e.name: e for e in entries if _is_file(e)}
    names = tuple(sorted(found))
    if cache is not None and cache.pairing is not None and cache.pairing[0] == names:
        pairing, problems = cache.pairing[1], cache.pairing[2]
    else:
        local = Diagnostics()
        pairing, problems = pair_names(names, local), tuple(local.items)
        if cache is not None:
            cache.pairing, cache.listed = (names, pairing, problems), frozenset(names)
    diags.extend(problems)
    pairs = []
    for slug in pairing:
        article = _read_cached(root, found[f"{slug}.md"], diags, cache, changed)
        notes = _read_cached(root, found[f"{slug}.yaml"], diags, cache, changed)
        if article is not None and notes is not None:
            pairs.append(_source(slug, article, notes, cache))
        else:
            _unread(slug, article, notes, diags)
    if cache is not None:
        cache.started = started
        cache.last = pairs if len(pairs) == len(pairing) else None  # None: a file unread
    return pairs


Moved = tuple[set[str], set[str]]  # the names of the files added to briefs/, of those gone


def _listed_again(root: Path, changed: Collection[str], cache: TextCache) -> Moved | None:
    """What came into briefs/ and what left it since the last listing, from the watcher's
    paths: only the files they name directly in briefs/ are looked at. None when that cannot
    tell (no listing kept, a file unread last time, something in a folder inside briefs/, or
    briefs/ itself replaced): then the folder is listed again."""
    if cache.last is None or cache.pairing is None:
        return None
    added: set[str] = set()
    gone: set[str] = set()
    for rel in changed:
        folder, _, name = rel.rpartition("/")
        if rel == BRIEFS_DIR or folder.startswith(f"{BRIEFS_DIR}/"):
            return None
        if folder == BRIEFS_DIR:
            there, listed = _is_file_at(root / rel), name in cache.listed
            if there and not listed:
                added.add(name)
            elif listed and not there:
                gone.add(name)
    return added, gone


def _read_again(root: Path, moved: Moved, changed: Collection[str], diags: Diagnostics,
                cache: TextCache) -> list[BriefSource]:
    """The last load's briefs, paired again where files came or went, with the files that
    changed read again."""
    assert cache.last is not None and cache.pairing is not None
    added, gone = moved
    if added or gone:
        cache.pairing = repaired(cache.pairing, added, gone)
        cache.listed = (cache.listed | added) - gone
    diags.extend(cache.pairing[2])
    touched = {os.path.splitext(rel.rpartition("/")[2])[0] for rel in changed
               if rel.startswith(f"{BRIEFS_DIR}/")}
    pairs = [source for source in cache.last if source.slug not in touched]
    slugs = cache.pairing[1]
    for slug in sorted(touched):
        if not in_sorted(slugs, slug):  # not a brief (now): no pair of files
            continue
        article, notes = (_read_if(root, f"{BRIEFS_DIR}/{slug}{suffix}", diags, cache)
                          for suffix in (".md", ".yaml"))
        if article is None or notes is None:
            cache.last = None  # an unreadable file: list the folder next time
            _unread(slug, article, notes, diags)
            continue
        at = bisect.bisect_left(pairs, slug, key=lambda source: source.slug)
        pairs.insert(at, _source(slug, article, notes, cache))
    if cache.last is not None:
        cache.last = pairs
    return pairs


def _read_if(root: Path, rel: str, diags: Diagnostics, cache: TextCache) -> TextFile | None:
    """The file as last read, unless the watcher saw it change since (see `TextCache.forget`):
    then read again, and kept with its size and time."""
    found = cache.files.get(rel)
    if found is not None:
        return found[2]
    try:
        info = os.stat(root / rel)
    except OSError:
        return read_text(root, rel, diags)
    return _read_and_keep(root, rel, info, diags, cache)


def _unread(slug: str, article: TextFile | None, notes: TextFile | None,
            diags: Diagnostics) -> None:
    """A brief whose article or annotations could not be read: what the checks across files
    find may follow from it (see `Diagnostics.hold_back`)."""
    for text, suffix in ((article, ".md"), (notes, ".yaml")):
        if text is None:
            diags.unread[f"{BRIEFS_DIR}/{slug}{suffix}"] = None


def _source(slug: str, article: TextFile, notes: TextFile,
            cache: TextCache | None) -> BriefSource:
    """The pair, the same object as last time when neither file changed."""
    before = cache.sources.get(slug) if cache is not None else None
    if before is not None and before.article is article and before.annotations is notes:
        return before
    source = BriefSource(slug, article, notes)
    if cache is not None:
        cache.sources[slug] = source
    return source


def _read_cached(root: Path, entry: os.DirEntry[str], diags: Diagnostics,
                 cache: TextCache | None, changed: Collection[str] | None) -> TextFile | None:
    rel = f"{BRIEFS_DIR}/{entry.name}"
    if cache is None:
        return read_text(root, rel, diags)
    if changed is not None and rel not in changed and rel in cache.files:
        return cache.files[rel][2]
    try:
        info = entry.stat()
    except OSError:
        return read_text(root, rel, diags)
    if entry.is_symlink() and sitefiles.link_refused(root, rel) is not None:
        return read_text(root, rel, diags)  # refused there, whatever the cache holds
    return cache.get(rel, info) or _read_and_keep(root, rel, info, diags, cache)


def _read_and_keep(root: Path, rel: str, info: os.stat_result, diags: Diagnostics,
                   cache: TextCache) -> TextFile | None:
    """The file read and kept with its size and time, taken before reading: an edit made
    while it is read shows as a change next time."""
    text = read_text(root, rel, diags)
    if text is not None:
        cache.put(rel, info, text)
    return text


def _is_file_at(path: Path) -> bool:
    """`_is_file` of the entry at `path`."""
    try:
        return not stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    """Anything but a folder: a regular file or a link to one, and a special file (a FIFO, a
    device), which `read_text` refuses without opening it; a broken or looping link is no
    file."""
    try:
        if entry.is_file():
            return True
        return not entry.is_dir() and entry.stat() is not None  # stat: whether it exists
    except OSError:
        return False


def read_text(root: Path, rel: str, diags: Diagnostics, optional: bool = False) -> TextFile | None:
    """A file decoded as UTF-8 (a leading byte-order mark is dropped), or None. Only a regular
    file inside the site folder is read, of at most `sitefiles.MAX_BYTES` (see sitefiles.py)."""
    try:
        data = sitefiles.read_bytes(root, rel)
    except sitefiles.Refused as refused:
        diags.error(Span(rel), refused.message, refused.hint)
        return None
    except FileNotFoundError:
        if not optional:
            diags.error(Span(rel), f"'{rel}' cannot be found")
        return None
    except OSError as exc:
        diags.error(Span(rel), sitefiles.cannot_read(rel, exc))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        # The column counts characters, as an editor does, not bytes.
        col = len(data[line_start:exc.start].decode("utf-8")) + 1
        byte = data[exc.start]
        diags.error(Span(rel, line, col), f"the file is not UTF-8 text (byte 0x{byte:02x} "
                    "cannot be read)", "save the file with the UTF-8 encoding")
        return None
    # One Unicode form (NFC) for every file, so 'Zürich' typed either way matches itself.
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff").replace("\r\n", "\n"))
    return TextFile(rel, text)


def source_lines(root: Path, rel: str) -> list[str] | None:
    """The lines of the site's file `rel` as diagnostics count them, to show a diagnostic's
    line; read as `read_text` reads (never a file outside the site, a FIFO...), or None. An
    absolute path is shown only when it is a file of the built-in theme (a template error
    there); any other (the output folder's own path, named by an error about it) is not."""
    try:
        data = sitefiles.read_bytes(BUILTIN_THEME, os.path.relpath(rel, BUILTIN_THEME)) \
            if os.path.isabs(rel) else sitefiles.read_bytes(root, rel)
    except (sitefiles.Refused, OSError):
        return None
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    return lines_of(unicodedata.normalize("NFC", text))
