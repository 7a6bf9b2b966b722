"""A function imported on its first call, for tables of readers and strippers.

A run of JPEGs (or of MP4s) should not import every container's code at start-up: each
table entry names its module and function, and the module is imported when the entry is
first called (``strip.STRIPPERS``, ``metadata.video.read.READERS``).
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def on_first_call(module: str, name: str) -> Callable[..., Any]:
    """``module.name``, imported when the returned function is first called."""

    def call(*args: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args)

    call.__name__ = call.__qualname__ = name
    return call
