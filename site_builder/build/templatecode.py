"""Compiled templates kept in the build cache, so that a new `build` process need not compile
the theme again (Jinja's own bytecode cache, made safe to share between builder versions and
safe against a cache folder written by someone else).

Compiled templates are Python code. A `.cache/` folder may come from anywhere (committed by
mistake or on purpose in a pull request, restored by CI), so each file is signed with a key
that never lives in a site: `key_file()`, in the user's own cache folder, made on first use.
A file whose signature does not match this key (written on another computer, by another
user, or by hand) is never loaded: the template is compiled again from its source.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
import tempfile
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from ..base.sitefiles import inside
from .cachefolder import CACHE_DIR, NOFOLLOW, ignore_in_git, own_folder, write_whole
from .fingerprints import stamp

KEY_BYTES = 32
MAX_CODE_BYTES = 16 * 1024 * 1024
SIGNATURE_BYTES = hashlib.sha256().digest_size
NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # not on every system


class TemplateCode(jinja2.FileSystemBytecodeCache):
    """The templates compiled by the last build, in `.cache/`: a new `build` process need not
    compile them again. A template's code is used only for the same source, the same builder
    (its code sets how templates compile) and when signed with this user's key; anything
    else is compiled again."""

    def __init__(self, root: Path, key: bytes, folder: Path) -> None:
        super().__init__(str(folder))
        self.root, self.stamp, self.key = root, stamp("templates"), key

    @classmethod
    def for_site(cls, root: Path) -> TemplateCode | None:
        """The compiled templates of the site at `root`; None when this user has no key and
        none can be made, or when the cache's folders are links (the templates are then
        compiled by every build)."""
        cache = own_folder(root)
        folder = None if cache is None else cache / "templates"
        if folder is None or os.path.islink(folder) or _key_in_site(root):
            return None
        key = user_key()
        return None if key is None else cls(root, key, folder)

    def get_source_checksum(self, source: str) -> str:
        return super().get_source_checksum(f"{self.stamp}\0{source}")

    def load_bytecode(self, bucket: Bucket) -> None:
        try:  # never through a link, never more than a file of compiled code holds
            fd = os.open(self._get_cache_filename(bucket), os.O_RDONLY | NOFOLLOW | NONBLOCK)
            with os.fdopen(fd, "rb") as handle:
                regular = stat.S_ISREG(os.fstat(fd).st_mode)
                blob = handle.read(MAX_CODE_BYTES + 1) if regular else b""
        except OSError:  # none yet, or unreadable: compiled again
            return
        signature, code = blob[:SIGNATURE_BYTES], blob[SIGNATURE_BYTES:]
        if not hmac.compare_digest(signature, self._sign(bucket.key, code)):
            return  # not written by this user's builds: never loaded
        try:
            bucket.bytecode_from_string(code)
        except Exception:  # damaged: compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = bucket.bytecode_to_string()
        with contextlib.suppress(OSError):  # a cache not written only costs time next build
            folder = Path(self.directory)
            folder.mkdir(parents=True, exist_ok=True)
            ignore_in_git(self.root / CACHE_DIR)
            data = self._sign(bucket.key, code) + code
            write_whole(Path(self._get_cache_filename(bucket)), lambda handle: handle.write(data))

    def _sign(self, name: str, code: bytes) -> bytes:
        """The signature of a template's code, bound to its name (no swapping two files)."""
        return hmac.new(self.key, name.encode() + b"\0" + code, hashlib.sha256).digest()


def key_file() -> Path | None:
    """Where this user's key lives: `$XDG_CACHE_HOME/site-builder/` or `~/.cache/site-builder/`,
    never inside a site; None when there is no home folder."""
    base = os.environ.get("XDG_CACHE_HOME")
    try:
        folder = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    except RuntimeError:  # no home folder to be found
        return None
    return folder / "site-builder" / "template-key"


def _key_in_site(root: Path) -> bool:
    """Whether the key would be a file of the site (`XDG_CACHE_HOME` set inside it, as some
    CI setups do): anyone who can commit to the site could then sign code with it."""
    path = key_file()
    if path is None:
        return False
    return inside(os.path.realpath(path), os.path.realpath(root))


def user_key() -> bytes | None:
    """This user's secret key for signing compiled templates, made on first use (readable by
    this user only); None when it can neither be read nor made."""
    path = key_file()
    if path is None:
        return None
    with contextlib.suppress(OSError):
        return _read_key(path)
    with contextlib.suppress(OSError):
        _make_key(path)
    with contextlib.suppress(OSError):  # made now, or by another build at the same moment
        return _read_key(path)
    return None


def _make_key(path: Path) -> None:
    """A new key at `path` unless there is one: written aside, then linked in (never a
    half-written key, and never two builds' keys mixed)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key.")  # readable by this user only
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES))
        os.link(tmp, path)  # fails when another build made one meanwhile: that one is used
    finally:
        os.unlink(tmp)


def _read_key(path: Path) -> bytes:
    with open(path, "rb") as handle:
        key = handle.read(KEY_BYTES + 1)
    if len(key) != KEY_BYTES:
        raise OSError(f"{path}: not a key")  # half written, or not ours: not used
    return key
