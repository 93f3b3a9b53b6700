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
    clashes = [directory / target for target in FILES.values() if (directory / target).exists()]
    if clashes or (directory / "briefs").exists():
        shown = ", ".join(str(p) for p in clashes) or str(directory / "briefs")
        raise InitError(f"'{directory}' already holds a site ({shown}); "
                        "choose an empty or new folder")
    written = []
    for source, target in FILES.items():
        path = directory / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes((SCAFFOLD / source).read_bytes())
        written.append(path)
    return written
