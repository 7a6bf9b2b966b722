"""XMP positions and place names: the camera's GPS, IPTC's LocationCreated/LocationShown.

A packet gives the camera position as ``exif:GPSLatitude``/``GPSLongitude`` (in any of the
spellings ``xmp_values`` reads, sometimes with a separate ``GPSLatitudeRef``), or — on DJI
drones and their sidecars — as ``drone-dji:GpsLatitude``/``GpsLongitude`` (also misspelt
``GpsLongtitude`` by some firmware). IPTC's LocationCreated carries a position and names of
the place the photo was taken; LocationShown those of the place it shows, which is a finding
but not the photo's position.
"""

from __future__ import annotations

from collections.abc import Callable

from photoscan.metadata.base import Collector, valid_coordinates
from photoscan.metadata.xmp.rdf import XStruct, XValue, first_text, structs, texts
from photoscan.metadata.xmp.values import parse_altitude, parse_coordinate
from photoscan.model import FindingKind, Severity

K = FindingKind
S = Severity

LOCATION_FIELDS = {
    "Iptc4xmpExt:City": "City",
    "Iptc4xmpExt:Sublocation": "Sublocation",
    "Iptc4xmpExt:ProvinceState": "ProvinceState",
    "Iptc4xmpExt:CountryName": "CountryName",
    "Iptc4xmpExt:CountryCode": "CountryCode",
    "Iptc4xmpExt:WorldRegion": "WorldRegion",
    "Iptc4xmpExt:LocationName": "LocationName",
}
# (latitude key, longitude keys, altitude key) in the order they are trusted
_POSITIONS = (
    ("exif:GPSLatitude", ("exif:GPSLongitude",), "exif:GPSAltitude"),
    (
        "drone-dji:GpsLatitude",
        ("drone-dji:GpsLongitude", "drone-dji:GpsLongtitude"),
        "drone-dji:AbsoluteAltitude",
    ),
)


_LRF_TARGET = ("drone-dji:LRFTargetLat", "drone-dji:LRFTargetLon")


def read_gps(props: XStruct, col: Collector, source: str, prefix: str) -> None:
    """The position (or positions) a property set states, as findings and a GPS candidate."""
    for lat_key, lon_keys, alt_key in _POSITIONS:
        lat = parse_coordinate(
            first_text(props.get(lat_key)), first_text(props.get(lat_key + "Ref"))
        )
        lon_key = next((k for k in lon_keys if k in props), lon_keys[0])
        lon = parse_coordinate(
            first_text(props.get(lon_key)), first_text(props.get(lon_key + "Ref"))
        )
        if lat is None or lon is None:
            continue
        ref = first_text(props.get("exif:GPSAltitudeRef")) if alt_key.startswith("exif") else ""
        altitude = parse_altitude(first_text(props.get(alt_key)), ref)
        _position(col, source, prefix, lat, lon, altitude)
    # DJI enterprise drones: where the laser rangefinder hit, i.e. the place photographed
    lat, lon = (parse_coordinate(first_text(props.get(k))) for k in _LRF_TARGET)
    if lat is not None and lon is not None and valid_coordinates(lat, lon):
        words = f"{lat:.6f}, {lon:.6f}"
        col.add(K.LOCATION, f"XMP:{prefix}LRFTargetPosition", words, S.HIGH)


def _position(
    col: Collector, source: str, prefix: str, lat: float, lon: float, altitude: float | None
) -> None:
    field = f"XMP:{prefix}GPS"
    if prefix.startswith("LocationShown"):
        # Where the subject is, not where the camera was: a finding, not the photo's position.
        if valid_coordinates(lat, lon):
            col.add(K.LOCATION, f"{field}Position", f"{lat:.6f}, {lon:.6f}", S.HIGH)
        return
    if col.add_gps(lat, lon, source, altitude, field_name=field):
        col.add(K.LOCATION, f"{field}Latitude", f"{lat:.6f}", S.HIGH)
        col.add(K.LOCATION, f"{field}Longitude", f"{lon:.6f}", S.HIGH)


def locations(kind: str) -> Callable[[XValue, Collector, str], None]:
    """LocationCreated / LocationShown: place names, and a position for LocationCreated."""

    def read(value: XValue, col: Collector, prefix: str) -> None:
        name = prefix + kind
        for struct in structs(value):
            for key, suffix in LOCATION_FIELDS.items():
                for text in texts(struct.get(key)):
                    col.add(K.LOCATION, f"XMP:{name}{suffix}", text, S.MEDIUM)
            read_gps(struct, col, "xmp", name)

    return read
