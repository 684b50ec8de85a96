"""Short-link codes derived from their target, so every app server computes the same code offline.

A code is 56 bits of BLAKE2b over ``REF#anchor`` in base62 (10 characters or fewer). With the
release's ~3 million paragraphs the chance of any collision is about 1 in 8,000; the store indexes
codes without a unique constraint so a collision can never break an import (the first target wins).
"""

from __future__ import annotations

import hashlib
import string

_ALPHABET = string.digits + string.ascii_letters


def short_code(ref_id: str, anchor: str | None = None) -> str:
    """The code of a cable (``anchor=None``) or of one of its paragraphs."""
    digest = hashlib.blake2b(f"{ref_id}#{anchor or ''}".encode(), digest_size=7).digest()
    number = int.from_bytes(digest, "big")
    chars = []
    while number:
        number, rest = divmod(number, 62)
        chars.append(_ALPHABET[rest])
    return "".join(reversed(chars)) or "0"


def is_well_formed(code: str) -> bool:
    """Cheap gate before any lookup: only base62, at most 10 characters."""
    return 0 < len(code) <= 10 and all(c in _ALPHABET for c in code)
