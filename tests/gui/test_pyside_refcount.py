"""Guards the PySide6 pin: 6.12.0 under Python 3.11 lost a reference to ``None`` on every
void call, and the app died with "deallocating None" after a few thousand of them."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer


def test_void_qt_calls_do_not_leak_references_to_none() -> None:
    timer = QTimer()
    before = sys.getrefcount(None)
    for _ in range(10_000):
        timer.setInterval(5)
    assert abs(sys.getrefcount(None) - before) < 100
