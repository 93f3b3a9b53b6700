"""The tools of tests/tools.py work end to end, and CI runs the README's test command."""

import os
import re
import subprocess
import urllib.request
from pathlib import Path

import yaml
from tools import ROOT, chromium_path, missing, open_browser, run_axe, run_vnu, serve_directory

VALID = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Tools check</title></head>
<body><main><h1>Hello</h1><p>A tiny page.</p></main></body>
</html>
"""

# Errors for the checker: no <title>, a <p> inside a <span>, an unknown attribute.
INVALID = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"></head>
<body><span><p>Text</p></span><div bogus-attribute="1">More</div></body>
</html>
"""

# Violations for axe: an image without alt text, a link without text.
INACCESSIBLE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Not accessible</title></head>
<body><main><h1>Page</h1><img src="x.png"><a href="/next"></a></main></body>
</html>
"""


def test_serve_directory(tmp_path):
    (tmp_path / "index.html").write_text(VALID, encoding="utf-8")
    with serve_directory(tmp_path) as url:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "index.html", timeout=10) as response:
            assert b"<title>Tools check</title>" in response.read()


def test_chromium_reads_title_of_served_page(tmp_path):
    (tmp_path / "index.html").write_text(VALID, encoding="utf-8")
    with serve_directory(tmp_path) as url, open_browser() as browser:
        page = browser.new_page()
        page.goto(url + "index.html")
        assert page.title() == "Tools check"
        assert page.inner_text("h1") == "Hello"


def test_vnu_passes_valid_and_reports_invalid(tmp_path):
    valid = tmp_path / "valid.html"
    invalid = tmp_path / "invalid.html"
    valid.write_text(VALID, encoding="utf-8")
    invalid.write_text(INVALID, encoding="utf-8")

    messages = run_vnu([valid, invalid])

    assert messages, "vnu found no error in invalid.html"
    assert all(m["type"] == "error" for m in messages)
    assert {m["url"].rsplit("/", 1)[-1] for m in messages} == {"invalid.html"}
    text = " ".join(m["message"] for m in messages)
    assert "title" in text
    assert "bogus-attribute" in text
    assert run_vnu([valid]) == []


def test_axe_runs_in_chromium(tmp_path):
    (tmp_path / "good.html").write_text(VALID, encoding="utf-8")
    (tmp_path / "bad.html").write_text(INACCESSIBLE, encoding="utf-8")
    with serve_directory(tmp_path) as url, open_browser() as browser:
        page = browser.new_page()

        page.goto(url + "good.html")
        good = run_axe(page)
        assert set(good) >= {"violations", "passes", "incomplete", "inapplicable"}
        assert good["passes"]
        assert good["violations"] == []

        page.goto(url + "bad.html")
        bad = run_axe(page)
        assert {v["id"] for v in bad["violations"]} >= {"image-alt", "link-name"}


def readme_test_command() -> str:
    """The second command of the README's first code block."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^```[a-z]*\n(.*?)^```", readme, re.S | re.M)
    assert block, "README.md has no code block"
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2, commands
    return commands[1]


def test_ci_runs_the_readme_test_command():
    """.ci/run must run exactly the second command of the README's first code block."""
    command = readme_test_command()
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in ci_lines, f".ci/run does not run the README's test command: {command}"


def test_the_github_workflow_runs_the_readme_test_command():
    """So does .github/workflows/ci.yml, as one step of its one job, on every push to main and
    every pull request."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"] == {"branches": ["main"]} and "pull_request" in triggers
    [job] = workflow["jobs"].values()
    runs = [step["run"].strip() for step in job["steps"] if "run" in step]
    assert runs == [readme_test_command()]


def dry_run(tmp_path: Path, leave_out: set[str]) -> str:
    """What `.ci/install-tools --dry-run` would install with the commands of `leave_out` gone
    from the PATH, and a dpkg-query that knows no installed package (as on a machine that is
    not Debian, such as GitHub's Ubuntu runner for Debian's packages)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(parents=True)
    # The stub first, in the new folder: the links below must never be written through.
    stub = bin_dir / "dpkg-query"
    stub.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    stub.chmod(0o755)
    folders = [Path(f) for f in os.environ["PATH"].split(os.pathsep) if os.path.isabs(f)]
    for folder in folders:
        readable = folder.is_dir() and os.access(folder, os.R_OK | os.X_OK)
        for tool in sorted(folder.iterdir()) if readable else ():
            if tool.name not in leave_out and not os.path.lexists(bin_dir / tool.name):
                (bin_dir / tool.name).symlink_to(tool)
    done = subprocess.run(["bash", str(ROOT / ".ci" / "install-tools"), "--dry-run"],
                          env={**os.environ, "PATH": str(bin_dir)}, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip()


def test_install_tools_keeps_a_chromium_java_and_npm_that_are_there(tmp_path):
    """A /usr/bin/chromium that runs is used whoever installed it (on GitHub's runners, not
    Debian's package); Java and npm are installed only when missing."""
    if chromium_path() is None:
        missing("Chromium not found at /usr/bin/chromium: run `bash .ci/install-tools`")
    assert dry_run(tmp_path / "all", set()) == \
        "install-tools: would apt-get install: fonts-dejavu-core fonts-liberation"
    assert dry_run(tmp_path / "no-java-npm", {"java", "npm"}) == (
        "install-tools: would apt-get install: fonts-dejavu-core fonts-liberation "
        "default-jre-headless npm")
