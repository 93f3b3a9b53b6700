"""`site-builder import`: a raw article (text, Markdown or a saved web page) becomes a draft brief.

`run` drives it: `importfiles` reads and writes, `htmltext`, `cleaning`,
`chrome` and `header` recover the article's text and details, `quotes`,
`attribution`, `mentions` and `coreference` find quotations and who said them
(and whether that is certain), `speakers` resolves them to actors, `drafting`
and `yamltext` write the Markdown and YAML.
"""
