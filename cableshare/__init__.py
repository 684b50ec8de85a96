"""cableshare: cite and share paragraphs of the Cablegate cables.

Modules read as the data flows: parse → store → resolve → share → render. None imports Flask.
"""
