"""``NamedTuple`` for the records a strip builds at start-up, without importing ``typing``.

A ``@dataclass`` generates its methods with ``exec`` when its class is created (~1.4 ms a
class with ``dataclasses``' own import of ``inspect``), and ``typing`` costs ~5 ms to import:
together most of a video strip's start-up, which ExifTool's files/s is measured against. A
class written ``class Extent(NamedTuple)`` with this ``NamedTuple`` is exactly what
``typing.NamedTuple`` makes of it — a ``collections.namedtuple`` with the annotated fields,
their defaults, and the methods, properties and docstring of the class body — and the type
checker sees ``typing.NamedTuple`` itself. Records are then tuples: frozen, compared and
hashed by value, copied with ``_replace``.

``collections.namedtuple`` compiles each class's ``__new__`` from source (``eval``), ~60 µs
a class; here the code of ``__new__`` is compiled once per number of fields and each class
gets a copy with its own argument names (``CodeType.replace``): the same function, the
same keywords, defaults and errors, for ~40 record classes at start-up.
"""

from __future__ import annotations

import sys
from keyword import iskeyword

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    from _collections import _tuplegetter  # collections's own (its package costs start-up)

    # What a class body may not set (``typing``'s own rule): the namedtuple makes them.
    _PROHIBITED = frozenset(
        {"__init__", "__new__", "__slots__", "__getnewargs__", "_fields", "_field_defaults",
         "_make", "_replace", "_asdict", "_source"}
    )  # fmt: skip
    _SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})
    _NEW_GLOBALS = {"_tuple_new": tuple.__new__, "__builtins__": {}}
    _NEW_CODE: dict[int, object] = {}  # number of fields -> code of ``__new__``
    _function = type(lambda: None)  # types.FunctionType

    def _new_code(count):
        """The code of ``lambda _cls, _0, ..: _tuple_new(_cls, (_0, ..))``, compiled once."""
        code = _NEW_CODE.get(count)
        if code is None:
            args = ", ".join(f"_{i}" for i in range(count)) + ("," if count == 1 else "")
            source = f"lambda _cls, {args}: _tuple_new(_cls, ({args}))"
            code = _NEW_CODE[count] = eval(source, _NEW_GLOBALS).__code__
        return code

    def namedtuple(typename, field_names, defaults, module):
        """``collections.namedtuple(typename, field_names, defaults=defaults,
        module=module)``, with ``__new__`` made from ``_new_code``."""
        for name in (typename, *field_names):
            if not name.isidentifier() or iskeyword(name):
                raise ValueError(f"Type names and field names must be valid identifiers: {name!r}")
        seen = set()
        for name in field_names:
            if name.startswith("_"):
                raise ValueError(f"Field names cannot start with an underscore: {name!r}")
            if name in seen:
                raise ValueError(f"Encountered duplicate field name: {name!r}")
            seen.add(name)
        typename = sys.intern(typename)
        fields = tuple(map(sys.intern, field_names))
        defaults = tuple(defaults)
        field_defaults = dict(zip(fields[len(fields) - len(defaults) :], defaults, strict=True))
        num_fields = len(fields)
        arg_list = ", ".join(fields) + ("," if num_fields == 1 else "")
        repr_fmt = "(" + ", ".join(f"{name}=%r" for name in fields) + ")"
        tuple_new = tuple.__new__
        code = _new_code(num_fields).replace(
            co_varnames=("_cls", *fields), co_name="__new__", co_qualname=f"{typename}.__new__"
        )
        namespace = {**_NEW_GLOBALS, "__name__": f"namedtuple_{typename}"}
        __new__ = _function(code, namespace, "__new__", defaults)
        __new__.__doc__ = f"Create new instance of {typename}({arg_list})"

        @classmethod
        def _make(cls, iterable):
            result = tuple_new(cls, iterable)
            if len(result) != num_fields:
                raise TypeError(f"Expected {num_fields} arguments, got {len(result)}")
            return result

        _make.__func__.__doc__ = f"Make a new {typename} object from a sequence or iterable"

        def _replace(self, /, **kwds):
            result = self._make(map(kwds.pop, fields, self))
            if kwds:
                raise ValueError(f"Got unexpected field names: {list(kwds)!r}")
            return result

        _replace.__doc__ = (
            f"Return a new {typename} object replacing specified fields with new values"
        )

        def __repr__(self):
            "Return a nicely formatted representation string"
            return self.__class__.__name__ + repr_fmt % self

        def _asdict(self):
            "Return a new dict which maps field names to their values."
            return dict(zip(self._fields, self, strict=False))

        def __getnewargs__(self):
            "Return self as a plain tuple.  Used by copy and pickle."
            return tuple(self)

        for method in (_make.__func__, _replace, __repr__, _asdict, __getnewargs__):
            method.__qualname__ = f"{typename}.{method.__name__}"
        namespace = {
            "__doc__": f"{typename}({arg_list})",
            "__slots__": (),
            "_fields": fields,
            "_field_defaults": field_defaults,
            "__new__": __new__,
            "_make": _make,
            "_replace": _replace,
            "__repr__": __repr__,
            "_asdict": _asdict,
            "__getnewargs__": __getnewargs__,
            "__match_args__": fields,
        }
        for index, name in enumerate(fields):
            namespace[name] = _tuplegetter(index, sys.intern(f"Alias for field number {index}"))
        result = type(typename, (tuple,), namespace)
        result.__module__ = module
        return result

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
            cls = namedtuple(typename, fields, defaults, ns["__module__"])
            cls.__annotations__ = dict(ns.get("__annotations__", {}))
            for key, value in ns.items():
                if key in _PROHIBITED:
                    raise AttributeError(f"Cannot overwrite NamedTuple attribute {key}")
                if key not in _SPECIAL and key not in fields:
                    setattr(cls, key, value)
            return cls

    class NamedTuple(metaclass=_NamedTupleMeta):
        """Base of a named tuple class (see the module docstring)."""
