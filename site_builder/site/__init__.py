"""The site as pages: what links to what, and where every page lives.

`index` cross-links the checked briefs into the records of `views` (actor
timelines, claim threads), `urls` says where each page lives and how pages
link, `pages` plans every page (its path, template, context and what it
depends on), `hostfiles` writes robots.txt, sitemap.xml and the other files a
web host reads.
"""
