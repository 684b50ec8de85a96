"""The share engine's named failures: each carries what a user needs to fix the input.

Nothing here knows about HTTP or click; ``webapp.errors`` maps classes to status codes and the CLI
to ``click.ClickException``. Every error has a stable ``code`` and a readable ``message``.
"""

from __future__ import annotations

from collections.abc import Sequence


class ShareError(Exception):
    """Base of every user-facing failure of resolve/share; ``code`` is stable for API clients."""

    code = "share_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class BadReference(ShareError):
    """The input cannot be read as a cable reference, URL or paragraph at all."""

    code = "bad_reference"


class UnknownCable(ShareError):
    """A well-formed reference that is not in the corpus; ``suggestions`` are refs that are."""

    code = "unknown_cable"

    def __init__(self, ref_id: str, suggestions: Sequence[str] = ()) -> None:
        self.ref_id = ref_id
        self.suggestions = list(suggestions)
        hint = (f" Did you mean {_or_list(self.suggestions)}?" if self.suggestions
                else " Check the reference; it is written like 07MOSCOW1143.")
        super().__init__(f"No cable {ref_id} in the corpus.{hint}")


class NoSuchParagraph(ShareError):
    """The cable exists but has no such paragraph; ``available`` lists its anchors in order."""

    code = "no_such_paragraph"

    def __init__(self, ref_id: str, paragraph: str, available: Sequence[str]) -> None:
        self.ref_id, self.paragraph = ref_id, paragraph
        self.available = list(available)
        super().__init__(_paragraph_message(ref_id, paragraph, self.available))


class InvalidHashtag(ShareError):
    """A user hashtag that X would not extract whole (``#16``, ``#a-b``, spaces…)."""

    code = "invalid_hashtag"

    def __init__(self, tag: str, why: str = "") -> None:
        self.tag = tag
        super().__init__(f"{tag!r}: {why}." if why else
                         f"{tag!r} is not a hashtag networks would recognise: use letters, digits "
                         "and underscores with at least one letter, e.g. #Kosovo.")


class QuoteNotFound(ShareError):
    """The quote is not an exact substring of the paragraph (or, for a whole cable, its body)."""

    code = "quote_not_found"

    def __init__(self, ref_id: str, where: str) -> None:
        self.ref_id = ref_id
        super().__init__(f"The quote does not occur in {where} of {ref_id}; select text from it exactly.")


class BadInstance(ShareError):
    """A Mastodon instance that is not a bare host name (``mastodon.social``)."""

    code = "bad_instance"

    def __init__(self, instance: str) -> None:
        self.instance = instance
        super().__init__(f"{instance[:80]!r} is not a Mastodon server name; give a bare host name "
                         "such as mastodon.social.")


class UnknownShortLink(ShareError):
    """A ``/s/<code>`` that no cable or paragraph has."""

    code = "unknown_short_link"

    def __init__(self, code: str) -> None:
        self.short_code = code
        super().__init__(f"No cable or paragraph has the short link code {code[:20]!r}.")


def _or_list(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _paragraph_message(ref_id: str, paragraph: str, available: Sequence[str]) -> str:
    shown = paragraph.removeprefix("par")
    shown = shown if len(shown) <= 12 else shown[:12] + "…"
    if not available:
        return f"cable {ref_id} has no numbered paragraphs; ¶{shown} does not exist. Share the whole cable."
    numbers = [a.removeprefix("par") for a in available]
    listed = (f"¶{numbers[0]}–¶{numbers[-1]}" if numbers == [str(i) for i in range(1, len(numbers) + 1)]
              and len(numbers) > 2 else ", ".join(f"¶{n}" for n in numbers))
    noun = "paragraph" if len(available) == 1 else "paragraphs"
    return f"cable {ref_id} has {len(available)} {noun}; ¶{shown} does not exist (it has {listed})."
