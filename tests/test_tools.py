"""The tools of tests/tools.py work end to end, and CI runs the README's test command."""

import re
import urllib.request

from tools import ROOT, open_browser, run_axe, run_vnu, serve_directory

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


def test_ci_runs_the_readme_test_command():
    """.ci/run must run exactly the second command of the README's first code block."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^```[a-z]*\n(.*?)^```", readme, re.S | re.M)
    assert block, "README.md has no code block"
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2, commands
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[1] in ci_lines, f".ci/run does not run the README's test command: {commands[1]}"
