"""Share page weight per paragraph of the sample cable; figures printed, never asserted.

    python bench/page_weight.py                  # every paragraph of 07MOSCOW1143
    python bench/page_weight.py --mirrors        # with a mirror configured (one more link row)

Weight is uncompressed bytes, as a first visit transfers them without gzip: the page (Flask test
client, no network) plus every ``/static`` asset it references, each counted once. An
``http(s)://`` or ``//`` URL in a ``src``, ``srcset``, a fetched ``<link>`` (stylesheet, icon,
preload, manifest), CSS ``url()`` or ``@import`` would be a request to another origin: those
are counted. Links people click (``<a href>``) and ones no browser fetches while rendering
(``canonical``, the oEmbed ``alternate``, which name this site's own public URL) are not.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import create_app

REF = "07MOSCOW1143"
MIRROR = "mirror=https://mirror.example/cable/{year}/{month}/{ref}.html#{anchor}"
_FETCHED_LINK = r"""<link\b(?=[^>]*\brel="(?:stylesheet|icon|preload|modulepreload|manifest)")[^>]*"""
_ASSET = re.compile(rf"""<(?:script|img|source|iframe)\b[^>]*\bsrc="([^"]+)"|{_FETCHED_LINK}\bhref="([^"]+)"|"""
                    r"""\bsrcset="([^"]+)"|url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""")


def references(text: str) -> list[str]:
    """URLs a browser would fetch while rendering ``text`` (HTML or CSS)."""
    return [next(g for g in m.groups() if g) for m in _ASSET.finditer(text)]


def other_origin(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


def page_weight(client, path: str) -> tuple[int, int, dict[str, int]]:
    """(total bytes, other-origin references, bytes per part) of one page and its assets."""
    html = client.get(path).get_data()
    parts = {"html": len(html)}
    pending, foreign = references(html.decode()), 0
    while pending:
        url = pending.pop()
        if other_origin(url):
            foreign += 1
        elif url.startswith("/static/") and url not in parts:
            body = client.get(url).get_data()
            parts[url] = len(body)
            if url.endswith(".css"):
                pending += references(body.decode())
    return sum(parts.values()), foreign, parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", action="store_true", help=f"configure {MIRROR}")
    args = parser.parse_args()
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False,
                      "DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/weight.db",
                      "PUBLIC_BASE_URL": "https://cableshare.example.org",
                      "MIRRORS": MIRROR if args.mirrors else ""})
    client = app.test_client()
    paragraphs = client.get("/api/v1/cables/" + REF).get_json()["paragraphs"]
    weights, foreign = [], 0
    for par in paragraphs:
        total, other, parts = page_weight(client, f"/share/{REF}/{par['anchor']}")
        weights.append(total)
        foreign += other
        detail = " ".join(f"{name.removeprefix('/static/')}={size}" for name, size in parts.items())
        print(f"¶{par['number']:>3} {par['anchor']:<8} {total / 1000:6.1f} KB  ({detail})")
    print(f"{REF}: {len(weights)} paragraphs, max {max(weights) / 1000:.1f} KB, median "
          f"{statistics.median(weights) / 1000:.1f} KB (uncompressed bytes, 1 KB = 1000 B); "
          f"other-origin references: {foreign}")


if __name__ == "__main__":
    main()
