"""Counts of the parser over the real cables in ``../shared/cables``, and its speed on CSV.

    python bench/parse_report.py [--csv bench/out/cables.csv]

Prints files, cables, paragraphs, parse errors, cables without numbered paragraphs, release
pages where we found paragraphs the site did not anchor, real site anchors we do not have, and
parse throughput against raw ``csv.reader`` on the corpus's CSV files (or on ``--csv``).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CABLES = ROOT.parent / "shared" / "cables"
ANCHOR = re.compile(r"<a id='par([^']*)' href='#par")


def site_anchors(page: str) -> tuple[set[str], set[str]]:
    """(every anchor id of the page's body, the in-sequence numeric ones: real paragraphs)."""
    found = ANCHOR.findall(page.rsplit("<code><pre>", 1)[-1])
    last, real = 0, set()
    for a in found:
        if a.isdigit() and (last < int(a) <= last + 3 or a == "1"):
            real.add(f"par{a}")
            last = int(a)
    return {f"par{a}" for a in found}, real


def corpus_counts(read_sources, split_unnumbered) -> None:
    files = [p for k in ("html", "csv", "text", "seed") for p in sorted((CABLES / k).rglob("*.*"))]
    cables = [c for c in read_sources(files)]
    ok = [c for c in cables if hasattr(c, "paragraphs")]
    print(f"files {len(files):,}  cables {len(ok):,}  parse errors {len(cables) - len(ok)}  "
          f"paragraphs {sum(len(c.paragraphs) for c in ok):,}  "
          f"without numbered paragraphs {sum(1 for c in ok if split_unnumbered(c)):,}")
    more = lost = more_pars = 0
    pages = sorted((CABLES / "html").rglob("*.html"))
    for path, cable in zip(pages, read_sources(pages)):
        every, real = site_anchors(path.read_text(encoding="utf-8"))
        ours = {p.anchor for p in cable.paragraphs} if not split_unnumbered(cable) else set()
        extra = ours - every
        more += bool(extra)
        more_pars += len(extra)
        lost += len(real - ours)
    print(f"release pages {len(pages):,}: {more:,} where we found {more_pars:,} paragraphs the site did "
          f"not anchor; {lost} real site anchors we do not reproduce")


def speed(read_sources, paths: list[Path]) -> None:
    csv.field_size_limit(1 << 30)
    size = sum(p.stat().st_size for p in paths)
    start = time.perf_counter()
    for p in paths:
        with p.open(newline="", encoding="utf-8") as fh:
            for _ in csv.reader(fh, escapechar="\\", doublequote=False):
                pass
    raw = time.perf_counter() - start
    start = time.perf_counter()
    n = sum(1 for _ in read_sources(paths))
    parse = time.perf_counter() - start
    print(f"csv {size / 1e6:,.1f} MB, {n:,} cables: csv.reader {size / 1e6 / raw:,.0f} MB/s, "
          f"parse {size / 1e6 / parse:,.0f} MB/s ({n / parse:,.0f} cables/s), ratio {raw / parse:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, help="time this cables.csv instead of the corpus's CSV files")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from cableshare.parse import read_sources
    from cableshare.parse.lines import clean_lines
    from cableshare.parse.paragraphs import find_starts

    def unnumbered(cable) -> bool:
        """Paragraphs from the fallback (blank-line blocks), not from printed numbers."""
        return bool(cable.paragraphs) and not find_starts(clean_lines(cable.body)[0])

    if not CABLES.is_dir():
        sys.exit(f"{CABLES} is not present")
    corpus_counts(read_sources, unnumbered)
    speed(read_sources, [args.csv] if args.csv else sorted((CABLES / "csv").glob("*.csv")))


if __name__ == "__main__":
    main()
