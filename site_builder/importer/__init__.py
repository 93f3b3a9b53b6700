"""`site-builder import`: a raw article (text, Markdown or a saved web page) becomes a draft brief.

`run` drives it: `importfiles` reads and writes, `cleaning` and `htmltext`
recover the article's text, `quotes`, `attribution` and `coreference` find
quotations and who said them, `speakers` resolves them to actors, `drafting`
and `yamltext` write the Markdown and YAML.
"""
