"""Metadata field names (``EXIF:GPSLatitude``, ``IPTC:By-line``) said in a parent's words.

The summary tells what the photos give away, not where ExifTool would file it: "GPS
position", "photographer's name", "camera serial number". The raw names stay in the JSON
document (``findings[].field``), which tools read. A field this table does not know is said
by its own name split into words ("SupplementalCategories" → "supplemental categories"),
never with its group prefix.
"""

from __future__ import annotations

import re

_WORDS: dict[str, str] = {
    # where
    "GPSLatitude": "GPS position",
    "GPSLongitude": "GPS position",
    "GPSPosition": "GPS position",
    "GPSCoordinates": "GPS position",
    "GPSAltitude": "altitude",
    "GPSImgDirection": "compass direction",
    "GPSDestLatitude": "GPS position",
    "GPSDestLongitude": "GPS position",
    "City": "town",
    "Sub-location": "street or neighbourhood",
    "Sublocation": "street or neighbourhood",
    "Location": "place name",
    "LocationShown": "place name",
    "LocationCreated": "place name",
    "Province-State": "region",
    "State": "region",
    "Country": "country",
    "Country-PrimaryLocationName": "country",
    "CountryCode": "country",
    "Country-PrimaryLocationCode": "country",
    "CreatorCity": "creator's address",
    "CreatorAddress": "creator's address",
    "CreatorPostalCode": "creator's address",
    "CreatorCountry": "creator's address",
    "CreatorRegion": "creator's address",
    # who
    "Creator": "photographer's name",
    "By-line": "photographer's name",
    "Artist": "photographer's name",
    "Author": "photographer's name",
    "Copyright": "copyright holder",
    "CopyrightNotice": "copyright holder",
    "Rights": "copyright holder",
    "Credit": "credit line",
    "OwnerName": "camera owner's name",
    "CameraOwnerName": "camera owner's name",
    "RegionName": "names of the people shown",
    "PersonInImage": "names of the people shown",
    "Writer-Editor": "caption writer's name",
    "CaptionWriter": "caption writer's name",
    "CreatorWorkEmail": "creator's e-mail",
    "CreatorWorkTelephone": "creator's phone number",
    # which device
    "SerialNumber": "camera serial number",
    "BodySerialNumber": "camera serial number",
    "InternalSerialNumber": "camera serial number",
    "CameraSerialNumber": "camera serial number",
    "LensSerialNumber": "lens serial number",
    "ImageUniqueID": "unique image id",
    "PhotoIdentifier": "unique image id",
    "DigitalImageGUID": "unique image id",
    "HostComputer": "computer name",
    # hidden images
    "ThumbnailImage": "thumbnail image",
    "PreviewImage": "preview image",
    "JpgFromRaw": "preview image",
    "OtherImage": "preview image",
    "CoverArt": "cover picture",
    # text
    "Keywords": "keywords",
    "Subject": "keywords",
    "ImageDescription": "captions",
    "Description": "captions",
    "Caption-Abstract": "captions",
    "Title": "titles",
    "ObjectName": "titles",
    "Comment": "comments",
    "UserComment": "comments",
    "XPComment": "comments",
    # when
    "DateTimeOriginal": "when it was taken",
    "CreateDate": "when it was taken",
    "DateCreated": "when it was taken",
    "TimeCreated": "when it was taken",
    "ModifyDate": "when it was edited",
    "MetadataDate": "when it was edited",
    "GPSTimeStamp": "GPS time",
    "GPSDateStamp": "GPS time",
    "OffsetTime": "time zone",
    "OffsetTimeOriginal": "time zone",
    # camera and software
    "Make": "camera make",  # its own words: Make and Model are two rows, two values
    "Model": "camera model",
    "LensModel": "lens",
    "LensMake": "lens make",
    "Lens": "lens",
    "deviceType": "kind of device",
    "Software": "editing software",
    "CreatorTool": "editing software",
    "HistorySoftwareAgent": "editing software",
    "Encoder": "editing software",
    "MuxingApp": "editing software",
    "WritingApp": "editing software",
    "OriginatingProgram": "editing software",
    # history
    "History": "edit history",
    "DerivedFrom": "edit history",
    "DocumentAncestors": "edit history",
    "DocumentID": "document ids",
    "InstanceID": "document ids",
    "OriginalDocumentID": "document ids",
    # export sidecars
    "album access": "who the album is shared with",
}
# A movie's or a song's author and artist are not a photographer (QuickTime, Apple keys,
# iTunes lists, Matroska and RIFF tags).
_MOVIE_GROUPS = frozenset({"UserData", "ItemList", "Keys", "iTunes", "Matroska", "RIFF"})
_MOVIE_WORDS = {"Author": "author's name", "Artist": "artist's name"}
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|[-_]+")


def field_words(field: str) -> str:
    """``field`` ("GROUP:Name", "GROUP:Name (note)") in plain words."""
    group, _, name = field.rpartition(":")
    name, _, note = name.strip().partition(" (")
    if note.startswith("mismatch"):
        return "preview that differs from the photo"
    if group in _MOVIE_GROUPS and name in _MOVIE_WORDS:
        return _MOVIE_WORDS[name]
    words = _WORDS.get(name)
    if words is not None:
        return words
    split = " ".join(w for w in _CAMEL.split(name) if w)
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in split.split())
