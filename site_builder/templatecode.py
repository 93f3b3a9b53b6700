"""Compiled templates kept in the build cache, so that a new `build` process need not compile
the theme again (Jinja's own bytecode cache, made safe to share between builder versions)."""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from .cache import CACHE_DIR, cache_dir, ignore_in_git, stamp


class TemplateCode(jinja2.FileSystemBytecodeCache):
    """The templates compiled by the last build, in `.cache/`: a new `build` process need not
    compile them again. A template's code is used only for the same source and the same
    builder (its code sets how templates compile); anything unreadable is compiled again."""

    def __init__(self, root: Path) -> None:
        super().__init__(str(cache_dir(root) / "templates"))
        self.root, self.stamp = root, stamp("templates")

    def get_source_checksum(self, source: str) -> str:
        return super().get_source_checksum(f"{self.stamp}\0{source}")

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # damaged: compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            Path(self.directory).mkdir(parents=True, exist_ok=True)
            ignore_in_git(self.root / CACHE_DIR)
            super().dump_bytecode(bucket)
        except OSError:  # a cache that cannot be written only costs time next build
            pass
