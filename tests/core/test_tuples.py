"""``photoscan.tuples.NamedTuple`` makes what ``typing.NamedTuple`` makes of a class body,
with ``__new__`` compiled once per number of fields instead of once per class."""

from __future__ import annotations

import collections
import copy
import pickle
import typing

import pytest

from photoscan import tuples
from photoscan.tuples import NamedTuple


class Point(NamedTuple):
    """A point."""

    x: int
    y: int = 2

    @property
    def total(self) -> int:
        return self.x + self.y


class TypedPoint(typing.NamedTuple):
    """A point."""

    x: int
    y: int = 2

    @property
    def total(self) -> int:
        return self.x + self.y


class One(NamedTuple):
    only: str


class Other(NamedTuple):  # the same arity as Point: its own argument names all the same
    left: str
    right: str = "r"


def test_it_behaves_as_typing_namedtuple() -> None:
    p, t = Point(1), TypedPoint(1)
    assert tuple(p) == tuple(t) == (1, 2)
    assert Point(x=3, y=4) == (3, 4) and Point(5, y=6) == (5, 6)
    assert repr(p) == "Point(x=1, y=2)" and repr(t) == "TypedPoint(x=1, y=2)"
    assert p.total == t.total == 3
    assert p._replace(y=9) == (1, 9) and type(p._replace(y=9)) is Point
    assert Point._make([7, 8]) == (7, 8)
    assert p._asdict() == t._asdict() == {"x": 1, "y": 2}
    for attr in ("_fields", "_field_defaults", "__match_args__", "__doc__"):
        assert getattr(Point, attr) == getattr(TypedPoint, attr), attr
    assert Point.__annotations__.keys() == TypedPoint.__annotations__.keys()  # typing: ForwardRefs
    assert Point.__module__ == __name__ and Point.__qualname__ == "Point"
    assert Point.__new__.__qualname__ == "Point.__new__"
    assert Point.__new__.__defaults__ == (2,)
    assert Point.__new__.__doc__ == "Create new instance of Point(x, y)"
    assert Point.__new__.__code__.co_varnames == TypedPoint.__new__.__code__.co_varnames
    assert Point.__slots__ == () and not hasattr(p, "__dict__")
    assert One("a") == ("a",) and repr(One(only="a")) == "One(only='a')"
    assert One.__doc__ == collections.namedtuple("One", ["only"]).__doc__ == "One(only,)"


def test_classes_of_one_arity_keep_their_own_names() -> None:
    assert Other(left="a") == ("a", "r") and Point(x=1) == (1, 2)
    assert Other.__new__.__code__ is not Point.__new__.__code__
    assert Other.__new__.__code__.co_code == Point.__new__.__code__.co_code
    with pytest.raises(TypeError):
        Other(x=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, 2, 3)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="unexpected field names"):
        Point(1)._replace(z=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="Expected 2 arguments, got 3"):
        Point._make([1, 2, 3])


def test_pickle_and_copy() -> None:
    p = Point(1, 5)
    assert pickle.loads(pickle.dumps(p)) == p and type(pickle.loads(pickle.dumps(p))) is Point
    assert copy.copy(p) == p and copy.deepcopy(p) == p


def test_the_same_class_as_collections_namedtuple() -> None:
    for fields, defaults in ((["a", "b", "c"], [2, 3]), (["a"], []), ([], [])):
        made = tuples.namedtuple("R", fields, defaults, "m")  # type: ignore[attr-defined]
        model = collections.namedtuple("R", fields, defaults=defaults, module="m")
        for attr in ("__doc__", "_fields", "_field_defaults", "__match_args__", "__module__"):
            assert getattr(made, attr) == getattr(model, attr), attr
        for name in ("__new__", "_make", "_replace", "__repr__", "_asdict", "__getnewargs__"):
            ours, theirs = getattr(made, name), getattr(model, name)
            for attr in ("__doc__", "__qualname__", "__name__", "__defaults__"):
                assert getattr(ours, attr) == getattr(theirs, attr), (name, attr)


def test_the_class_rules_of_typing() -> None:
    with pytest.raises(TypeError, match="cannot follow a default"):

        class Bad(NamedTuple):
            a: int = 1
            b: int

    with pytest.raises(AttributeError, match="Cannot overwrite"):

        class Worse(NamedTuple):
            a: int

            def _asdict(self) -> dict[str, int]:  # type: ignore[override]
                return {}

    with pytest.raises(ValueError, match="underscore"):

        class Hidden(NamedTuple):
            _a: int
