#!/usr/bin/python3
"""Writes a copy of a Custom Vision model that the Node.js peer can run, and prints the output to read.

onnxruntime-node cannot read Custom Vision's seq(map) output, so the copy also exposes the softmax tensor (the
ZipMap's input) as a graph output: the same network. Usage: probs-model.py MODEL.onnx COPY.onnx (needs python3-onnx).
"""
import sys

import onnx

model = onnx.load(sys.argv[1])
zipmap = [n for n in model.graph.node if n.op_type == "ZipMap"]
output = zipmap[0].input[0] if zipmap else model.graph.output[-1].name
if zipmap and not any(o.name == output for o in model.graph.output):
    model.graph.output.append(onnx.helper.make_tensor_value_info(output, onnx.TensorProto.FLOAT, None))
onnx.save(model, sys.argv[2])
print(output)
