"""Griffe extension for the API reference: render ``Example:`` sections as examples.

minigrad's docstrings (Google style) introduce their doctests with ``Example:``,
sometimes followed by a title (``Example: a user-defined op``). Griffe's Google
parser only knows the plural ``Examples:`` and would render the singular as an
admonition of plain Markdown, turning ``>>>`` into block quotes. This extension
rewrites the heading to ``Examples:`` (keeping any title as the section's first
line of text) before the docstring is parsed, so the doctests render as code.

Loaded by ``mkdocs.yml`` (``extensions: [docs/griffe_examples.py:ExampleSections]``).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_HEADING = re.compile(r"^(?P<indent>[ \t]*)Example:[ \t]*(?P<title>.*?)[ \t]*$", re.MULTILINE)


def rewrite_example_headings(text: str) -> str:
    """Turn ``Example:`` / ``Example: title`` lines into ``Examples:`` sections.

    >>> rewrite_example_headings("Sum.\\n\\nExample: twice\\n    x = 1").splitlines()
    ['Sum.', '', 'Examples:', '    twice', '', '    x = 1']
    >>> rewrite_example_headings("Example:\\n    x = 1").splitlines()
    ['Examples:', '    x = 1']
    """

    def heading(m: re.Match[str]) -> str:
        indent, title = m["indent"], m["title"]
        if not title:
            return f"{indent}Examples:"
        return f"{indent}Examples:\n{indent}    {title}\n"

    return _HEADING.sub(heading, text)


class ExampleSections(griffe.Extension):
    """Rewrite ``Example:`` headings in every docstring before it is parsed."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        docstring = obj.docstring
        if docstring is not None and "Example:" in docstring.value:
            docstring.value = rewrite_example_headings(docstring.value)
