"""Files for hosts and crawlers: sitemap.xml, robots.txt, CNAME and .nojekyll.

A sitemap needs absolute addresses, so it is written only when the site
knows its base URL (`base_url` in site.yaml or `--base-url`). `.nojekyll`
stops GitHub Pages from running Jekyll over the output (its mere presence
does; what it says, `OUTPUT_MARK`, proves the folder is site-builder's, which
a build may then replace); CNAME names a custom domain given as `domain` in
site.yaml.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from xml.sax.saxutils import escape

from ..source.model import SiteConfig
from . import urls

# The bytes of `.nojekyll` in every output: a folder holding them was written by site-builder.
OUTPUT_MARK = b"Written by site-builder: each build replaces everything in this folder.\n"


def host_files(config: SiteConfig, pages: Iterable[str],
               dates: Mapping[str, dt.date]) -> dict[str, bytes]:
    files = {".nojekyll": OUTPUT_MARK, "robots.txt": _robots(config).encode("utf-8")}
    if config.base_url:
        files["sitemap.xml"] = _sitemap(config.base_url, pages, dates).encode("utf-8")
    if config.domain:
        files["CNAME"] = f"{config.domain}\n".encode()
    return files


def _robots(config: SiteConfig) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if config.base_url:
        lines.append(f"Sitemap: {config.base_url}sitemap.xml")
    return "\n".join(lines) + "\n"


def _sitemap(base_url: str, pages: Iterable[str], dates: Mapping[str, dt.date]) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in sorted(p for p in pages if p.endswith("index.html") and not urls.is_embed(p)):
        out.append(f"  <url><loc>{escape(base_url + urls.pretty(path))}</loc>")
        if path in dates:
            out.append(f"    <lastmod>{dates[path].isoformat()}</lastmod>")
        out.append("  </url>")
    out.append("</urlset>")
    return "\n".join(out) + "\n"
