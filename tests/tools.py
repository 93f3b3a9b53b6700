"""Helpers for tests that need tools outside Python: Chromium, the Nu HTML Checker, axe-core,
the W3C Feed Validator.

Install the tools with `bash .ci/install-tools` (Debian's chromium unless /usr/bin/chromium runs
already, as on GitHub's Ubuntu runners; Java if missing; the npm packages vnu-jar and axe-core
into .ci/node/); Playwright comes with the `test` extra.

Import from test files as `from tools import ...` (pytest puts tests/ on sys.path).

A missing tool makes the calling test *skip* with the reason, except in CI (env CI set and
not "false"/"0"), where it makes the test *fail*: CI must never skip browser or HTML tests.
Call the helpers inside tests or fixtures, not at module level.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NoReturn

import pytest

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / ".ci" / "node" / "node_modules"
CHROMIUM = "/usr/bin/chromium"
INSTALL_HINT = "run `bash .ci/install-tools`"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    # No network here but loopback: every other host name fails at once instead of timing out.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "false", "0", "no")


def missing(reason: str) -> NoReturn:
    """Skip the current test for a missing tool; fail it instead when running in CI."""
    if in_ci():
        pytest.fail(f"{reason} (CI must have every tool: check .ci/install-tools)", pytrace=False)
    pytest.skip(reason)


# --- Chromium through Playwright -------------------------------------------------------------


def chromium_path() -> str | None:
    """Path of /usr/bin/chromium (Debian's, or the runner image's on GitHub's Ubuntu runners),
    or None when there is none."""
    return CHROMIUM if os.access(CHROMIUM, os.X_OK) else None


def sync_playwright():
    """playwright.sync_api.sync_playwright(), or skip/fail when Playwright is not installed.

    Use as `with sync_playwright() as p: browser = launch_browser(p)`.
    """
    try:
        from playwright.sync_api import sync_playwright as _sync_playwright
    except ImportError:
        missing("Playwright is not installed: pip install -e '.[test]'")
    return _sync_playwright()


def launch_browser(playwright: Any, **kwargs: Any) -> Any:
    """Launch headless /usr/bin/chromium with `playwright` (the object `sync_playwright()` gives).

    Extra keyword arguments go to `playwright.chromium.launch`; `args` are added to ours.
    """
    path = chromium_path()
    if path is None:
        missing(f"Chromium not found at {CHROMIUM}: {INSTALL_HINT}")
    args = CHROMIUM_ARGS + list(kwargs.pop("args", []))
    return playwright.chromium.launch(executable_path=path, headless=True, args=args, **kwargs)


@contextlib.contextmanager
def open_browser(**kwargs: Any) -> Iterator[Any]:
    """Playwright + Chromium in one: `with open_browser() as browser: page = browser.new_page()`."""
    with sync_playwright() as playwright:
        browser = launch_browser(playwright, **kwargs)
        try:
            yield browser
        finally:
            browser.close()


# --- axe-core ---------------------------------------------------------------------------------


def axe_js() -> Path:
    """Path of axe-core's axe.min.js (to inject into a page), or skip/fail when missing."""
    path = NODE_MODULES / "axe-core" / "axe.min.js"
    if not path.is_file():
        missing(f"axe-core not found at {path}: {INSTALL_HINT}")
    return path


def run_axe(page: Any, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Inject axe-core into a Playwright `page` and return the result of `axe.run`.

    The result has "violations", "passes", "incomplete" and "inapplicable" lists.
    """
    page.add_script_tag(path=str(axe_js()))
    return page.evaluate("options => axe.run(document, options || {})", options)


# --- Nu HTML Checker --------------------------------------------------------------------------


def java_path() -> str | None:
    return shutil.which("java")


def vnu_jar() -> Path:
    """Path of the Nu HTML Checker's vnu.jar (from npm's vnu-jar), or skip/fail when missing."""
    path = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not path.is_file():
        missing(f"vnu.jar not found at {path}: {INSTALL_HINT}")
    return path


def run_vnu(paths: Iterable[str | os.PathLike[str]], *, errors_only: bool = True) -> list[dict]:
    """Check HTML files with the Nu HTML Checker; return its messages (empty when all valid).

    Each message is a dict from vnu's JSON output: "type" ("error", "info"; "subType":
    "warning"), "message", "url" (file:...), "lastLine", "firstColumn", "extract", ...
    Pass all files in one call: each call starts a JVM (a second or two).
    """
    files = [str(Path(p)) for p in paths]
    if not files:
        raise ValueError("run_vnu: no files given")
    jar = vnu_jar()
    java = java_path()
    if java is None:
        missing(f"java not found: {INSTALL_HINT}")
    command = [java, "-jar", str(jar), "--format", "json", "--exit-zero-always"]
    if errors_only:
        command.append("--errors-only")
    result = subprocess.run(command + files, capture_output=True, text=True, timeout=300)
    # vnu writes its JSON report to stderr.
    try:
        report = json.loads(result.stderr)
    except json.JSONDecodeError:
        raise RuntimeError(
            f"vnu gave no JSON (exit {result.returncode}):\n{result.stderr}\n{result.stdout}"
        ) from None
    return report["messages"]


# --- the shared validators (W3C Web Annotation tests, Feed Validator) --------------------------

SHARED_VALIDATORS = ("shared", "validators")  # `../shared/validators/`, beside the repository


def shared_validators() -> Path:
    """The folder of the shared validators: `../shared/validators/` beside the repository, or
    beside a folder above it (a git worktree kept in a folder of its own); the test skips,
    saying so, when there is none."""
    for folder in ROOT.parents:
        found = folder.joinpath(*SHARED_VALIDATORS)
        if found.is_dir():
            return found
    pytest.skip("no ../shared/validators/ beside the repository (nor above it): the W3C "
                "validators are not here to run")


def run_feed_validator(paths: Iterable[str | os.PathLike[str]]) -> tuple[int, str]:
    """The W3C Feed Validator (`feed_valid.py`) on feeds and folders of feeds: its exit code and
    what it printed, the last line `feeds: N files, E errors, W warnings`. It runs with this
    Python, which needs html5lib (in the `test` extra)."""
    folder = shared_validators()
    if importlib.util.find_spec("html5lib") is None:
        missing("html5lib is not installed, which feed_valid.py needs: pip install -e '.[test]'")
    result = subprocess.run([sys.executable, str(folder / "feed_valid.py"), *map(str, paths)],
                            capture_output=True, text=True, timeout=600, check=False)
    return result.returncode, result.stdout + result.stderr


# --- a local web server -----------------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve_directory(path: str | os.PathLike[str]) -> Iterator[str]:
    """Serve a folder over HTTP on 127.0.0.1 (a free port) while in the block.

    Yields the base URL, ending in "/": `with serve_directory(out) as url: page.goto(url)`.
    """
    directory = Path(path)
    if not directory.is_dir():
        raise FileNotFoundError(f"serve_directory: not a folder: {directory}")
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="serve_directory", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
