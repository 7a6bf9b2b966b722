"""``NamedTuple`` for the records a strip builds at start-up, without importing ``typing``.

A ``@dataclass`` generates its methods with ``exec`` when its class is created (~1.4 ms a
class with ``dataclasses``' own import of ``inspect``), and ``typing`` costs ~5 ms to import:
together most of a video strip's start-up, which ExifTool's files/s is measured against. A
class written ``class Extent(NamedTuple)`` with this ``NamedTuple`` is exactly what
``typing.NamedTuple`` makes of it — a ``collections.namedtuple`` with the annotated fields,
their defaults, and the methods, properties and docstring of the class body — and the type
checker sees ``typing.NamedTuple`` itself. Records are then tuples: frozen, compared and
hashed by value, copied with ``_replace``.
"""

from __future__ import annotations

import collections

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    # What a class body may not set (``typing``'s own rule): the namedtuple makes them.
    _PROHIBITED = frozenset(
        {"__init__", "__new__", "__slots__", "__getnewargs__", "_fields", "_field_defaults",
         "_make", "_replace", "_asdict", "_source"}
    )  # fmt: skip
    _SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})

    class _NamedTupleMeta(type):
        def __new__(mcs, typename, bases, ns):
            if not bases:  # ``NamedTuple`` itself
                return super().__new__(mcs, typename, bases, ns)
            if bases != (NamedTuple,):
                raise TypeError("can only inherit from NamedTuple")
            fields = list(ns.get("__annotations__", {}))
            defaults = []
            for name in fields:
                if name in ns:
                    defaults.append(ns[name])
                elif defaults:
                    raise TypeError(f"Non-default namedtuple field {name} cannot follow a default")
            cls = collections.namedtuple(
                typename, fields, defaults=defaults, module=ns["__module__"]
            )
            cls.__annotations__ = dict(ns.get("__annotations__", {}))
            for key, value in ns.items():
                if key in _PROHIBITED:
                    raise AttributeError(f"Cannot overwrite NamedTuple attribute {key}")
                if key not in _SPECIAL and key not in fields:
                    setattr(cls, key, value)
            return cls

    class NamedTuple(metaclass=_NamedTupleMeta):
        """Base of a named tuple class (see the module docstring)."""
