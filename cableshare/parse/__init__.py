"""Read cables from the forms users bring: release pages, pasted page text, text conversions,
``cables.csv`` (streamed), plain or compressed, one file, many, or archives.

The domain has no Flask here: the importer, the CLI and the tests call the same functions.
"""

from __future__ import annotations

from cableshare.parse.errors import ParseError
from cableshare.parse.paragraphs import split_paragraphs
from cableshare.parse.refs import CitedRef, find_cited_refs
from cableshare.parse.sources import (
           SourceItem,
           detect_format,
           iter_items,
           read_item,
           read_sources,
)
from cableshare.parse.text import parse_text

__all__ = ["CitedRef", "ParseError", "SourceItem", "detect_format", "find_cited_refs", "iter_items",
           "parse_text", "read_item", "read_sources", "split_paragraphs"]
