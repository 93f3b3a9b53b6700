"""An article's text: what a reader sees, the quotes anchored in it, the actors it names.

`readertext` projects the Markdown into the text a reader sees; `anchor` finds each
claim's and response's quote in it; `mentions` finds the actors an article names;
`marks` writes the article's HTML with quotes marked and first mentions linked;
`articles` runs all of it for one brief (the per-brief stage, pure, run on every core).
"""
