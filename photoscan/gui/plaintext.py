"""Tooltips of hostile text (file names, metadata values) shown as the characters they are.

Qt shows a tooltip as rich text whenever ``Qt.mightBeRichText`` guesses so, and labels are
not the only place a file's strings reach the screen: a file named ``<b>x</b>.jpg`` or a
caption ``<img src=…>`` in a tooltip would be rendered as markup. ``plain_tip`` turns such
text into escaped HTML that renders back to exactly its characters; other text is left as it
is (a plain tooltip wraps as Qt wraps plain text).
"""

from __future__ import annotations

from PySide6.QtGui import Qt


def plain_tip(text: str) -> str:
    """``text`` as a tooltip that shows its characters, never its markup."""
    return Qt.convertFromPlainText(text) if Qt.mightBeRichText(text) else text
