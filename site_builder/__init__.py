"""site-builder: a static-site generator for annotated news briefs."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("site-builder")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
