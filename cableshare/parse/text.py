"""One cable from any single-cable text: an HTML page, a pasted page, a conversion, a bare cable."""

from __future__ import annotations

from cableshare.model import Cable
from cableshare.parse.csvrows import looks_like_csv, read_rows
from cableshare.parse.errors import ParseError
from cableshare.parse.htmlpage import is_html, parse_page
from cableshare.parse.textforms import parse_bare, parse_five_line, parse_pasted


def decode(data: bytes) -> str:
    """UTF-8 when it is (a BOM dropped), else cp1252 (the converter's ¶ is byte 0xB6), else
    Latin-1; line ends normalised to ``\\n``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_text(text: str, *, source: str = "<text>") -> Cable:
    """The cable in ``text``, whichever single-cable form it has; ``ParseError`` when none."""
    if not isinstance(text, str):
        raise ParseError(source, None, f"expected text, got {type(text).__name__}")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not text.strip():
        raise ParseError(source, None, "empty input")
    try:
        if looks_like_csv(text[:4096].lstrip("\ufeff \n")):
            for item in read_rows(iter(text.splitlines(keepends=True)), source):
                if isinstance(item, ParseError):
                    raise item
                return item
        if is_html(text):
            return parse_page(text, source)
        for reader in (parse_pasted, parse_five_line, parse_bare):
            cable = reader(text, source)
            if cable is not None:
                return cable
    except ValueError as exc:  # an impossible date in otherwise readable metadata
        raise ParseError(source, None, str(exc)) from None
    raise ParseError(source, None, "no cable found (no metadata table, header lines or routing lines)")
