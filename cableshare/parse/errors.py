"""The one exception the parser reports with: where (file, archive member, line) and what."""

from __future__ import annotations


class ParseError(Exception):
    """A file, archive member or CSV row that could not be read as a cable.

    ``read_sources`` yields these instead of raising them, so one bad row never stops an import;
    ``str()`` is ``path:line: message`` (or ``path: message`` when no line is known), the form the
    importer and the CLI print.
    """

    def __init__(self, source: str, line: int | None, message: str) -> None:
        self.source = source
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.message}"

    def __reduce__(self):  # keep pickling (multiprocessing, pytest-xdist) working with 3 args
        return (type(self), (self.source, self.line, self.message))
