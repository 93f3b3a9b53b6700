"""Where the built-in theme is: `templates/` inside the package (a link to the repository's
top-level templates/ in a source checkout, so the wheel ships it)."""

from pathlib import Path

BUILTIN_THEME = Path(__file__).parents[1] / "templates"
