"""A function imported on its first call, for tables of readers and strippers.

A run of JPEGs (or of MP4s) should not import every container's code at start-up: each
table entry names its module and function, and the module is imported when the entry is
first called (``strip.STRIPPERS``, ``metadata.video.read.READERS``).
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import ModuleType
    from typing import Any


def import_module(name: str) -> ModuleType:
    """``importlib.import_module(name)`` for an absolute ``name``, without ``importlib``
    (its package is ~1.8M instructions of a strip's start-up by the console script)."""
    __import__(name)
    return sys.modules[name]


def on_first_call(module: str, name: str) -> Callable[..., Any]:
    """``module.name``, imported when the returned function is first called."""

    def call(*args: Any) -> Any:
        return getattr(import_module(module), name)(*args)

    call.__name__ = call.__qualname__ = name
    return call


class LazyModule:
    """A module imported on its first attribute access: ``re`` for code that needs it only
    for some inputs (``re`` brings ``enum`` and ``functools``, ~2.5 ms of a video strip's
    start-up, for a packet that has no value a pattern must read)."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(import_module(self._name), attr)
