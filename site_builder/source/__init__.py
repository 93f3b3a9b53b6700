"""The sources of a site, read and checked: site.yaml, briefs/*.md and *.yaml, the actors.

`load` reads the files (keeping every value's line and column), `config` and
`annotations` turn them into the records of `model`, `validate` checks the site
across files, and `names` says which actors' names articles are searched for.
Nothing here reads an article's text beyond storing it.
"""
