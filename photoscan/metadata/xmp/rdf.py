"""XMP packet bytes → a small tree of plain values, safely.

XMP is RDF/XML with several equivalent spellings (attributes or elements, ``parseType=
"Resource"`` or a nested ``rdf:Description``, Bag/Seq/Alt arrays). The rules in
``photoscan.metadata.xmp.xmp`` should not care which one a writer chose, so this module folds
them into one shape: a struct is a ``dict`` keyed ``prefix:Name`` (canonical prefixes, so
``xap:`` and ``xmp:`` are the same key), an array is a ``list``, a Lang Alt is its first
(``x-default``) string, everything else is a ``str``.

The bytes are hostile: the parser (``xml.parsers.expat`` itself, see ``_Tree``) refuses a
document type declaration, and with it entity declarations (XML bombs) and external
references, as defusedxml's ``forbid_dtd`` did; the packet size, nesting depth and node
count are capped, and a packet with junk around it (NULs, padding, a truncated trailer) gets
one cleaned second chance.
"""

from __future__ import annotations

from xml.parsers import expat

from photoscan.lazy import TYPE_CHECKING, LazyModule

if TYPE_CHECKING:
    import re
    from collections.abc import Iterator
    from typing import TypeAlias
else:
    re = LazyModule("re")  # imported when a pattern is first needed

MAX_PACKET_BYTES = 8 << 20  # Extended XMP (Google depth maps) can reach a few MB; more is abuse
MAX_DEPTH = 24
MAX_NODES = 50_000

XValue: TypeAlias = "str | list[XValue] | dict[str, XValue]"
XStruct: TypeAlias = "dict[str, XValue]"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ARRAYS = {f"{{{RDF}}}Bag", f"{{{RDF}}}Seq", f"{{{RDF}}}Alt"}
_ALT = f"{{{RDF}}}Alt"
_LI = f"{{{RDF}}}li"
_DESCRIPTION = f"{{{RDF}}}Description"
_PARSE_TYPE = f"{{{RDF}}}parseType"
_RESOURCE = f"{{{RDF}}}resource"

# Namespace URI -> the prefix the rules use. Aliases (old "xap" URIs are the same as the new
# ones; Microsoft Photo appears with and without the trailing slash) fold into one prefix.
PREFIXES: dict[str, str] = {
    "http://ns.adobe.com/xap/1.0/": "xmp",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://ns.adobe.com/photoshop/1.0/": "photoshop",
    "http://ns.adobe.com/xap/1.0/mm/": "xmpMM",
    "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#": "stEvt",
    "http://ns.adobe.com/xap/1.0/sType/ResourceRef#": "stRef",
    "http://ns.adobe.com/xap/1.0/rights/": "xmpRights",
    "http://ns.adobe.com/xap/1.0/g/img/": "xmpGImg",
    "http://ns.adobe.com/tiff/1.0/": "tiff",
    "http://ns.adobe.com/exif/1.0/": "exif",
    "http://ns.adobe.com/exif/1.0/aux/": "aux",
    "http://cipa.jp/exif/1.0/": "exifEX",
    "http://ns.adobe.com/lightroom/1.0/": "lr",
    "http://ns.adobe.com/xmp/note/": "xmpNote",
    "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/": "Iptc4xmpCore",
    "http://iptc.org/std/Iptc4xmpExt/2008-02-29/": "Iptc4xmpExt",
    "http://ns.useplus.org/ldf/xmp/1.0/": "plus",
    "http://www.metadataworkinggroup.com/schemas/regions/": "mwg-rs",
    "http://www.metadataworkinggroup.com/schemas/keywords/": "mwg-kw",
    "http://ns.adobe.com/xmp/sType/Area#": "stArea",
    "http://ns.adobe.com/xap/1.0/sType/Dimensions#": "stDim",
    "http://ns.microsoft.com/photo/1.0": "MicrosoftPhoto",
    "http://ns.microsoft.com/photo/1.0/": "MicrosoftPhoto",
    "http://ns.microsoft.com/photo/1.2/": "MP",
    "http://ns.microsoft.com/photo/1.2/t/RegionInfo#": "MPRI",
    "http://ns.microsoft.com/photo/1.2/t/Region#": "MPReg",
    "http://www.digikam.org/ns/1.0/": "digiKam",
    "http://ns.iview-multimedia.com/mediapro/1.0/": "mediapro",
    "http://ns.acdsee.com/iptc/1.0/": "acdsee",
    "http://ns.apple.com/faceinfo/1.0/": "apple-fi",
    "http://ns.google.com/photos/1.0/camera/": "GCamera",
    "http://ns.google.com/photos/1.0/container/": "Container",
    "http://ns.google.com/photos/1.0/container/item/": "Item",
    "http://ns.google.com/photos/1.0/image/": "GImage",
    "http://ns.google.com/photos/1.0/depthmap/": "GDepth",
    "http://ns.google.com/photos/1.0/panorama/": "GPano",
    "http://ns.adobe.com/pdf/1.3/": "pdf",
    "http://ns.adobe.com/camera-raw-settings/1.0/": "crs",
    "http://creativecommons.org/ns#": "cc",
    "http://ns.adobe.com/xmp/1.0/DynamicMedia/": "xmpDM",
    "http://www.dji.com/drone-dji/1.0/": "drone-dji",
    "http://xmp.gettyimages.com/gift/1.0/": "GettyImagesGIFT",
    RDF: "rdf",
}

