"""``photoscan.enums`` behaves as the standard ``enum`` where photoscan uses it."""

from __future__ import annotations

import copy
import enum
import json
import pickle

import pytest

from photoscan import enums
from photoscan.findings import FindingKind, ImageFormat
from photoscan.source.entries import Kind
from photoscan.source.sniff import SniffStatus
from photoscan.strip.types import StripStatus


class Ours(enums.StrEnum):
    """Ours."""

    B = "b"
    A = "a"


Theirs = enum.StrEnum("Theirs", [("B", "b"), ("A", "a")])  # the standard one


class PlainOurs(enums.Enum):
    X = "x"
    Y = "y"


PlainTheirs = enum.Enum("PlainTheirs", [("X", "x"), ("Y", "y")])


def _same(ours: object, theirs: object) -> None:
    assert repr(ours).replace("Ours", "Theirs") == repr(theirs)
    assert str(ours).replace("Ours", "Theirs") == str(theirs)
    assert f"{ours}|{ours:>6}".replace("Ours", "Theirs") == f"{theirs}|{theirs:>6}"


def test_a_string_enum_behaves_as_enum_strenum() -> None:
    assert [m.name for m in Ours] == [m.name for m in Theirs] == ["B", "A"]
    assert [m.value for m in Ours] == ["b", "a"] and len(Ours) == 2
    assert [m.name for m in reversed(Ours)] == ["A", "B"]
    for ours, theirs in zip(Ours, Theirs, strict=True):
        _same(ours, theirs)
        assert type(ours.value) is type(theirs.value) is str
        assert ours == theirs.value and hash(ours) == hash(theirs) == hash(theirs.value)
    assert Ours("a") is Ours.A and Ours(Ours.A) is Ours.A and Ours["B"] is Ours.B
    assert isinstance(Ours.A, str) and isinstance(Ours.A, Ours) and type(Ours.A) is Ours
    assert sorted(Ours) == [Ours.A, Ours.B] and {"a": 1}[Ours.A] == 1
    assert json.dumps({"s": Ours.A, Ours.B: [Ours.B]}) == '{"s": "a", "b": ["b"]}'
    assert Ours.A in Ours and Theirs.A in Theirs and Ours.A not in PlainOurs
    assert list(Ours.__members__) == ["B", "A"] and Ours.__doc__ == "Ours."
    assert repr(Ours) == "<enum 'Ours'>" and repr(Theirs) == "<enum 'Theirs'>"
    assert Ours.A + "!" == "a!" and Ours.A.upper() == "A"
    with pytest.raises(ValueError, match="'c' is not a valid Ours"):
        Ours("c")
    with pytest.raises(ValueError, match="is not a valid Theirs"):
        Theirs("c")
    with pytest.raises(KeyError):
        Ours["C"]
    with pytest.raises(AttributeError):
        Ours.A = "z"  # type: ignore[misc]


def test_a_plain_enum_behaves_as_enum_enum() -> None:
    for ours, theirs in zip(PlainOurs, PlainTheirs, strict=True):
        _same(ours, theirs)
        assert hash(ours) == hash(theirs) == hash(theirs.name)
    assert PlainOurs("x") is PlainOurs.X and PlainOurs.X != "x" and PlainTheirs.X != "x"
    assert PlainOurs.X == PlainOurs.X and PlainOurs.X != PlainOurs.Y
    assert not isinstance(PlainOurs.X, str)
    with pytest.raises(TypeError):
        PlainOurs.X < PlainOurs.Y  # type: ignore[operator]  # noqa: B015
    with pytest.raises(ValueError, match="is not a valid PlainOurs"):
        PlainOurs(["unhashable"])


def test_members_survive_pickle_and_copy() -> None:
    for member in (Ours.A, PlainOurs.Y, StripStatus.FAILED, Kind.FILE, ImageFormat.MP4):
        assert pickle.loads(pickle.dumps(member)) is member
        assert copy.copy(member) is member and copy.deepcopy(member) is member


def test_photoscans_enums_keep_their_values() -> None:
    assert [s.value for s in StripStatus] == [
        "stripped",
        "already_clean",
        "reencoded",
        "refused",
        "failed",
    ]
    assert FindingKind("location") is FindingKind.LOCATION and ImageFormat("3GP").name == "THREE_GP"
    assert SniffStatus.VIDEO.value == "video" and Kind("folder") is Kind.FOLDER
    assert len(ImageFormat) == 24 and len(FindingKind) == 12


def test_the_class_body_rules() -> None:
    with pytest.raises(TypeError, match="not a string"):

        class NotText(enums.StrEnum):
            A = 1  # type: ignore[assignment]

    with pytest.raises(ValueError, match="used twice"):

        class Alias(enums.StrEnum):
            A = "a"
            B = "a"
