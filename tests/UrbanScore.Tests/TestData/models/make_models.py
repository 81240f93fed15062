#!/usr/bin/python3
"""Builds the tiny, deterministic ONNX models the Inference tests use for the Custom Vision export flavours that no
real file in ../shared/fixtures covers (customvision.md §1 rows C-E): model_output + labels.txt with a fixed batch of 1,
FP16 input, Sigmoid multilabel ZipMap, RGB and 0-1 metadata, plus "probe" models whose outputs are the input pixels so
tests can check channel order and value range pixel by pixel, and a few broken models.

Needs Debian's python3-onnx (1.12) and python3-numpy: apt-get install -y python3-onnx python3-numpy
Run from anywhere: /usr/bin/python3 tests/UrbanScore.Tests/TestData/models/make_models.py
The generated files are committed, so tests never need Python. Output is byte-for-byte reproducible.
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = [helper.make_opsetid("", 13), helper.make_opsetid("ai.onnx.ml", 1)]
COLOURS = ["blue", "green", "red"]  # Custom Vision sorts tags case-insensitively (customvision.md §3)
SIZE = 8  # colour classifiers take 8x8 images; probes take 2x2


def save(folder, graph, metadata=None, labels=None):
    model = helper.make_model(graph, opset_imports=OPSET, producer_name="urbanscore-make_models", producer_version="1")
    model.ir_version = 8  # ONNX Runtime 1.31 reads IR <= 11; onnx 1.12 writes 8
    for key, value in (metadata or {}).items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    path = os.path.join(HERE, folder)
    os.makedirs(path, exist_ok=True)
    onnx.save(model, os.path.join(path, "model.onnx"))
    if labels is not None:
        with open(os.path.join(path, "labels.txt"), "w", newline="\n") as f:
            f.write("\n".join(labels) + "\n")


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def colour_logits(nodes, inits, x, order, scale, bias):
    """Mean of each plane -> logits over COLOURS. order[i] = colour of plane i; logit = scale * mean + bias."""
    w = np.zeros((3, 3), dtype=np.float32)
    for plane, colour in enumerate(order):
        w[plane, COLOURS.index(colour)] = scale
    inits += [const("W", w), const("B", np.full(3, bias, dtype=np.float32))]
    nodes += [
        helper.make_node("GlobalAveragePool", [x], ["pooled"]),
        helper.make_node("Flatten", ["pooled"], ["flat"], axis=1),
        helper.make_node("MatMul", ["flat", "W"], ["mm"]),
        helper.make_node("Add", ["mm", "B"], ["logits"]),
    ]
    return "logits"


def image_input(batch, elem=TensorProto.FLOAT, size=SIZE, channels=3):
    return helper.make_tensor_value_info("data", elem, [batch, channels, size, size])


def colour_tensor_model(folder, batch, metadata, order=("blue", "green", "red"), scale=1 / 32, final="Softmax",
                        fp16=False, labels_file=True):
    """Gen D (customvision.md §1 row D/E): one float tensor `model_output` [batch, 3], labels in labels.txt."""
    nodes, inits = [], []
    x = "data"
    if fp16:
        nodes.append(helper.make_node("Cast", ["data"], ["data32"], to=TensorProto.FLOAT))
        x = "data32"
    bias = -4.0 if final == "Sigmoid" else 0.0
    out = colour_logits(nodes, inits, x, order, scale, bias)
    if final:
        nodes.append(helper.make_node(final, [out], ["probs"], **({"axis": 1} if final == "Softmax" else {})))
        out = "probs"
    if fp16:
        nodes.append(helper.make_node("Cast", [out], ["model_output"], to=TensorProto.FLOAT16))
    else:
        nodes.append(helper.make_node("Identity", [out], ["model_output"]))
    elem = TensorProto.FLOAT16 if fp16 else TensorProto.FLOAT
    graph = helper.make_graph(nodes, folder, [image_input(batch, elem)],
                              [helper.make_tensor_value_info("model_output", elem, [batch, 3])], inits)
    save(folder, graph, metadata, COLOURS if labels_file else None)


def zipmap_model(folder, labels, order, final, metadata, scale=1 / 32, size=SIZE):
    """Gens B/C (customvision.md §1): `classLabel` string + `loss` seq(map(string, float)), labels in the ZipMap."""
    nodes, inits = [], []
    bias = -4.0 if final == "Sigmoid" else 0.0
    w = np.zeros((3, len(labels)), dtype=np.float32)
    for plane, label in enumerate(order):
        w[plane, labels.index(label)] = scale
    inits += [const("W", w), const("B", np.full(len(labels), bias, dtype=np.float32)),
              numpy_helper.from_array(np.array([l.encode() for l in labels], dtype=object), "label_names")]
    nodes += [
        helper.make_node("GlobalAveragePool", ["data"], ["pooled"]),
        helper.make_node("Flatten", ["pooled"], ["flat"], axis=1),
        helper.make_node("MatMul", ["flat", "W"], ["mm"]),
        helper.make_node("Add", ["mm", "B"], ["logits"]),
        helper.make_node(final, ["logits"], ["probs"], **({"axis": 1} if final == "Softmax" else {})),
        helper.make_node("ArgMax", ["probs"], ["best"], axis=1, keepdims=1),
        helper.make_node("ArrayFeatureExtractor", ["label_names", "best"], ["classLabel"], domain="ai.onnx.ml"),
        helper.make_node("ZipMap", ["probs"], ["loss"], domain="ai.onnx.ml", classlabels_strings=labels),
    ]
    loss_type = onnx.TypeProto()  # onnx 1.12's helper has no map type builder
    loss_type.sequence_type.elem_type.map_type.key_type = TensorProto.STRING
    loss_type.sequence_type.elem_type.map_type.value_type.tensor_type.elem_type = TensorProto.FLOAT
    graph = helper.make_graph(nodes, folder, [image_input("None", size=size)], [
        helper.make_tensor_value_info("classLabel", TensorProto.STRING, ["rows", "cols"]),
        helper.make_value_info("loss", loss_type),
    ], inits)
    save(folder, graph, metadata)


def probe_model(folder, metadata):
    """model_output[n, c*4 + y*2 + x] = data[n, c, y, x] / 256, so tests read back each plane value of a 2x2 input."""
    nodes = [
        helper.make_node("Mul", ["data", "k"], ["scaled"]),
        helper.make_node("Flatten", ["scaled"], ["model_output"], axis=1),
    ]
    labels = [f"c{c}y{y}x{x}" for c in range(3) for y in range(2) for x in range(2)]
    graph = helper.make_graph(nodes, folder, [image_input("N", size=2)],
                              [helper.make_tensor_value_info("model_output", TensorProto.FLOAT, ["N", 12])],
                              [const("k", np.array(1 / 256, dtype=np.float32))])
    save(folder, graph, metadata, labels)


BGR_0_255 = {"Image.BitmapPixelFormat": "Bgr8", "Image.NominalPixelRange": "NominalRange_0_255"}

# Gen D: fixed batch 1, Softmax, labels.txt.
colour_tensor_model("colour-fixed1", 1, BGR_0_255)
# A fixed batch of 2: the scorer pads a last partial batch.
colour_tensor_model("colour-fixed2", 2, BGR_0_255)
# The same network with a dynamic batch and raw logits (no Softmax): the scorer must apply softmax itself.
colour_tensor_model("colour-logits", "N", BGR_0_255, final=None)
# Gen E: FP16 input and output, dynamic batch (-1 as in the OD FP16 export of Cognitive-CustomVision-Windows#24).
colour_tensor_model("colour-fp16", "N", BGR_0_255, fp16=True)
# RGB order and 0-1 range from metadata (S1-style): plane 0 is red, and values are 0..1 so the weights are 255x.
colour_tensor_model("colour-rgb-0-1", 1, {"Image.BitmapPixelFormat": "Rgb8", "Image.NominalPixelRange": "Normalized_0_1"},
                    order=("red", "green", "blue"), scale=255 / 32)
# Multilabel (Sigmoid) ZipMap model, gen B style metadata (Bgr8 only, no range key -> 0-255).
zipmap_model("colour-multilabel", COLOURS, ("blue", "green", "red"), "Sigmoid", {"Image.BitmapPixelFormat": "Bgr8"})
# A 2020-style ZipMap export with the tags of ../shared/fixtures/customvision/export-2020-sidecars; embedded metadata
# says BGR 0-255 while that folder's metadata_properties.json says Rgb8 / Normalized_0_1 (customvision.md §2.2).
zipmap_model("cv2020-zipmap", ["dessert", "soup", "Vegetable-Fruit"], ("dessert", "soup", "Vegetable-Fruit"),
             "Sigmoid", BGR_0_255)
# Probes for the preprocessing variants.
probe_model("probe-default", {})
probe_model("probe-rgb", {"Image.BitmapPixelFormat": "Rgb8", "Image.NominalPixelRange": "NominalRange_0_255"})
probe_model("probe-0-1", {"Image.BitmapPixelFormat": "Bgr8", "Image.NominalPixelRange": "Normalized_0_1"})

# Broken models: one thing wrong each.
colour_tensor_model("no-labels", 1, BGR_0_255, labels_file=False)
save("bad-rank", helper.make_graph(
    [helper.make_node("ReduceMean", ["data"], ["model_output"], axes=[2], keepdims=0)], "bad-rank",
    [helper.make_tensor_value_info("data", TensorProto.FLOAT, [1, 3, 8])],
    [helper.make_tensor_value_info("model_output", TensorProto.FLOAT, [1, 3])]), BGR_0_255, COLOURS)
save("bad-channels", helper.make_graph(
    [helper.make_node("GlobalAveragePool", ["data"], ["pooled"]),
     helper.make_node("Flatten", ["pooled"], ["model_output"], axis=1)], "bad-channels",
    [helper.make_tensor_value_info("data", TensorProto.FLOAT, [1, 4, 8, 8])],
    [helper.make_tensor_value_info("model_output", TensorProto.FLOAT, [1, 4])]), BGR_0_255, COLOURS + ["alpha"])
save("bad-output", helper.make_graph(
    [helper.make_node("GlobalAveragePool", ["data"], ["pooled"]),
     helper.make_node("Flatten", ["pooled"], ["flat"], axis=1),
     helper.make_node("ArgMax", ["flat"], ["index"], axis=1, keepdims=1)], "bad-output",
    [image_input(1)], [helper.make_tensor_value_info("index", TensorProto.INT64, [1, 1])]), BGR_0_255, COLOURS)