# Patterns are compiled on first use (``re``'s cache): only damaged or huge packets need them.
_PACKET_START = rb"<(x:xmpmeta|x:xapmeta|rdf:RDF)\b"
_BAD_XML_BYTES = rb"[\x00-\x08\x0b\x0c\x0e-\x1f]"
# Base64 blobs (Google depth maps and gain maps, Photoshop thumbnails) are most of a big
# packet and carry nothing the rules read but their presence: replace them before parsing.
# Thumbnails (``xmpGImg:image``) are kept: photoscan decodes them to check they are pictures.
_BLOB = rb"(?<![A-Za-z0-9+/=\r\n])(?<!:image>)(?<!:image=\")(?<!:image=')[A-Za-z0-9+/=\r\n]{2048,}"
_BLOB_MIN_PACKET = 64 << 10


class XmpError(ValueError):
    """The packet could not be read; the message says why in plain words."""


def parse_packet(data: bytes) -> XStruct:
    """The properties of every top-level ``rdf:Description`` of one packet, merged."""
    if len(data) > MAX_PACKET_BYTES:
        raise XmpError(f"XMP packet too large ({len(data) // 1024} KiB), not read")
    if len(data) > _BLOB_MIN_PACKET:
        data = re.sub(_BLOB, b"(binary data)", data)
    root = _parse_xml(data)
    rdf = root if root.tag == f"{{{RDF}}}RDF" else root.descendant(f"{{{RDF}}}RDF")
    if rdf is None:
        raise XmpError("XMP packet has no RDF body")
    walker = _Walker()
    props: XStruct = {}
    for desc in rdf:
        for key, value in walker.struct(desc, 1).items():
            if key in props:
                props[key] = _join(props[key], value)
            else:
                props[key] = value
    return props


def _join(old: XValue, new: XValue) -> XValue:
    """Two descriptions giving the same property: keep both values rather than lose one."""
    joined: list[XValue] = list(old) if isinstance(old, list) else [old]
    joined.extend(new if isinstance(new, list) else [new])
    return joined


def _parse_xml(data: bytes) -> Node:
    try:
        return _fromstring(data)
    except expat.ExpatError:
        pass
    start = re.search(_PACKET_START, data)
    if start is None:
        raise XmpError("XMP packet is not valid XML and has no xmpmeta/RDF element")
    closing = b"</" + start.group(1) + b">"
    ends = [m.end() for m in re.finditer(re.escape(closing), data[start.end() :])]
    ends = [start.end() + end for end in ends]
    # Writers leave junk after the packet (sometimes a stale copy of its tail), or cut it
    # short: try the first closing tag, then the last, then everything to the end.
    error = "no closing tag"
    for end in dict.fromkeys([*ends[:1], *ends[-1:], len(data)]):
        cleaned = re.sub(_BAD_XML_BYTES, b"", data[start.start() : end])
        try:
            return _fromstring(cleaned)
        except expat.ExpatError as exc:
            error = str(exc)
    raise XmpError(f"XMP packet is not valid XML ({error})")


class _Refused(Exception):
    """Raised from inside the parser at a DTD or entity declaration or external reference."""


class Node:
    """One element as ElementTree builds it: ``{uri}local`` tag and attribute names, the
    attributes in document order, the text before the first child (None when there is
    none), the child elements (comments and processing instructions are not kept)."""

    __slots__ = ("attrib", "kids", "tag", "text")

    def __init__(self, tag: str, attrib: dict[str, str]) -> None:
        self.tag = tag
        self.attrib = attrib
        self.text: str | None = None
        self.kids: list[Node] = []

    def __iter__(self) -> Iterator[Node]:
        return iter(self.kids)

    def get(self, key: str) -> str | None:
        return self.attrib.get(key)

    def descendant(self, tag: str) -> Node | None:
        """The first element below this one with ``tag``, in document order
        (ElementTree's ``find(".//tag")``), without recursion."""
        stack = self.kids[::-1]
        while stack:
            node = stack.pop()
            if node.tag == tag:
                return node
            stack.extend(node.kids[::-1])
        return None


def _refuse(*_args: object) -> int:
    raise _Refused


