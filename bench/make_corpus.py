"""Write a synthetic ``cables.csv`` in the release's exact format, for import benchmarks.

    python bench/make_corpus.py 251287 --out bench/out/cables.csv

Reference IDs and months come from the release's own index (``cable2month.csv.gz``); bodies
recombine real cables from ``../shared/cables/csv``: each cable takes a real cable's preamble
(classification line, E.O., TAGS, SUBJECT, REF) and as many numbered paragraphs as that cable
had, drawn from the pool of all real paragraphs (with their markings, headings and page breaks)
and renumbered. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import random
import re
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "cables"
NUMBERED = re.compile(r"^ ?(\d{1,2})\.", re.MULTILINE)
CLASSIFICATIONS = ["UNCLASSIFIED", "UNCLASSIFIED//FOR OFFICIAL USE ONLY", "CONFIDENTIAL",
                   "SECRET", "CONFIDENTIAL//NOFORN", "SECRET//NOFORN"]
CLASS_WEIGHTS = [75792, 58095, 97070, 11322, 4678, 4330]


def read_real_rows(shared: Path) -> list[list[str]]:
    csv.field_size_limit(1 << 30)
    rows = []
    for path in sorted((shared / "csv").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            rows += [r for r in csv.reader(fh, escapechar="\\", doublequote=False) if len(r) == 8]
    return rows


def split_body(body: str) -> tuple[str, list[str]]:
    """(preamble, numbered paragraph blocks) of a real body."""
    starts = [m.start() for m in NUMBERED.finditer(body)]
    if not starts:
        return body, []
    blocks = [body[a:b] for a, b in zip(starts, starts[1:] + [len(body)])]
    return body[:starts[0]], blocks


def read_refs(shared: Path) -> list[tuple[str, int]]:
    with gzip.open(shared / "cable2month.csv.gz", "rt", encoding="utf-8") as fh:
        return [(ref, int(month)) for ref, month in csv.reader(fh)]


def year_of(ref: str) -> int:
    yy = int(ref[:2]) if ref[:2].isdigit() else 0
    return 2000 + yy if yy < 50 else 1900 + yy


def quote(field: str) -> str:
    """The release's quoting: every field in double quotes, quotes inside written ``\\"``."""
    return '"' + field.replace("\\", "").replace('"', '\\"').replace("'", "\\'") + '"'


def synth_body(rng: random.Random, template: list[str], pool: list[str]) -> str:
    preamble, blocks = split_body(template[7])
    if not blocks:
        return template[7]
    out = [preamble]
    for number in range(1, len(blocks) + 1):
        block = rng.choice(pool)
        out.append(NUMBERED.sub(f"{number}.", block, count=1))
    return "".join(out)


def write_corpus(n: int, out: Path, seed: int) -> int:
    rng = random.Random(seed)
    rows = read_real_rows(SHARED)
    pool = [b for r in rows for b in split_body(r[7])[1]]
    refs = read_refs(SHARED)
    picked = refs if n >= len(refs) else sorted(rng.sample(refs, n))
    all_refs = [r for r, _ in refs]
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        for i, (ref, month) in enumerate(picked, 1):
            template = rng.choice(rows)
            created = f"{month}/{rng.randint(1, 28)}/{year_of(ref)} {rng.randint(0, 23)}:{rng.randint(0, 59):02d}"
            refs_field = ",".join(rng.sample(all_refs, rng.choice((0, 0, 1, 1, 2, 3))))
            fields = [str(i), created, ref, template[3], rng.choices(CLASSIFICATIONS, CLASS_WEIGHTS)[0],
                      refs_field, template[6], synth_body(rng, template, pool)]
            fh.write(",".join(quote(f) for f in fields) + "\n")
    return out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of cables (251287 = the full release)")
    parser.add_argument("--out", type=Path, default=Path("bench/out/cables.csv"))
    parser.add_argument("--seed", type=int, default=2010)
    args = parser.parse_args()
    start = time.perf_counter()
    size = write_corpus(args.n, args.out, args.seed)
    print(f"wrote {args.n} cables, {size / 1e6:.1f} MB to {args.out} in {time.perf_counter() - start:.1f} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
