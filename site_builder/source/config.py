"""site.yaml: the site's title, language, base URL, its own stances, and what link previews,
structured data and links between pages need (an image, the publisher, the links' style)."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

from ..base.diagnostics import Diagnostics, Span, escaped
from .builtin import BUILTIN_THEME
from .controls import check_yaml
from .load import TEMPLATES_DIR, TextFile
from .model import BUILTIN_STANCES, LINK_STYLES, Publisher, SiteConfig, Stance
from .yamlsrc import ID_PATTERN, Fields, parse_yaml

SITE_FIELDS = ("title", "description", "language", "base_url", "domain", "stances", "image",
               "publisher", "links", "search")
PUBLISHER_FIELDS = ("name", "url", "logo")
STANCE_FIELDS = ("polarity", "meaning", "cameo")
POLARITIES = {"+": "+", "for": "+", "0": "0", "neither": "0", "-": "-", "against": "-"}
LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
DOMAIN = re.compile(rf"^(?=.{{1,253}}$)({LABEL}\.)+[A-Za-z]{{2,63}}$")
_LABEL = re.compile(r"^[^\W_]((?:[^\W_]|-){0,61}[^\W_])?$")  # a host name's part, IDN too
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def read_config(source: TextFile | None, diags: Diagnostics,
                site_root: Path | None = None) -> SiteConfig:
    """The site's settings; defaults for what site.yaml leaves out (or when there is none).
    `site_root`, the site's folder, where the images it names are looked for."""
    if source is None or not source.text.strip():
        return SiteConfig()
    root = parse_yaml(source.text, source.path, diags, empty_ok=True)
    check_yaml(root, source.text, source.path, diags)  # control characters in its values
    fields = Fields.of(root, source.path, diags, "site.yaml", SITE_FIELDS) if root else None
    if fields is None:
        return SiteConfig()
    defaults = SiteConfig()
    domain = _domain(fields)
    return SiteConfig(
        title=fields.text("title") or defaults.title,
        description=fields.text("description"),
        language=_language(fields) or defaults.language,
        base_url=base_url_of(fields.text("base_url"), fields, diags) or _domain_url(domain),
        domain=domain,
        stances=BUILTIN_STANCES + _site_stances(fields, diags),
        image=_picture(fields, "image", site_root),
        publisher=_publisher(fields, site_root),
        links=fields.choice("links", LINK_STYLES) or defaults.links,
        search=_search(fields),
    )


def _language(fields: Fields) -> str | None:
    value = fields.text("language")
    if value is not None and not LANGUAGE.match(value):
        fields.diags.error(fields.span("language"), f"'{value}' is not a language tag",
                           "use a code such as 'en', 'fr' or 'pt-BR'")
        return None
    return value


def _search(fields: Fields) -> bool:
    """`search: true`: whether the site gets its search page, when Pagefind is installed; a
    warning saying how to install it when it is not (the site is then built without search)."""
    if fields.choice("search", ("true", "false"), default="false") != "true":
        return False
    if not pagefind_installed():
        fields.diags.warning(fields.span("search"), SEARCH_MISSING, SEARCH_HINT)
        return False
    return True


SEARCH_MISSING = "search needs Pagefind, which is not installed: the site is built without search"
SEARCH_HINT = "install it with: pip install 'site-builder[search]'"


def pagefind_installed() -> bool:
    """Whether Pagefind's Python package and its program are there (found, not imported)."""
    if importlib.util.find_spec("pagefind") is None:
        return False
    return importlib.util.find_spec("pagefind_bin") is not None or \
        shutil.which("pagefind") is not None


def _domain(fields: Fields) -> str | None:
    value = fields.text("domain")
    if value is not None and not DOMAIN.match(value):
        fields.diags.error(fields.span("domain"), f"'{value}' is not a domain name",
                           "write the bare name, e.g. briefs.example.org (no https://, no /)")
        return None
    return value.lower() if value else None


def _domain_url(domain: str | None) -> str | None:
    return f"https://{domain}/" if domain else None


BASE_URL_HINT = "write it in full, e.g. https://example.github.io/briefs/"
_LINE_BREAKS = "\n\r\v\f\x85\u2028\u2029"
_NOT_IN_URLS = '<>"{}|\\^`'


def base_url_of(value: str | None, fields: Fields | None, diags: Diagnostics) -> str | None:
    """An absolute http(s) URL ending in '/', or None (with an error when it is not one).

    `fields` is site.yaml's mapping; None when the value comes from `--base-url`.
    """
    if value is None:
        return None
    problem = base_url_problem(value)
    if problem is not None:
        span = fields.span("base_url") if fields is not None else Span("--base-url")
        diags.error(span, problem, BASE_URL_HINT)
        return None
    return value if value.endswith("/") else value + "/"


def base_url_problem(value: str) -> str | None:
    """What makes `value` no base URL (the message, naming it), or None when it is one: an
    absolute http(s) address with a host, an optional port and path, nothing else. The value
    goes into robots.txt, the sitemap and every page's canonical link as it is written."""
    return address_problem(value, "base URL", folder=True)


def address_problem(value: str, what: str = "web address", folder: bool = False) -> str | None:
    """What makes `value` no absolute http(s) address (the message, naming it and calling it
    a `what`), or None when it is one; with `folder`, one with no query and no fragment."""
    shown = _shown(value)
    odd = _odd_character(value)
    if odd is not None:
        reason: str | None = f"it contains {_named(odd)}"
    else:
        try:
            parts = urlsplit(value)
        except ValueError:  # brackets around something that is no IPv6 address
            reason = "its host is not valid"
        else:
            if parts.scheme not in ("http", "https") or not parts.netloc:
                return f"'{shown}' is not an absolute web address"
            reason = _address_problem(value, parts, folder)
    return f"'{shown}' is not a valid {what}: {reason}" if reason else None


