"""site.yaml: the site's title, language, base URL and its own stances."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit

from ..base.diagnostics import Diagnostics, Span, escaped
from .controls import check_yaml
from .load import TextFile
from .model import BUILTIN_STANCES, SiteConfig, Stance
from .yamlsrc import ID_PATTERN, Fields, parse_yaml

SITE_FIELDS = ("title", "description", "language", "base_url", "domain", "stances")
STANCE_FIELDS = ("polarity", "meaning", "cameo")
POLARITIES = {"+": "+", "for": "+", "0": "0", "neither": "0", "-": "-", "against": "-"}
LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
DOMAIN = re.compile(rf"^(?=.{{1,253}}$)({LABEL}\.)+[A-Za-z]{{2,63}}$")
_LABEL = re.compile(r"^[^\W_]((?:[^\W_]|-){0,61}[^\W_])?$")  # a host name's part, IDN too
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def read_config(source: TextFile | None, diags: Diagnostics) -> SiteConfig:
    """The site's settings; defaults for what site.yaml leaves out (or when there is none)."""
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
    )


def _language(fields: Fields) -> str | None:
    value = fields.text("language")
    if value is not None and not LANGUAGE.match(value):
        fields.diags.error(fields.span("language"), f"'{value}' is not a language tag",
                           "use a code such as 'en', 'fr' or 'pt-BR'")
        return None
    return value


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
    shown = "".join(c if c.isprintable() else escaped(c) for c in value)
    odd = next((c for c in value if not c.isprintable() or c.isspace() or c in _NOT_IN_URLS),
               None)
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
            reason = _address_problem(value, parts)
    return f"'{shown}' is not a valid base URL: {reason}" if reason else None


def _address_problem(value: str, parts: SplitResult) -> str | None:
    if "?" in value:
        return "it has a query ('?...'); the address of the site's folder has none"
    if "#" in value:
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
