"""``Enum`` and ``StrEnum`` for the enums a strip builds at start-up, without ``enum``.

The standard ``enum`` module costs ~8M instructions to import and ~150k to build each
member (``EnumType`` runs descriptors, ``_missing_`` hooks and name checks for each): a
strip of small videos makes ~60 members (finding kinds, formats, statuses) before it reads
a byte, a few per cent of the whole run that ExifTool's files/s is measured against. A
class written ``class StripStatus(StrEnum)`` with these bases has the same members with the
same values, and behaves as the standard one where photoscan uses it: members are
singletons (``is``), ``Cls(value)`` and ``Cls["NAME"]`` look them up (``ValueError`` and
``KeyError`` otherwise), iteration and ``len`` follow the definition order, ``name`` and
``value``, ``repr`` (``<StripStatus.FAILED: 'failed'>``), pickling and copies give the same
member. A ``StrEnum`` member is a ``str``: equal to, hashed and ordered as its value, and
``str``, ``format`` and JSON give the value (the JSON contract). A plain ``Enum`` member
equals only itself. The type checker sees ``enum.Enum`` and ``enum.StrEnum`` themselves, so
the enums are checked as enums. Not supported (not used here): ``auto()``, aliases, methods
or other attributes in the class body, subclassing an enum with members.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from enum import Enum as Enum
    from enum import StrEnum as StrEnum
else:
    from types import MappingProxyType

    class _EnumType(type):
        def __new__(mcs, name, bases, ns):
            members = {
                key: value
                for key, value in ns.items()
                if not key.startswith("_") and not hasattr(value, "__get__")
            }
            for key in members:
                del ns[key]
            cls = super().__new__(mcs, name, bases, ns)
            cls._member_map_ = {}
            cls._value2member_map_ = {}
            if members:
                make = str.__new__ if issubclass(cls, str) else object.__new__
                for key, value in members.items():
                    if issubclass(cls, str) and type(value) is not str:
                        raise TypeError(f"{value!r} is not a string")
                    if value in cls._value2member_map_:
                        raise ValueError(f"{key}: the value {value!r} is used twice")
                    member = make(cls, value) if make is str.__new__ else make(cls)
                    member._name_, member._value_ = key, value
                    cls._member_map_[key] = cls._value2member_map_[value] = member
                    type.__setattr__(cls, key, member)
            return cls

        def __call__(cls, value):
            if type(value) is cls:
                return value
            try:
                return cls._value2member_map_[value]
            except (KeyError, TypeError):
                raise ValueError(f"{value!r} is not a valid {cls.__qualname__}") from None

        def __getitem__(cls, name):
            return cls._member_map_[name]

        def __iter__(cls):
            return iter(cls._member_map_.values())

        def __reversed__(cls):
            return reversed(cls._member_map_.values())

        def __len__(cls):
            return len(cls._member_map_)

        def __contains__(cls, member):
            if not isinstance(member, Enum):  # as Python 3.11's enum does
                raise TypeError(
                    f"unsupported operand type(s) for 'in': {type(member).__qualname__!r} "
                    f"and {type(cls).__qualname__!r}"
                )
            return isinstance(member, cls) and member._name_ in cls._member_map_

        @property
        def __members__(cls):
            return MappingProxyType(cls._member_map_)

        def __setattr__(cls, name, value):
            if name in cls.__dict__.get("_member_map_", ()):
                raise AttributeError(f"cannot reassign member {name!r}")
            super().__setattr__(name, value)

        def __repr__(cls):
            return f"<enum {cls.__name__!r}>"

    class Enum(metaclass=_EnumType):
        """Base of an enum (see the module docstring)."""

        @property
        def name(self):
            return self._name_

        @property
        def value(self):
            return self._value_

        def __repr__(self):
            return f"<{type(self).__name__}.{self._name_}: {self._value_!r}>"

        def __str__(self):
            return f"{type(self).__name__}.{self._name_}"

        def __format__(self, spec):
            return format(str(self), spec)

        def __hash__(self):
            return hash(self._name_)

        def __reduce_ex__(self, protocol):
            return self.__class__, (self._value_,)

        def __copy__(self):
            return self

        def __deepcopy__(self, memo):
            return self

    class StrEnum(str, Enum):
        """Base of a string enum (see the module docstring)."""

        __repr__ = Enum.__repr__
        __str__ = str.__str__
        __format__ = str.__format__
        __hash__ = str.__hash__