class _Tree:
    """An element tree built straight from ``xml.parsers.expat`` (what defusedxml's parser
    does on top of ElementTree's, without importing either: ~18M instructions of a video
    strip's start-up). Names as ElementTree's parser makes them (namespace separator ``}``,
    then ``{`` in front), text as its tree builder keeps it (buffered character data before
    the first child). Hostile input: a document type declaration raises at once (so no
    entity can be declared), and entity declarations and external entity references are
    refused as well, as defusedxml's ``forbid_dtd``, ``forbid_entities`` and
    ``forbid_external`` do; an undeclared entity is expat's own error."""

    __slots__ = ("data", "names", "root", "stack")

    def __init__(self) -> None:
        self.root: Node | None = None
        self.stack: list[Node] = []
        self.data: list[str] = []
        self.names: dict[str, str] = {}

    def _name(self, key: str) -> str:
        name = self.names.get(key)
        if name is None:
            name = self.names[key] = "{" + key if "}" in key else key
        return name

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        stack = self.stack
        if self.data:
            if stack and not stack[-1].kids:
                stack[-1].text = "".join(self.data)
            self.data = []
        name = self._name
        node = Node(name(tag), {name(k): v for k, v in attrs.items()} if attrs else {})
        if stack:
            stack[-1].kids.append(node)
        elif self.root is None:
            self.root = node
        stack.append(node)

    def end(self, _tag: str) -> None:
        node = self.stack.pop()
        if self.data:
            if not node.kids:
                node.text = "".join(self.data)
            self.data = []

    def text(self, data: str) -> None:
        stack = self.stack
        if stack and not stack[-1].kids:  # text after a child is a tail: not read
            self.data.append(data)


def _fromstring(data: bytes) -> Node:
    tree = _Tree()
    parser = expat.ParserCreate(None, "}")
    parser.buffer_text = True
    parser.StartElementHandler = tree.start
    parser.EndElementHandler = tree.end
    parser.CharacterDataHandler = tree.text
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    try:
        parser.Parse(data, False)
        parser.Parse(b"", True)
    except _Refused:
        raise XmpError("XMP packet refused: it declares a DTD or XML entities") from None
    assert tree.root is not None  # expat raises on a document without an element
    return tree.root


def qname(tag: str) -> str:
    """``{uri}Name`` → ``prefix:Name`` with the canonical prefix (unknown URIs stay as is)."""
    if tag[:1] != "{":
        return tag
    uri, _, local = tag[1:].partition("}")
    prefix = PREFIXES.get(uri)
    return f"{prefix}:{local}" if prefix else tag


class _Walker:
    """Folds RDF nodes into values; counts nodes so a huge packet costs bounded work."""

    __slots__ = ("nodes",)

    def __init__(self) -> None:
        self.nodes = 0

    def _tick(self, depth: int) -> bool:
        self.nodes += 1
        return depth <= MAX_DEPTH and self.nodes <= MAX_NODES

    def struct(self, node: Node, depth: int) -> XStruct:
        """Fields of a node: its non-RDF attributes and its property elements."""
        out: XStruct = {}
        if not self._tick(depth):
            return out
        for key, text in node.attrib.items():
            if key.startswith(f"{{{RDF}}}") or key == _XML_LANG:
                continue
            out[qname(key)] = text.strip()
        for child in node:
            name = qname(child.tag)
            value = self.value(child, depth + 1)
            out[name] = _join(out[name], value) if name in out else value
        return out

    def value(self, prop: Node, depth: int) -> XValue:
        """The value of one property element (or ``rdf:li``), whatever RDF spelling it uses."""
        if not self._tick(depth):
            return ""
        resource = prop.get(_RESOURCE)
        if resource is not None:
            return resource.strip()
        if prop.get(_PARSE_TYPE) == "Resource":
            return self._struct_or_value(self.struct(prop, depth))
        if prop.kids:
            first = prop.kids[0]
            if first.tag in _ARRAYS:
                items = [self.value(li, depth + 1) for li in first if li.tag == _LI]
                if first.tag == _ALT:
                    return items[0] if items else ""
                return items
            if first.tag == _DESCRIPTION:
                return self._struct_or_value(self.struct(first, depth + 1))
            return self.struct(prop, depth)  # property elements straight inside (lenient)
        if any(not k.startswith(f"{{{RDF}}}") and k != _XML_LANG for k in prop.attrib):
            return self.struct(prop, depth)
        return (prop.text or "").strip()

    @staticmethod
    def _struct_or_value(fields: XStruct) -> XValue:
        """A struct holding only ``rdf:value`` (a qualified simple value) is that value."""
        return fields.get("rdf:value", fields) if len(fields) == 1 else fields


def texts(value: XValue | None) -> list[str]:
    """Every string in a value, flattening arrays (structs give nothing)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list):
        return [text for item in value for text in texts(item)]
    return []


def structs(value: XValue | None) -> list[XStruct]:
    """Every struct in a value (a single struct or an array of them)."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in structs(item)]
    return []


def first_text(value: XValue | None) -> str:
    found = texts(value)
    return found[0] if found else ""


def by_local(fields: XStruct, local: str) -> XValue | None:
    """A field by its local name, whatever its namespace (regions mix mwg-rs and apple-fi)."""
    for key, value in fields.items():
        if key.rpartition(":")[2] == local or key.rpartition("}")[2] == local:
            return value
    return None