def _shown(value: str) -> str:
    return "".join(c if c.isprintable() else escaped(c) for c in value)


def _odd_character(value: str) -> str | None:
    """The first character that no address holds as it is: invisible, a space, `<`..."""
    return next((c for c in value if not c.isprintable() or c.isspace() or c in _NOT_IN_URLS),
                None)


def _address_problem(value: str, parts: SplitResult, folder: bool) -> str | None:
    if folder and "?" in value:
        return "it has a query ('?...'); the address of the site's folder has none"
    if folder and "#" in value:
        return "it has a fragment ('#...'); the address of the site's folder has none"
    if "@" in parts.netloc:
        return "it holds a user name or password ('...@')"
    if not parts.hostname:
        return "it names no host"
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        return "the port must be a number from 1 to 65535"
    host = parts.hostname.removesuffix(".")
    if ":" not in host and not all(_LABEL.match(label) for label in host.split(".")):
        return f"'{parts.hostname}' is not a host name"
    return None


def _named(char: str) -> str:
    if char in _LINE_BREAKS:
        return "a line break"
    if char == " ":
        return "a space"
    if char == "\t":
        return "a tab"
    if char in _NOT_IN_URLS:
        return f"'{char}', which a web address cannot hold as it is"
    return f"an invisible character (U+{ord(char):04X})"


ADDRESS_HINT = "write it in full, e.g. https://example.org/"
PICTURE_HINT = ("write where the file is published (templates/img/card.png is published as "
                "img/card.png), or a full address such as https://example.org/card.png")
_SCHEME = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")  # `https:`, `c:`, `//host`...


def _address(fields: Fields, key: str, hint: str = ADDRESS_HINT) -> str | None:
    """An absolute http(s) address; None, with an error, when the value is not one."""
    value = fields.text(key)
    problem = address_problem(value) if value is not None else None
    if problem is not None:
        fields.diags.error(fields.span(key), problem, hint)
        return None
    return value


def _picture(fields: Fields, key: str, site_root: Path | None) -> str | None:
    """An image for link previews and structured data: an absolute http(s) address, or the
    path of a file the build publishes (one of templates/, copied as it is); None, with an
    error, when it is neither. A path to no such file is kept, with a warning: whether the
    file is there changes no page."""
    value = fields.text(key)
    if value is None or _SCHEME.match(value):
        return _address(fields, key, PICTURE_HINT)
    problem = _site_path_problem(value)
    if problem is not None:
        fields.diags.error(fields.span(key), f"'{_shown(value)}' is not a path of the built "
                           f"site: {problem}", PICTURE_HINT)
        return None
    if site_root is not None and not ((site_root / TEMPLATES_DIR / value).is_file()
                                      or (BUILTIN_THEME / value).is_file()):
        fields.diags.warning(fields.span(key), f"'{value}' is not a file of the built site",
                             f"put the file at {TEMPLATES_DIR}/{value}: every file of "
                             f"{TEMPLATES_DIR}/ that is not a template is published as it is")
    return value


def _site_path_problem(value: str) -> str | None:
    odd = _odd_character(value)
    if odd is not None:
        return f"it contains {_named(odd)}"
    if "?" in value or "#" in value:
        return "it has a '?' or a '#'; name the file only"
    if value.startswith("/"):
        return "it starts with '/'; write it from the top of the site, e.g. img/card.png"
    if any(part in ("", ".", "..") for part in value.split("/")):
        return "it has an empty, '.' or '..' part"
    return None


def _publisher(fields: Fields, site_root: Path | None) -> Publisher | None:
    table = fields.mapping("publisher", "'publisher'", PUBLISHER_FIELDS)
    if table is None:
        return None
    name = table.text("name", required=True,
                      hint="the name of the organization that publishes the site")
    url, logo = _address(table, "url"), _picture(table, "logo", site_root)
    return Publisher(name, url, logo) if name is not None else None


def _site_stances(fields: Fields, diags: Diagnostics) -> tuple[Stance, ...]:
    node = fields.values.get("stances")
    if node is None:
        return ()
    table = Fields.of(node, fields.path, diags, "'stances'", _AnyKey())
    if table is None:
        return ()
    builtin = {s.name for s in BUILTIN_STANCES}
    stances = []
    for name, key in table.keys.items():
        span = table.at(key)
        value = table.values.get(name)
        if not ID_PATTERN.match(name):
            diags.error(span, f"'{name}' is not a valid stance name",
                        "stance names use lowercase letters, digits and hyphens")
        elif name in builtin:
            diags.error(span, f"the stance '{name}' is built in and cannot be redefined",
                        "choose another name for the site's own stance")
        elif value is None:
            diags.error(span, f"the stance '{name}' is missing the required field 'polarity'",
                        f"write it as '{name}: {{polarity: \"-\", meaning: ...}}'")
        elif (stance := _stance(name, value, table, diags)) is not None:
            stances.append(stance)
    return tuple(stances)


def _stance(name: str, node: object, table: Fields, diags: Diagnostics) -> Stance | None:
    fields = Fields.of(node, table.path, diags, f"the stance '{name}'", STANCE_FIELDS)  # type: ignore[arg-type]
    if fields is None:
        return None
    polarity = fields.choice("polarity", POLARITIES, required=True)
    if polarity is None:
        return None
    return Stance(name, fields.text("meaning") or name, POLARITIES[polarity], fields.text("cameo"))


class _AnyKey(tuple[str, ...]):
    """An `allowed` list that admits every key (stance names are the site's own)."""

    def __contains__(self, key: object) -> bool:
        return True
