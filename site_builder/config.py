"""site.yaml: the site's title, language, base URL and its own stances."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .diagnostics import Diagnostics, Span
from .load import TextFile
from .model import BUILTIN_STANCES, SiteConfig, Stance
from .yamlsrc import ID_PATTERN, Fields, parse_yaml

SITE_FIELDS = ("title", "description", "language", "base_url", "domain", "stances")
STANCE_FIELDS = ("polarity", "meaning", "cameo")
POLARITIES = {"+": "+", "for": "+", "0": "0", "neither": "0", "-": "-", "against": "-"}
LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
DOMAIN = re.compile(rf"^(?=.{{1,253}}$)({LABEL}\.)+[A-Za-z]{{2,63}}$")
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def read_config(source: TextFile | None, diags: Diagnostics) -> SiteConfig:
    """The site's settings; defaults for what site.yaml leaves out (or when there is none)."""
    if source is None or not source.text.strip():
        return SiteConfig()
    root = parse_yaml(source.text, source.path, diags, empty_ok=True)
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


def base_url_of(value: str | None, fields: Fields | None, diags: Diagnostics) -> str | None:
    """An absolute http(s) URL ending in '/', or None (with an error when it is not one).

    `fields` is site.yaml's mapping; None when the value comes from `--base-url`.
    """
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        span = fields.span("base_url") if fields is not None else Span("--base-url")
        diags.error(span, f"'{value}' is not an absolute web address",
                    "write it in full, e.g. https://example.github.io/briefs/")
        return None
    return value if value.endswith("/") else value + "/"


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
