"""Quote cards: the 1200×630 PNG that link previews show for a paragraph (or a cable's subject).

Text is only ever drawn: control and bidi-override characters are dropped, and the BASIC layout
engine is forced so the bytes are identical on every server (raqm may or may not be installed),
which is what makes the strong ETag and a CDN's copy valid. Rendering is pure (no Flask).
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from cableshare.model import Cable, Paragraph

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
QUOTE_BOX = (MARGIN + 24, 84, WIDTH - MARGIN, HEIGHT - 150)  # left, top, right, bottom
QUOTE_SIZES = (46, 42, 38, 34, 30, 27, 24)
MAX_QUOTE_CHARS = 1200  # more never fits at the smallest size; cuts 10,000-char input early
MAX_LINE_CHARS = 200  # no line of the card holds more, so no measurement need be longer
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
BACKGROUND, INK, MUTED, ACCENT = "#faf7f0", "#1d1d1f", "#5b5b60", "#a3262a"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def caption(cable: Cable, paragraph: Paragraph | None = None) -> str:
    """``07MOSCOW1143 ¶5 — Embassy Moscow, 16 Mar 2007`` (month names fixed, not locale-bound)."""
    when = f"{cable.created.day} {MONTHS[cable.created.month - 1]} {cable.created.year}"
    mark = f" ¶{paragraph.number}" if paragraph else ""
    return f"{cable.ref_id}{mark} — {cable.origin}, {when}"


def render_card(cable: Cable, paragraph: Paragraph | None = None) -> bytes:
    """The PNG for a paragraph's quote, or for the cable's subject when ``paragraph`` is None."""
    text = paragraph.text if paragraph else cable.subject
    return render(clean(text) or cable.ref_id, clean(caption(cable, paragraph)))


@functools.lru_cache(maxsize=128)
def render(quote: str, footer: str) -> bytes:
    """Draw and encode a card; cached because the same few cards are asked for again and again."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    font, line_height, lines = fit_quote(quote)
    left, top = QUOTE_BOX[0], QUOTE_BOX[1]
    draw.rectangle((MARGIN, top, MARGIN + 6, top + len(lines) * line_height), fill=ACCENT)
    for number, line in enumerate(lines):
        draw.text((left, top + number * line_height), line, font=font, fill=INK)
    small = load_font("DejaVuSans-Bold.ttf", 28)
    draw.text((MARGIN, HEIGHT - 110), ellipsize(footer, small, WIDTH - 2 * MARGIN), font=small,
              fill=MUTED)
    draw.text((MARGIN, HEIGHT - 64), "cableshare", font=load_font("DejaVuSans.ttf", 24), fill=ACCENT)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def clean(text: str) -> str:
    """Drop control/format characters (incl. RTL overrides) and collapse whitespace."""
    text = "".join(" " if ch.isspace() else ch for ch in text[: MAX_QUOTE_CHARS * 2]
                   if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))
    return re.sub(r" +", " ", text).strip()


def fit_quote(quote: str) -> tuple[Font, int, list[str]]:
    """Largest size at which the quote fits the box; at the smallest, cut with an ellipsis."""
    width, height = QUOTE_BOX[2] - QUOTE_BOX[0], QUOTE_BOX[3] - QUOTE_BOX[1]
    quote = quote if len(quote) <= MAX_QUOTE_CHARS else quote[:MAX_QUOTE_CHARS] + "…"
    for size in QUOTE_SIZES:
        font, line_height = load_font("DejaVuSerif.ttf", size), int(size * 1.35)
        max_lines = max(1, height // line_height)
        lines = wrap(f"“{quote}”", font, width)
        if len(lines) <= max_lines:
            return font, line_height, lines
    kept = lines[:max_lines]
    kept[-1] = ellipsize(kept[-1] + " " + "x" * 200, font, width)  # force the ellipsis on
    return font, line_height, kept


def wrap(text: str, font: Font, width: int) -> list[str]:
    """Greedy word wrap by measured width; words wider than a line are broken anywhere."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while len(word) > MAX_LINE_CHARS or font.getlength(word) > width:
            cut = _longest_prefix(word, font, width)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def ellipsize(text: str, font: Font, width: int) -> str:
    """``text`` if it fits in ``width``, else its longest prefix that fits followed by ``…``."""
    if font.getlength(text) <= width:
        return text
    cut = _longest_prefix(text, font, width - font.getlength("…"))
    return text[:cut].rstrip() + "…"


def _longest_prefix(text: str, font: Font, width: float) -> int:
    """Binary search over at most ``MAX_LINE_CHARS``: a few short measurements (at least 1)."""
    low, high = 1, min(len(text), MAX_LINE_CHARS)
    while low < high:
        middle = (low + high + 1) // 2
        if font.getlength(text[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


@functools.cache
def load_font(name: str, size: int) -> Font:
    """DejaVu from Debian's fonts-dejavu-core; Pillow's bundled font where that is not installed."""
    path = FONT_DIR / name
    if path.is_file():
        return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)
    return ImageFont.load_default(size=size)
