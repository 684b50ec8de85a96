"""From paths to cables: files, directories, globs and archives, each read in its own format.

Every input unit (a file, or one member of a zip) is a ``SourceItem``. CSV is streamed row by
row; the other formats hold one cable per file and are read whole (bounded by ``MAX_SINGLE``).
"""

from __future__ import annotations

import bz2
import glob
import gzip
import io
import lzma
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from cableshare.model import Cable
from cableshare.parse.csvrows import looks_like_csv, read_rows
from cableshare.parse.errors import ParseError
from cableshare.parse.text import decode, parse_text

MAX_SINGLE = 64 * 1024 * 1024  # a single cable page is < 1 MB; anything this big is not one
_COMPRESSED: dict[str, Callable[[str, str], IO[bytes]]] = {
    ".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}  # type: ignore[dict-item]
# Walking a directory reads these (and files without an extension); named files are always read.
_WALK_EXTENSIONS = {".html", ".htm", ".txt", ".csv", ".gz", ".bz2", ".xz", ".zip", ""}


@dataclass(frozen=True)
class SourceItem:
    """One readable unit: ``name`` is the path, or ``archive.zip!member`` for a zip member;
    ``open`` returns its (decompressed) bytes as a binary stream."""

    name: str
    open: Callable[[], IO[bytes]]


def detect_format(head: bytes | str) -> str:
    """``"html"``, ``"csv"`` (cables.csv rows) or ``"text"`` from the first few KB of a source."""
    if isinstance(head, bytes):
        head = head[:8192].decode("utf-8", errors="replace")
    start = head.lstrip("\ufeff \t\r\n")[:8192]
    lower = start[:4096].lower()
    if lower.startswith(("<?xml", "<!doctype html", "<html")) or "<table class='cable'>" in lower:
        return "html"
    if looks_like_csv(start):
        return "csv"
    return "text"


def _opener(path: str) -> Callable[[], IO[bytes]]:
    for suffix, open_ in _COMPRESSED.items():
        if path.lower().endswith(suffix):
            return lambda: open_(path, "rb")
    return lambda: open(path, "rb")


def _zip_items(path: str) -> Iterator[SourceItem | ParseError]:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        yield ParseError(path, None, f"unreadable zip archive: {exc}")
        return
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if not info.is_dir():
                yield SourceItem(f"{path}!{info.filename}",
                                 lambda info=info: archive.open(info))  # type: ignore[misc]


def _expand(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str | ParseError]:
    for raw in paths:
        path = os.fspath(raw)
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    ext = os.path.splitext(name)[1].lower()
                    if not name.startswith(".") and ext in _WALK_EXTENSIONS:
                        yield os.path.join(root, name)
        elif os.path.exists(path):
            yield path
        elif glob.has_magic(path):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                yield ParseError(path, None, "no file matches this pattern")
            yield from _expand(matches)
        else:
            yield ParseError(path, None, "no such file or directory")


def iter_items(paths: Iterable[str | os.PathLike[str]]) -> Iterator[SourceItem | ParseError]:
    """Every input unit behind ``paths``: files, directories (recursive, sorted), globs, zips."""
    for path in _expand(paths):
        if isinstance(path, ParseError):
            yield path
        elif path.lower().endswith(".zip"):
            yield from _zip_items(path)
        else:
            yield SourceItem(path, _opener(path))


def read_item(item: SourceItem) -> Iterator[Cable | ParseError]:
    """The cables of one unit, in its detected format; failures come out as ``ParseError``."""
    try:
        with item.open() as raw:
            stream: Any = raw if hasattr(raw, "peek") else io.BufferedReader(raw)
            head = stream.peek(8192)[:8192]
            if detect_format(head) == "csv":
                text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="")
                yield from read_rows(text, item.name)
                return
            data = stream.read(MAX_SINGLE + 1)
    except (OSError, EOFError, lzma.LZMAError, zipfile.BadZipFile, ValueError) as exc:
        yield ParseError(item.name, None, f"unreadable file: {exc}")
        return
    if len(data) > MAX_SINGLE:
        yield ParseError(item.name, None, "too large for a single cable (not a cables.csv file)")
        return
    try:
        yield parse_text(decode(data), source=item.name)
    except ParseError as exc:
        yield exc


def read_sources(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Cable | ParseError]:
    """Cables from files, directories, globs and .gz/.bz2/.xz/.zip files, streamed; each broken
    file or row is yielded as a ``ParseError`` and the iteration goes on."""
    for item in iter_items(paths):
        if isinstance(item, ParseError):
            yield item
        else:
            yield from read_item(item)
