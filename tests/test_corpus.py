"""benchmarks/corpus.py, the generator of the large sites the benchmark and the tests build:
the same bytes for the same seed, a site the checker passes without a word, and the same
articles as a Hugo site."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from servetools import tree
from sitetools import CORPUS, build, generate_corpus

from site_builder.cli.commands import main

# The digest of every file of `corpus.py OUT --briefs 30 --actors 20` (seed 18). It changes
# when the generator's output does: if that is meant, put the new digest here, and check the
# tests that edit named briefs of the generated corpus (test_incremental.py's large site).
DIGEST_30_20 = "3929c56673bb1322e2e0748e1a12b8010ddace75202ed74c6755e236984d0f60"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 briefs among 15 actors; the folder holding ours/, hugo/ and corpus.json."""
    out = tmp_path_factory.mktemp("corpus")
    generate_corpus(out, 20, 15)
    return out


def digest(files: dict[str, bytes]) -> str:
    whole = hashlib.sha256()
    for rel, data in sorted(files.items()):
        whole.update(f"{rel}\0{len(data)}\0".encode() + data)
    return whole.hexdigest()


def run_generator(out: Path, *args: str, hash_seed: str = "0") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(CORPUS), str(out), *args], capture_output=True,
                          text=True, env={**os.environ, "PYTHONHASHSEED": hash_seed})


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    """Two runs, with Python's string hashing seeded differently (an order taken from a set
    would show), write the same files byte for byte; another seed writes another corpus."""
    runs = {}
    for name, hash_seed in (("one", "1"), ("two", "2")):
        done = run_generator(tmp_path / name, "--briefs", "30", "--actors", "20",
                             hash_seed=hash_seed)
        assert done.returncode == 0, done.stderr
        runs[name] = tree(tmp_path / name)
    assert len(runs["one"]) > 60
    assert runs["one"] == runs["two"]
    assert digest(runs["one"]) == DIGEST_30_20
    assert run_generator(tmp_path / "three", "--briefs", "30", "--actors", "20",
                         "--seed", "19").returncode == 0
    assert tree(tmp_path / "three") != runs["one"]


def test_check_finds_no_error_and_no_warning(corpus: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--source", str(corpus / "ours")]) == 0
    assert capsys.readouterr().err == "checked 20 briefs: 0 errors, 0 warnings\n"


def test_the_site_builds_with_every_quote_marked(corpus: Path, tmp_path: Path) -> None:
    site = corpus / "ours"
    built = build(site, tmp_path / "out")
    registry = yaml.safe_load((site / "briefs" / "_actors.yaml").read_text(encoding="utf-8"))
    for actor in registry["actors"]:
        assert (built.out / "actors" / actor["id"] / "index.html").is_file()
    for path in sorted((site / "briefs").glob("brief-*.yaml")):
        brief = yaml.safe_load(path.read_text(encoding="utf-8"))
        quotes = len(brief["claims"]) + len(brief["responses"])
        page = (built.out / "briefs" / path.stem / "index.html").read_text(encoding="utf-8")
        assert page.count('<mark id="') == quotes, path.stem
        for claim in brief["claims"]:
            assert (built.out / "claims" / claim["id"] / "index.html").is_file()


def test_the_summary_counts_what_was_written(corpus: Path) -> None:
    summary = json.loads((corpus / "corpus.json").read_text(encoding="utf-8"))
    briefs = [yaml.safe_load(p.read_text(encoding="utf-8"))
              for p in sorted((corpus / "ours" / "briefs").glob("brief-*.yaml"))]
    own = {c["id"] for b in briefs for c in b["claims"]}
    answers = [r for b in briefs for r in b["responses"]]
    assert (summary["briefs"], summary["actors"]) == (20, 15)
    assert summary["claims"] == len(own) and summary["responses"] == len(answers)
    assert summary["responses_to_earlier_briefs"] > 0  # claims are answered across briefs
    assert summary["busiest_actor_briefs"] >= 8  # a few actors recur in many briefs
    assert len({b["date"] for b in briefs}) > 15  # dates spread over time


def test_the_hugo_site_holds_the_same_articles(corpus: Path) -> None:
    hugo, ours = corpus / "hugo", corpus / "ours" / "briefs"
    assert 'actor = "actors"' in (hugo / "hugo.toml").read_text(encoding="utf-8")
    assert {p.name for p in (hugo / "layouts").iterdir()} == {
        "baseof.html", "home.html", "section.html", "page.html", "taxonomy.html", "term.html"}
    pages = sorted((hugo / "content" / "briefs").glob("brief-*.md"))
    assert [p.stem for p in pages] == [p.stem for p in sorted(ours.glob("brief-*.md"))]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        parts = re.fullmatch(r"---\n(.*?)\n---\n\n(.*)", text, re.DOTALL)
        assert parts is not None, page.name
        front, body = parts.groups()
        fields = yaml.safe_load(front)
        brief = yaml.safe_load((ours / f"{page.stem}.yaml").read_text(encoding="utf-8"))
        assert body == (ours / f"{page.stem}.md").read_text(encoding="utf-8")
        assert (fields["title"], str(fields["date"])) == (brief["title"], str(brief["date"]))
        assert fields["actors"]
    registry = yaml.safe_load((ours / "_actors.yaml").read_text(encoding="utf-8"))
    for actor in registry["actors"]:
        index = hugo / "content" / "actors" / actor["id"] / "_index.md"
        assert yaml.safe_load(index.read_text(encoding="utf-8").split("---")[1]) == {
            "title": actor["name"]}


def test_a_folder_holding_other_files_is_refused_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    done = run_generator(tmp_path, "--briefs", "2", "--actors", "2")
    assert done.returncode == 2
    assert "holds files that are not a corpus" in done.stderr
    assert tree(tmp_path) == {"notes.txt": b"mine"}


def test_an_earlier_corpus_is_replaced(tmp_path: Path) -> None:
    generate_corpus(tmp_path, 5, 4)
    generate_corpus(tmp_path, 3, 4)
    assert sorted(p.name for p in (tmp_path / "ours" / "briefs").iterdir()) == [
        "_actors.yaml", *(f"brief-0000{n}.{ext}" for n in (1, 2, 3) for ext in ("md", "yaml"))]
