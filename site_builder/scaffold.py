"""`site-builder init DIR`: a new site that passes `check` and publishes itself.

The files come from the `scaffold/` folder beside this module: site.yaml,
an actor registry, one example brief, a .gitignore and a GitHub Actions
workflow that builds the site and deploys it with GitHub's Pages actions.
"""

from __future__ import annotations

from pathlib import Path

SCAFFOLD = Path(__file__).parent / "scaffold"
FILES = {  # where each file goes in the new site
    "site.yaml": "site.yaml",
    "briefs/_actors.yaml": "briefs/_actors.yaml",
    "briefs/2025-01-15-port-expansion.md": "briefs/2025-01-15-port-expansion.md",
    "briefs/2025-01-15-port-expansion.yaml": "briefs/2025-01-15-port-expansion.yaml",
    "gitignore": ".gitignore",
    "workflows/pages.yml": ".github/workflows/pages.yml",
}


class InitError(Exception):
    pass


def init_site(directory: Path) -> list[Path]:
    """Write the new site's files; refuses to write over anything that exists."""
    if directory.exists() and not directory.is_dir():
        raise InitError(f"'{directory}' exists and is not a folder")
    clashes = [directory / target for target in FILES.values()
               if (directory / target).exists() and target != ".gitignore"]
    if clashes or (directory / "briefs").exists():
        shown = ", ".join(str(p) for p in clashes) or str(directory / "briefs")
        raise InitError(f"'{directory}' already holds a site ({shown}); "
                        "choose an empty or new folder")
    written = []
    for source, target in FILES.items():
        path = directory / target
        path.parent.mkdir(parents=True, exist_ok=True)
        text = (SCAFFOLD / source).read_text(encoding="utf-8")
        if path.exists():  # a fresh clone's .gitignore: add our lines to it
            text = _merged(path.read_text(encoding="utf-8"), text)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _merged(existing: str, ours: str) -> str:
    have = set(existing.splitlines())
    missing = [line for line in ours.splitlines() if line not in have]
    if not [m for m in missing if m and not m.startswith("#")]:
        return existing
    return existing.rstrip("\n") + "\n\n" + "\n".join(missing) + "\n"
