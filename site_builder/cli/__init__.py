"""The `site-builder` command: arguments, messages, exit codes."""

from .commands import main

__all__ = ["main"]
