"""The build cache after a fresh checkout: what a CI job sees.

Each run of a CI job clones the site anew, installs site-builder anew and restores `.cache/`
and the output folder from the last run: every file has a new time and inode, and the same
bytes. The build must then redo only what changed in content.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from servetools import tree
from sitetools import build, rendered_files
from test_cache import many_briefs

from site_builder.base.diagnostics import Diagnostics
from site_builder.build.builder import Builder
from site_builder.build.fingerprints import code_stamp
from site_builder.theme.templatedeps import template_stamps

HOUR_NS = 3600 * 1_000_000_000


def fresh_checkout(site: Path) -> None:
    """The site as a CI job finds it: cloned again at the same place (every file a new time
    and inode, the same bytes), its `.cache/` and output restored the same way."""
    old = site.with_name(site.name + "-before")
    site.rename(old)
    shutil.copytree(old, site, copy_function=shutil.copy)  # new times, new inodes
    shutil.rmtree(old)


def built(site: Path) -> tuple[int, int, dict[str, int]]:
    """A build of `site` in a new process's way (a new Builder, from the cache): the pages it
    rendered, the files it wrote, and how many items each stage processed."""
    stages: dict[str, int] = {}
    builder = Builder(site, site / "output", jobs=1, use_cache=True,
                      progress=lambda stage, done, total: stages.__setitem__(stage, total))
    outcome = builder.build(Diagnostics())
    assert outcome.report is not None
    return outcome.rendered, len(outcome.report.written), stages


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = many_briefs(tmp_path / "site")
    build(root)
    return root


def test_a_fresh_checkout_with_nothing_changed_renders_nothing(site: Path) -> None:
    before = tree(site / "output")
    fresh_checkout(site)
    rendered, written, stages = built(site)
    assert (rendered, written) == (0, 0)
    assert stages.get("articles", 0) == 0 and stages.get("annotations", 0) == 0
    assert tree(site / "output") == before


def test_a_fresh_checkout_with_one_brief_changed_renders_only_its_pages(
        site: Path, tmp_path: Path) -> None:
    fresh_checkout(site)
    yaml_file = site / "briefs" / "brief-04.yaml"
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace(
        "title: Brief brief-04", "title: Brief four"), encoding="utf-8")
    rendered, _, stages = built(site)
    pages = len(rendered_files(site / "output"))
    assert stages.get("annotations") == 1 and stages.get("articles") == 1
    assert 0 < rendered < pages / 2
    cold = build(site, tmp_path / "cold", cache=False).out
    assert tree(site / "output") == tree(cold)
    assert "Brief four" in (site / "output" / "briefs" / "brief-04" / "index.html").read_text()


def test_a_restored_page_that_is_not_as_written_makes_a_whole_build(site: Path,
                                                                    tmp_path: Path) -> None:
    fresh_checkout(site)
    page = site / "output" / "briefs" / "brief-02" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"Brief brief-02", b"Brief brief-XX"))
    rendered, _, _ = built(site)
    assert rendered == len(rendered_files(site / "output"))
    assert tree(site / "output") == tree(build(site, tmp_path / "cold", cache=False).out)


def test_a_site_template_copied_with_a_new_time_is_not_an_edit(site: Path) -> None:
    (site / "templates").mkdir()
    (site / "templates" / "brief.html").write_text(
        '{% extends "theme/brief.html" %}', encoding="utf-8")
    build(site)
    fresh_checkout(site)
    rendered, written, _ = built(site)
    assert (rendered, written) == (0, 0)


def test_the_template_stamps_follow_the_bytes_not_the_times(site: Path) -> None:
    (site / "templates").mkdir()
    template = site / "templates" / "brief.html"
    template.write_text('{% extends "theme/brief.html" %}', encoding="utf-8")
    before = template_stamps(site)
    info = template.stat()
    os.utime(template, ns=(info.st_atime_ns, info.st_mtime_ns - HOUR_NS))
    assert template_stamps(site) == before
    template.write_text('{% extends "theme/brief.html" %}{# new #}', encoding="utf-8")
    assert template_stamps(site)["brief.html"] != before["brief.html"]
    assert {k: v for k, v in template_stamps(site).items() if k != "brief.html"} == \
        {k: v for k, v in before.items() if k != "brief.html"}


def test_a_package_installed_again_keeps_its_code_stamp(tmp_path: Path) -> None:
    """pip gives every file of a package it installs a new time: the same version installed
    again by the next CI run must find its cache good."""
    import site_builder

    package = tmp_path / "site_builder"
    shutil.copytree(Path(site_builder.__file__).parent, package, symlinks=True)
    before = code_stamp(package)
    for path in package.rglob("*.py"):
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + HOUR_NS))
    assert code_stamp(package) == before
    module = package / "build" / "plan.py"
    module.write_bytes(module.read_bytes() + b"\n")
    assert code_stamp(package) != before

