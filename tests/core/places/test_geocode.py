"""Offline reverse geocoding: real distances, the bigger town nearby, never the network."""

from __future__ import annotations

import socket

import pytest

from photoscan.model import Place
from photoscan.places import geocode


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.usefixtures("no_network")
def test_names_the_town_a_person_would_say() -> None:
    found = geocode.offline_geocoder(
        [
            (48.8583736, 2.291901),  # Eiffel Tower: nearest centre is Neuilly, but it is Paris
            (52.1601, 4.4970),
            (47.6205, -122.3493),
            (-33.8568, 151.2153),
            (0.0, -30.0),  # mid-Atlantic: no town within reach
        ]
    )
    assert found == [
        Place("Paris", "FR"),
        Place("Leiden", "NL"),
        Place("Seattle", "US"),
        Place("Sydney", "AU"),
        None,
    ]


def test_missing_data_file_names_nothing_and_downloads_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(geocode, "data_file", lambda: None)
    geocode.city_table.cache_clear()
    try:
        assert geocode.offline_geocoder([(52.16, 4.49)]) == [None]
    finally:
        geocode.city_table.cache_clear()
    assert geocode.offline_geocoder([]) == []
