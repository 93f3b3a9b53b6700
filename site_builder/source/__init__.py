"""The sources of a site, read and checked: site.yaml, briefs/*.md and *.yaml, the actors.

`load` reads the files (keeping every value's line and column), `config` and
`annotations` turn them into the records of `model`, and `validate` checks the
site across files. Nothing here reads an article's text beyond storing it.
"""
