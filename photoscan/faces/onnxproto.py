"""A small, hand-written ONNX (protobuf) editor: fold constant weights to fp32, free input dims.

Why not the ``onnx`` package: photoscan needs exactly one edit of one known model file
(``photoscan.faces.yunet``), once per installation, offline, from an installed wheel and later a
PyInstaller bundle. ``onnx`` plus ``protobuf`` would add ~20 MB and a native extension for
that; the protobuf wire format is five wire types and the few ONNX fields used here are fixed
by the published ``onnx.proto`` (field numbers below).

The edit (``fold_constants``):

- ``DequantizeLinear`` nodes whose inputs are all initializers become fp32 initializers,
  computed as the ONNX spec defines them (``(x - zero_point) * scale``, per tensor, per axis
  or per block). YuNet's int8 "block quantised" file needs this: its bias nodes carry
  ``block_size=64`` with a one-element scale, which onnxruntime >= 1.30 rejects at run time.
- ``Reshape`` nodes of such constants are folded too (the weights are stored flat).
- ``value_info`` (inferred intermediate shapes, for one input size) is dropped and the named
  dims of the graph's inputs and outputs are made symbolic, so the model runs at any size.
- Initializers no node uses any more are dropped; every other field is copied byte for byte.

Hostile input is not expected (the file comes from an installed package), but the parser is
bounded anyway: it raises ``ValueError`` on any truncated or malformed field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

# Protobuf wire types.
VARINT, FIXED64, BYTES, FIXED32 = 0, 1, 2, 5

# onnx.proto field numbers (stable since ONNX 1.0).
MODEL_GRAPH: Final = 7
GRAPH_NODE, GRAPH_INITIALIZER, GRAPH_INPUT, GRAPH_OUTPUT, GRAPH_VALUE_INFO = 1, 5, 11, 12, 13
NODE_INPUT, NODE_OUTPUT, NODE_OP_TYPE, NODE_ATTRIBUTE = 1, 2, 4, 5
ATTR_NAME, ATTR_INT = 1, 3
TENSOR_DIMS, TENSOR_DATA_TYPE, TENSOR_NAME, TENSOR_RAW = 1, 2, 8, 9
TENSOR_FLOATS, TENSOR_INT32S, TENSOR_INT64S = 4, 5, 7
VALUE_NAME, VALUE_TYPE = 1, 2
TYPE_TENSOR, TENSOR_TYPE_SHAPE, SHAPE_DIM, DIM_VALUE, DIM_PARAM = 1, 2, 1, 1, 2

FLOAT, UINT8, INT8, INT32, INT64 = 1, 2, 3, 6, 7
_DTYPES: Final[Mapping[int, type[np.generic]]] = {
    FLOAT: np.float32,
    UINT8: np.uint8,
    INT8: np.int8,
    INT32: np.int32,
    INT64: np.int64,
}
MAX_DIMS: Final = 8
MAX_ELEMENTS: Final = 1 << 26

Field = tuple[int, int, int | bytes]  # (field number, wire type, value)


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(buf) or shift > 63:
            raise ValueError("truncated or overlong varint")
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def parse(buf: bytes) -> list[Field]:
    """The fields of one protobuf message, in file order (unknown fields kept)."""
    fields: list[Field] = []
    pos = 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        number, wire = key >> 3, key & 7
        value: int | bytes
        if wire == VARINT:
            value, pos = _varint(buf, pos)
        elif wire in (FIXED64, FIXED32):
            size = 8 if wire == FIXED64 else 4
            value, pos = buf[pos : pos + size], pos + size
            if len(value) != size:
                raise ValueError("truncated fixed-size field")
        elif wire == BYTES:
            size, pos = _varint(buf, pos)
            value, pos = buf[pos : pos + size], pos + size
            if len(value) != size:
                raise ValueError("truncated length-delimited field")
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        if number == 0:
            raise ValueError("field number 0")
        fields.append((number, wire, value))
    return fields


def _put_varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # negative int64: ten bytes of two's complement, as protobuf does
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def serialise(fields: Iterable[Field]) -> bytes:
    """Inverse of ``parse``."""
    out = bytearray()
    for number, wire, value in fields:
        out += _put_varint(number << 3 | wire)
        if wire == VARINT:
            assert isinstance(value, int)
            out += _put_varint(value)
        else:
            assert isinstance(value, bytes)
            if wire == BYTES:
                out += _put_varint(len(value))
            out += value
    return bytes(out)


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _strings(fields: list[Field], number: int) -> list[str]:
    return [v.decode() for n, w, v in fields if n == number and isinstance(v, bytes)]


def _ints(fields: list[Field], number: int) -> list[int]:
    """A repeated int64 field, packed or not."""
    values: list[int] = []
    for n, wire, value in fields:
        if n != number:
            continue
        if wire == VARINT and isinstance(value, int):
            values.append(_signed(value))
        elif wire == BYTES and isinstance(value, bytes):
            pos = 0
            while pos < len(value):
                item, pos = _varint(value, pos)
                values.append(_signed(item))
    return values


@dataclass(frozen=True, slots=True)
class Node:
    op_type: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    ints: Mapping[str, int]  # the node's integer attributes (all this editor needs)


def node_of(raw: bytes) -> Node:
    fields = parse(raw)
    ints: dict[str, int] = {}
    for number, _wire, value in fields:
        if number == NODE_ATTRIBUTE and isinstance(value, bytes):
            attribute = parse(value)
            names = _strings(attribute, ATTR_NAME)
            found = _ints(attribute, ATTR_INT)
            if names and found:
                ints[names[0]] = found[0]
    op = _strings(fields, NODE_OP_TYPE)
    return Node(
        op[0] if op else "",
        tuple(_strings(fields, NODE_INPUT)),
        tuple(_strings(fields, NODE_OUTPUT)),
        ints,
    )


def tensor_of(raw: bytes) -> tuple[str, NDArray[np.generic]]:
    """(name, values) of a TensorProto holding one of the few types this editor folds."""
    fields = parse(raw)
    dims = _ints(fields, TENSOR_DIMS)
    types = _ints(fields, TENSOR_DATA_TYPE)
    names = _strings(fields, TENSOR_NAME)
    if not types or types[0] not in _DTYPES or len(dims) > MAX_DIMS or min(dims, default=0) < 0:
        raise ValueError("unsupported tensor")
    count = int(np.prod(dims, dtype=np.int64))
    if count > MAX_ELEMENTS:
        raise ValueError("tensor too large")
    dtype = np.dtype(_DTYPES[types[0]]).newbyteorder("<")
    raw_data = [v for n, w, v in fields if n == TENSOR_RAW and isinstance(v, bytes)]
    if raw_data:
        values: NDArray[np.generic] = np.frombuffer(raw_data[0], dtype=dtype)
    elif types[0] == FLOAT:
        packed = b"".join(v for n, w, v in fields if n == TENSOR_FLOATS and isinstance(v, bytes))
        values = np.frombuffer(packed, dtype="<f4")
    elif types[0] == INT64:
        values = np.asarray(_ints(fields, TENSOR_INT64S), dtype=np.int64)
    else:  # int8, uint8 and int32 are stored widened in int32_data
        values = np.asarray(_ints(fields, TENSOR_INT32S), dtype=np.int64).astype(dtype)
    if values.size != count:
        raise ValueError(f"tensor {names[:1]} holds {values.size} values, not {count}")
    return (names[0] if names else ""), values.reshape(dims).astype(dtype.newbyteorder("="))


def float_tensor(name: str, values: NDArray[np.float32]) -> bytes:
    """A TensorProto of fp32 ``values`` (raw little-endian data)."""
    fields: list[Field] = [(TENSOR_DIMS, VARINT, int(d)) for d in values.shape]
    fields += [
        (TENSOR_DATA_TYPE, VARINT, FLOAT),
        (TENSOR_NAME, BYTES, name.encode()),
        (TENSOR_RAW, BYTES, np.ascontiguousarray(values, dtype="<f4").tobytes()),
    ]
    return serialise(fields)


def dequantize(node: Node, consts: Mapping[str, NDArray[np.generic]]) -> NDArray[np.float32]:
    """ONNX ``DequantizeLinear`` on constant inputs: per tensor, per axis or per block."""
    x = consts[node.inputs[0]].astype(np.float32)
    scale = consts[node.inputs[1]].astype(np.float32)
    zero = (
        consts[node.inputs[2]].astype(np.float32)
        if len(node.inputs) > 2 and node.inputs[2]
        else np.zeros_like(scale)
    )
    if scale.size == 1:  # per tensor, whatever block_size says
        return ((x - zero.reshape(())) * scale.reshape(())).astype(np.float32)
    axis = node.ints.get("axis", 1) % max(1, x.ndim)
    block = node.ints.get("block_size", 0)
    if block <= 0:  # per axis: 1-D scale along ``axis``
        shape = [1] * x.ndim
        shape[axis] = scale.size
        return ((x - zero.reshape(shape)) * scale.reshape(shape)).astype(np.float32)
    if scale.ndim != x.ndim:
        raise ValueError("blocked scale must have the input's rank")
    length = x.shape[axis]
    scale = np.repeat(scale, block, axis=axis).take(range(length), axis=axis)
    zero = np.repeat(zero, block, axis=axis).take(range(length), axis=axis)
    return ((x - zero) * scale).astype(np.float32)


def _reshape(data: NDArray[np.float32], shape: NDArray[np.generic]) -> NDArray[np.float32]:
    dims = [int(d) for d in shape.reshape(-1)]
    dims = [data.shape[i] if d == 0 else d for i, d in enumerate(dims)]  # ONNX: 0 copies
    return data.reshape(dims)


def _free_dims(raw: bytes, names: Mapping[int, str]) -> bytes:
    """A ValueInfoProto with the dims at the given indices made symbolic (``dim_param``)."""

    def edit(fields: list[Field], path: tuple[int, ...]) -> list[Field]:
        out: list[Field] = []
        index = 0
        for number, wire, value in fields:
            if number == path[0] and isinstance(value, bytes):
                if len(path) > 1:
                    value = serialise(edit(parse(value), path[1:]))
                else:  # a Dimension
                    if index in names:
                        value = serialise([(DIM_PARAM, BYTES, names[index].encode())])
                    index += 1
            out.append((number, wire, value))
        return out

    return serialise(edit(parse(raw), (VALUE_TYPE, TYPE_TENSOR, TENSOR_TYPE_SHAPE, SHAPE_DIM)))


def fold_constants(
    model: bytes,
    input_dims: Mapping[int, str],
    output_dims: Mapping[int, str],
) -> bytes:
    """The model with constant ``DequantizeLinear``/``Reshape`` chains folded to fp32 and the
    given dims of its inputs/outputs made symbolic (see the module docstring)."""
    top = parse(model)
    graphs = [v for n, w, v in top if n == MODEL_GRAPH and isinstance(v, bytes)]
    if len(graphs) != 1:
        raise ValueError("not an ONNX model (no single graph)")
    graph = parse(graphs[0])
    consts: dict[str, NDArray[np.generic]] = {}
    original: dict[str, bytes] = {}
    for number, _wire, value in graph:
        if number == GRAPH_INITIALIZER and isinstance(value, bytes):
            try:
                name, array = tensor_of(value)
            except ValueError:
                continue  # a type this editor does not fold: copied as it is below
            consts[name], original[name] = array, value
    kept: list[bytes] = []
    folded: dict[str, NDArray[np.float32]] = {}
    for number, _wire, value in graph:
        if number != GRAPH_NODE or not isinstance(value, bytes):
            continue
        node = node_of(value)
        constant = all(i in consts for i in node.inputs if i) and len(node.outputs) == 1
        if constant and node.op_type == "DequantizeLinear":
            folded[node.outputs[0]] = consts[node.outputs[0]] = dequantize(node, consts)
        elif constant and node.op_type == "Reshape" and node.inputs[0] in folded:
            result = _reshape(folded[node.inputs[0]], consts[node.inputs[1]])
            folded[node.outputs[0]] = consts[node.outputs[0]] = result
        else:
            kept.append(value)
    used = {i for raw in kept for i in node_of(raw).inputs}
    out: list[Field] = [(GRAPH_NODE, BYTES, raw) for raw in kept]
    for number, wire, value in graph:
        if number in (GRAPH_NODE, GRAPH_VALUE_INFO) or not isinstance(value, bytes):
            if number not in (GRAPH_NODE, GRAPH_VALUE_INFO):
                out.append((number, wire, value))
            continue
        if number == GRAPH_INITIALIZER:
            names = _strings(parse(value), TENSOR_NAME)
            if names and names[0] in original and names[0] not in used:
                continue
        elif number in (GRAPH_INPUT, GRAPH_OUTPUT):
            names = _strings(parse(value), VALUE_NAME)
            if not (names and names[0] in original):  # IR < 4 lists initializers as inputs
                value = _free_dims(value, input_dims if number == GRAPH_INPUT else output_dims)
        out.append((number, wire, value))
    out += [
        (GRAPH_INITIALIZER, BYTES, float_tensor(name, array))
        for name, array in folded.items()
        if name in used
    ]
    new_graph = serialise(out)
    return serialise(
        [(n, w, new_graph if n == MODEL_GRAPH else v) for n, w, v in top]  # graph replaced
    )
