#!/bin/sh
# Runs the Node.js peer and urbanscore against the same local tile server and model, and prints both figures.
# Usage: benchmarks/peers/node/run.sh [model.onnx] [tiles]   (from the repository root; needs npm ci here first)
# onnxruntime-node cannot read Custom Vision's seq(map) "loss" output, so the peer runs a copy of the model with the
# softmax tensor ("probs", the ZipMap's input) added as a graph output: the same network, made by /usr/bin/python3 with
# python3-onnx (Debian) into a temporary folder.
set -eu
MODEL=${1:-../shared/fixtures/models/sqz_city_cv.onnx}
TILES=${2:-2000}
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT
/usr/bin/python3 - "$MODEL" "$TMP/model-probs.onnx" <<'PY'
import sys, onnx
m = onnx.load(sys.argv[1])
zipmap = [n for n in m.graph.node if n.op_type == "ZipMap"]
if zipmap and not any(o.name == zipmap[0].input[0] for o in m.graph.output):
    m.graph.output.append(onnx.helper.make_tensor_value_info(zipmap[0].input[0], onnx.TensorProto.FLOAT, None))
onnx.save(m, sys.argv[2])
PY
CLI="dotnet src/UrbanScore.Cli/bin/Release/net10.0/UrbanScore.Cli.dll"
$CLI bench --serve > "$TMP/serve.log" &
SERVER=$!
while ! grep -q serving "$TMP/serve.log" 2>/dev/null; do sleep 0.2; done
TEMPLATE=$(sed -n 's/.* at \(http[^ ]*\)$/\1/p' "$TMP/serve.log")
OUTPUT=$(/usr/bin/python3 -c "import onnx,sys; m=onnx.load(sys.argv[1]); print('probs' if any(o.name=='probs' for o in m.graph.output) else m.graph.output[-1].name)" "$TMP/model-probs.onnx")
echo "peer (node): $(node "$HERE/score.mjs" --template "$TEMPLATE" --model "$TMP/model-probs.onnx" --tiles "$TILES" --output "$OUTPUT")"
kill $SERVER
echo "urbanscore:"
$CLI bench --model "$MODEL" --tiles "$TILES" --json | /usr/bin/python3 -c "import json,sys; r=json.load(sys.stdin); print(json.dumps({'peer':'urbanscore','tilesPerSecond':r['endToEnd']['tilesPerSecond'],'decode':r['decode']['tilesPerSecond'],'inference':r['inference']['tilesPerSecond'],'efficiency':r['efficiency'],'batch':r['settings']['batchSize']}))"
