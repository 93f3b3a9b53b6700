"""The cache's code stamp: what a build cached is used again only by the same code, running
with the same libraries (a new markdown-it-py renders articles otherwise)."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sitetools import build, rendered_files
from test_cache import SLUGS, many_briefs

from site_builder.base.diagnostics import Diagnostics
from site_builder.build import fingerprints
from site_builder.build.builder import Builder
from site_builder.build.fingerprints import code_stamp, stamp

LIBRARIES = ["jinja2", "markdown-it-py", "mdurl", "pyyaml", "markupsafe", "pagefind",
             "pagefind-bin"]  # Pagefind: the test extra installs the search extra


def upgrade(monkeypatch: pytest.MonkeyPatch, library: str) -> None:
    """From now on, `library` is installed in another version, as its `.dist-info` says."""
    real = fingerprints.installed_version
    monkeypatch.setattr(fingerprints, "installed_version",
                        lambda name, module: "99.0" if name == library else real(name, module))


def test_the_versions_are_those_pip_installed() -> None:
    """Read from the `.dist-info` folders, without importlib.metadata: the same versions."""
    assert fingerprints.library_versions() == "|".join(
        f"{name}={importlib.metadata.version(name)}" for name in LIBRARIES)


def test_the_stamp_names_the_version_of_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python's Unicode tables decide what a name matches as a whole word in an article."""
    before = stamp("options")
    monkeypatch.setattr(sys, "version_info", (sys.version_info[0], sys.version_info[1] + 1, 0))
    assert stamp("options") != before


@pytest.mark.parametrize("library", LIBRARIES)
def test_the_stamp_names_the_version_of_each_library_the_pages_depend_on(
        monkeypatch: pytest.MonkeyPatch, library: str) -> None:
    before = stamp("options")
    assert stamp("options") == before
    upgrade(monkeypatch, library)
    assert stamp("options") != before


def test_after_a_markdown_it_py_upgrade_build_does_not_say_nothing_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = many_briefs(tmp_path / "site")
    build(site)
    assert build(site).outcome.rendered == 0  # nothing changed: nothing rendered
    upgrade(monkeypatch, "markdown-it-py")
    again = build(site)
    assert again.outcome.rendered == len(rendered_files(again.out))


def test_after_a_markdown_it_py_upgrade_every_article_is_processed_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = many_briefs(tmp_path / "site")
    build(site)
    upgrade(monkeypatch, "markdown-it-py")
    processed: dict[str, int] = {}
    builder = Builder(site, site / "output", jobs=1, use_cache=True,
                      progress=lambda stage, done, total: processed.__setitem__(stage, total))
    assert builder.build(Diagnostics()).report is not None
    assert processed.get("articles") == len(SLUGS)  # no article's HTML taken from the cache


def package_with_two_run_modules(root: Path) -> tuple[Path, Path, Path]:
    """A package whose subpackages `build` and `importer` each hold a `run.py`, of different
    sizes and times."""
    paths = []
    for n, folder in enumerate(("build", "importer")):
        (root / folder).mkdir(parents=True)
        (root / folder / "__init__.py").write_text("", encoding="utf-8")
        path = root / folder / "run.py"
        path.write_text("#" * (n + 1) + "\n", encoding="utf-8")
        os.utime(path, ns=(1_000_000_000 * (n + 1), 1_000_000_000 * (n + 1)))
        paths.append(path)
    return root, paths[0], paths[1]


def test_modules_of_the_same_name_in_two_subpackages_both_count(tmp_path: Path) -> None:
    package, first, second = package_with_two_run_modules(tmp_path / "package")
    before = code_stamp(package)
    # Each takes the other's bytes and times: only where each one is tells the change.
    a, b = first.read_bytes(), second.read_bytes()
    a_info, b_info = first.stat(), second.stat()
    first.write_bytes(b)
    second.write_bytes(a)
    os.utime(first, ns=(b_info.st_atime_ns, b_info.st_mtime_ns))
    os.utime(second, ns=(a_info.st_atime_ns, a_info.st_mtime_ns))
    assert code_stamp(package) != before


def test_a_module_moved_to_another_subpackage_changes_the_stamp(tmp_path: Path) -> None:
    package, _, _ = package_with_two_run_modules(tmp_path / "package")
    (package / "build" / "pages.py").write_text("PAGES = 1\n", encoding="utf-8")
    before = code_stamp(package)
    os.rename(package / "build" / "pages.py", package / "importer" / "pages.py")  # same times
    assert code_stamp(package) != before


def test_the_stamp_counts_the_modules_of_every_subpackage() -> None:
    import site_builder

    package = Path(site_builder.__file__).parent
    stamped = code_stamp(package)
    for module in ("build/run.py", "importer/run.py", "build/__init__.py", "cli/__init__.py",
                   "__init__.py"):
        assert f"\n{module}:" in f"\n{stamped}", module


def test_nothing_changed_is_told_without_importing_the_pipeline(tmp_path: Path) -> None:
    """The stamp and the cache's records are read before anything heavy is imported: neither
    Jinja nor markdown-it-py, nor the stages that use them."""
    site = many_briefs(tmp_path / "site")
    build(site)
    script = ("import sys\n"
              "from site_builder.build.run import build_site\n"
              "from site_builder.base.diagnostics import Diagnostics\n"
              "from pathlib import Path\n"
              "site = Path(sys.argv[1])\n"
              "outcome = build_site(site, site / 'output', Diagnostics())\n"
              "assert outcome.report is not None and outcome.report.written == ()\n"
              "print(sorted(m for m in sys.modules if m.startswith(('jinja2', 'markdown_it',"
              " 'site_builder.site.index', 'site_builder.build.builder'))))\n")
    done = subprocess.run([sys.executable, "-c", script, str(site)], capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "[]"
