"""The hand-written ONNX editor: wire format, ONNX's dequantisation rules, and a folded model
that onnxruntime runs at any input size with the values the spec defines."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest

from photoscan.faces import onnxproto as op
from photoscan.faces import yunet


def test_varints_round_trip_including_negative_int64() -> None:
    fields: list[op.Field] = [(1, op.VARINT, v & (1 << 64) - 1) for v in (0, 1, 300, -1, -64)]
    fields.append((2, op.BYTES, b"\x00abc"))
    fields.append((3, op.FIXED32, b"\x01\x02\x03\x04"))
    data = op.serialise(fields)
    assert op.parse(data) == fields
    assert op._ints(op.parse(data), 1) == [0, 1, 300, -1, -64]


@pytest.mark.parametrize("cut", [1, 5, 17])
def test_truncated_messages_are_refused(cut: int) -> None:
    data = op.serialise([(2, op.BYTES, b"x" * 20)])
    with pytest.raises(ValueError):
        op.parse(data[:-cut])


def test_the_packaged_model_parses_and_serialises_to_the_same_bytes() -> None:
    source = yunet.model_source().read_bytes()
    assert op.serialise(op.parse(source)) == source


def _node(
    kind: str, inputs: list[str], outputs: list[str], ints: dict[str, int] | None = None
) -> op.Node:
    return op.Node(kind, tuple(inputs), tuple(outputs), ints or {})


def test_dequantize_per_tensor_per_axis_and_per_block() -> None:
    q = np.array([[-4, 0, 4, 8, 12]], dtype=np.int8).repeat(2, axis=0)
    consts = {
        "q": q,
        "s1": np.array([0.5], dtype=np.float32),
        "z1": np.array([2], dtype=np.int8),
        "s_axis": np.array([1.0, 2.0], dtype=np.float32),
        "z_axis": np.array([0, 4], dtype=np.int8),
        "s_block": np.array([[1.0, 10.0, 100.0], [2.0, 20.0, 200.0]], dtype=np.float32),
        "z_block": np.zeros((2, 3), dtype=np.int8),
    }
    tensor = op.dequantize(
        _node("DequantizeLinear", ["q", "s1", "z1"], ["y"], {"block_size": 64}), consts
    )
    assert tensor.tolist() == [[-3.0, -1.0, 1.0, 3.0, 5.0]] * 2  # YuNet's case: one scale
    per_axis = op.dequantize(
        _node("DequantizeLinear", ["q", "s_axis", "z_axis"], ["y"], {"axis": 0}), consts
    )
    assert per_axis.tolist() == [[-4, 0, 4, 8, 12], [-16, -8, 0, 8, 16]]
    blocked = op.dequantize(
        _node("DequantizeLinear", ["q", "s_block", "z_block"], ["y"], {"axis": 1, "block_size": 2}),
        consts,
    )  # blocks of two columns, the last one cut short
    assert blocked.tolist() == [[-4, 0, 40, 80, 1200], [-8, 0, 80, 160, 2400]]
    assert blocked.dtype == np.float32


def _tensor(name: str, values: np.ndarray, dtype: int) -> bytes:
    fields: list[op.Field] = [(op.TENSOR_DIMS, op.VARINT, int(d)) for d in values.shape]
    fields += [
        (op.TENSOR_DATA_TYPE, op.VARINT, dtype),
        (op.TENSOR_NAME, op.BYTES, name.encode()),
        (op.TENSOR_RAW, op.BYTES, values.tobytes()),
    ]
    return op.serialise(fields)


def _attribute(name: str, value: int) -> bytes:
    return op.serialise(
        [
            (op.ATTR_NAME, op.BYTES, name.encode()),
            (op.ATTR_INT, op.VARINT, value),
            (20, op.VARINT, 2),
        ]
    )


def _node_bytes(
    kind: str, inputs: list[str], outputs: list[str], attrs: tuple[bytes, ...] = ()
) -> bytes:
    fields: list[op.Field] = [(op.NODE_INPUT, op.BYTES, i.encode()) for i in inputs]
    fields += [(op.NODE_OUTPUT, op.BYTES, o.encode()) for o in outputs]
    fields.append((op.NODE_OP_TYPE, op.BYTES, kind.encode()))
    fields += [(op.NODE_ATTRIBUTE, op.BYTES, a) for a in attrs]
    return op.serialise(fields)


def _value_info(name: str, dims: list[int]) -> bytes:
    shape = op.serialise(
        [(op.SHAPE_DIM, op.BYTES, op.serialise([(op.DIM_VALUE, op.VARINT, d)])) for d in dims]
    )
    tensor_type = op.serialise([(1, op.VARINT, op.FLOAT), (op.TENSOR_TYPE_SHAPE, op.BYTES, shape)])
    kind = op.serialise([(op.TYPE_TENSOR, op.BYTES, tensor_type)])
    return op.serialise([(op.VALUE_NAME, op.BYTES, name.encode()), (op.VALUE_TYPE, op.BYTES, kind)])


def _tiny_model(q: np.ndarray) -> bytes:
    """Y = X * reshape(DequantizeLinear(q, 0.25, 1; block_size=4)), X fixed at 1x4x2x2."""
    graph = [
        (
            op.GRAPH_NODE,
            op.BYTES,
            _node_bytes(
                "DequantizeLinear",
                ["q", "s", "z"],
                ["w_flat"],
                (_attribute("axis", 0), _attribute("block_size", 4)),
            ),
        ),
        (op.GRAPH_NODE, op.BYTES, _node_bytes("Reshape", ["w_flat", "shape"], ["w"])),
        (op.GRAPH_NODE, op.BYTES, _node_bytes("Mul", ["x", "w"], ["y"])),
        (op.GRAPH_INITIALIZER, op.BYTES, _tensor("q", q, op.INT8)),
        (op.GRAPH_INITIALIZER, op.BYTES, _tensor("s", np.array([0.25], dtype="<f4"), op.FLOAT)),
        (op.GRAPH_INITIALIZER, op.BYTES, _tensor("z", np.array([1], dtype=np.int8), op.INT8)),
        (
            op.GRAPH_INITIALIZER,
            op.BYTES,
            _tensor("shape", np.array([1, 4, 1, 1], dtype="<i8"), op.INT64),
        ),
        (op.GRAPH_INITIALIZER, op.BYTES, _tensor("unused", np.array([7], dtype="<i8"), op.INT64)),
        (op.GRAPH_INPUT, op.BYTES, _value_info("x", [1, 4, 2, 2])),
        (op.GRAPH_OUTPUT, op.BYTES, _value_info("y", [1, 4, 2, 2])),
        (op.GRAPH_VALUE_INFO, op.BYTES, _value_info("w", [1, 4, 1, 1])),
    ]
    opset = op.serialise([(2, op.VARINT, 21)])
    return op.serialise(
        [(1, op.VARINT, 10), (8, op.BYTES, opset), (op.MODEL_GRAPH, op.BYTES, op.serialise(graph))]
    )


def test_folded_model_runs_at_any_size_with_the_specs_values() -> None:
    q = np.array([-3, 1, 5, 9], dtype=np.int8)
    folded = op.fold_constants(_tiny_model(q), {2: "h", 3: "w"}, {2: "h", 3: "w"})
    graph = op.parse(next(v for n, _w, v in op.parse(folded) if n == op.MODEL_GRAPH))
    ops = [op.node_of(v).op_type for n, _w, v in graph if n == op.GRAPH_NODE]
    assert ops == ["Mul"]
    names = [
        op._strings(op.parse(v), op.TENSOR_NAME)[0]
        for n, _w, v in graph
        if n == op.GRAPH_INITIALIZER
    ]
    assert names == ["w"]  # the quantised inputs, the shape and the unused tensor are gone
    assert not any(n == op.GRAPH_VALUE_INFO for n, _w, _v in graph)
    session = ort.InferenceSession(folded, providers=["CPUExecutionProvider"])
    x = np.arange(4 * 3 * 5, dtype=np.float32).reshape(1, 4, 3, 5)  # not the declared 2x2
    (y,) = session.run(None, {"x": x})
    weights = (q.astype(np.float32) - 1) * 0.25
    np.testing.assert_array_equal(y, x * weights.reshape(1, 4, 1, 1))
