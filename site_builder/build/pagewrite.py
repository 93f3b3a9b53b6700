"""Rendering pages and writing them: every page through a staging folder, on every core, or
only the pages due again, in place.

Each file's digest is kept, so that the next build can tell which files it must write again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2

from ..base import parallel
from ..base.diagnostics import Diagnostic, Diagnostics
from ..site.pages import PageInfo, PageSpec
from ..site.urls import SEARCH_BUNDLE
from ..theme.render import render_page, template_error, theme_files
from .output import Patch, Staging, WriteReport
from .search import SearchIndex, part_of, patched, staged

Written = tuple[WriteReport, dict[str, str], int]  # the report, each file's digest, pages rendered


def write_all(specs: Sequence[PageSpec], extras: Mapping[str, bytes], env: jinja2.Environment,
              root: Path, out_dir: Path, jobs: int, progress: parallel.Progress | None,
              search: SearchIndex | None = None) -> Written | Diagnostic:
    """Render every page (on every core) into a staging folder, then (with `search`, the
    brief pages indexed there) swap it in; or, when a page cannot be rendered, the error,
    with the output as it was."""
    staging = Staging.start(out_dir)
    try:
        results = _stage_all(specs, extras, env, root, staging, jobs, progress)
        if search is not None and not any(isinstance(r, Diagnostic) for r in results):
            results += _stage_search(search, staging)
    except BaseException:
        staging.abort()
        raise
    errors = [r for r in results if isinstance(r, Diagnostic)]
    if errors:
        staging.abort()
        return errors[0]
    digests = {rel: digest for rel, digest, _ in results}
    written = [rel for rel, _, was_changed in results if was_changed]
    report = staging.finish(written, digests.keys() - set(written))
    return report, digests, len(specs)


def _stage_all(specs: Sequence[PageSpec], extras: Mapping[str, bytes], env: jinja2.Environment,
               root: Path, staging: Staging, jobs: int,
               progress: parallel.Progress | None) -> list[Any]:
    """Each page rendered and staged, with its digest; then the other files, unless a page
    failed."""
    results = parallel.run(_render_one, (specs, env, staging, root), len(specs), jobs, progress)
    if any(isinstance(r, Diagnostic) for r in results):
        return results
    files = _other_files(root, extras)
    if isinstance(files, Diagnostic):
        return [files]
    return results + [(rel, digest_bytes(data), staging.put(rel, data))
                      for rel, data in files.items()]


def _stage_search(search: SearchIndex, staging: Staging) -> list[Any]:
    """The search index of the staged brief pages, staged with them, each with its digest."""
    files = search.files(staged(staging.folder), staging.scratch)
    if isinstance(files, Diagnostic):
        return [files]
    return [(rel, digest_bytes(data), staging.put(rel, data)) for rel, data in files.items()]


def _render_one(payload: tuple[Sequence[PageSpec], jinja2.Environment, Staging, Path],
                i: int) -> tuple[str, str, bool] | Diagnostic:
    specs, env, staging, root = payload
    spec = specs[i]
    data = _rendered(spec, env, root)
    if isinstance(data, Diagnostic):
        return data
    return spec.path, digest_bytes(data), staging.put(spec.path, data)


def _other_files(root: Path, extras: Mapping[str, bytes]) -> dict[str, bytes] | Diagnostic:
    """The files that are not pages: the theme's assets, and `extras` (the host files); or
    why the assets cannot be copied."""
    files = theme_files(root)
    return files if isinstance(files, Diagnostic) else {**files, **extras}


def _rendered(spec: PageSpec, env: jinja2.Environment, root: Path) -> bytes | Diagnostic:
    try:
        return render_page(spec, env)
    except jinja2.TemplateError as exc:
        return template_error(exc, spec.path, root)


def changes(todo: Sequence[PageSpec], gone: set[str], extras: Mapping[str, bytes],
            env: jinja2.Environment, root: Path, pages: Mapping[str, PageInfo],
            digests: Mapping[str, str], patch: Patch, diags: Diagnostics, jobs: int = 1,
            progress: parallel.Progress | None = None, search: SearchIndex | None = None
            ) -> tuple[set[str], set[str], dict[str, str]] | None:
    """The pages due rendered again (on every core when they are many: a template edit),
    those whose bytes changed put into `patch`: the files changed, the files gone (`gone`,
    and files that are neither pages nor made again), and every file's digest after writing
    them. With `search`, the search index made again when a brief page changed, and kept
    otherwise. None when a page cannot be rendered."""
    rendered = parallel.run(_render_due, (todo, env, root, digests, patch), len(todo), jobs,
                            progress)
    failed = next((r for r in rendered if isinstance(r, Diagnostic)), None)
    if failed is not None:
        diags.extend([failed])
        return None
    files = _other_files(root, extras)
    if isinstance(files, Diagnostic):
        diags.extend([files])
        return None
    fresh = {path: digest for path, digest, _ in rendered}
    changed = {path for path, _, was_changed in rendered if was_changed}
    if search is not None:
        made = _search_patch(search, changed, gone, digests, patch)
        if isinstance(made, Diagnostic):
            diags.extend([made])
            return None
        stale, found = made
        files = {**files, **found}
        fresh.update((p, d) for p, d in digests.items()  # the parts kept as they are
                     if p.startswith(SEARCH_BUNDLE) and part_of(p) not in stale)
    fresh.update((rel, digest_bytes(data)) for rel, data in files.items())
    gone = gone | {p for p in digests if p not in pages and p not in fresh}
    after = {p: d for p, d in digests.items() if p not in gone}
    after.update(fresh)
    for rel, data in files.items():
        if digests.get(rel) != after[rel]:
            patch.put(rel, data)
            changed.add(rel)
    return changed, gone, after


def _search_patch(search: SearchIndex, changed: set[str], gone: set[str],
                  digests: Mapping[str, str], patch: Patch
                  ) -> tuple[set[str], dict[str, bytes]] | Diagnostic:
    """The parts of the search index made again from the brief pages as this build leaves
    them (those holding a page that changed), with their files."""
    stale = search.stale(changed, gone, digests)
    if not stale:
        return stale, {}
    files = search.files(patched(patch.folder, patch.out_dir, changed), patch.scratch, stale)
    return files if isinstance(files, Diagnostic) else (stale, files)


def _render_due(payload: tuple[Sequence[PageSpec], jinja2.Environment, Path, Mapping[str, str],
                                Patch],
                i: int) -> tuple[str, str, bool] | Diagnostic:
    """A page rendered again, with its digest; put into the patch when its bytes changed."""
    specs, env, root, digests, patch = payload
    spec = specs[i]
    data = _rendered(spec, env, root)
    if isinstance(data, Diagnostic):
        return data
    digest = digest_bytes(data)
    if digests.get(spec.path) == digest:
        return spec.path, digest, False
    patch.put(spec.path, data)
    return spec.path, digest, True


def digest_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()
