#!/bin/sh
# Runs the Node.js peer and urbanscore against the same local tile server and model, and prints both figures.
# Usage: benchmarks/peers/node/run.sh [model.onnx] [tiles]   (from the repository root; needs npm ci here first)
# The peer runs a copy of the model with the softmax tensor as a graph output (probs-model.py, into a temporary folder).
set -eu
MODEL=${1:-../shared/fixtures/models/sqz_city_cv.onnx}
TILES=${2:-2000}
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT
OUTPUT=$(/usr/bin/python3 "$HERE/probs-model.py" "$MODEL" "$TMP/model-probs.onnx")
CLI="dotnet src/UrbanScore.Cli/bin/Release/net10.0/UrbanScore.Cli.dll"
$CLI bench --serve > "$TMP/serve.log" &
SERVER=$!
while ! grep -q serving "$TMP/serve.log" 2>/dev/null; do sleep 0.2; done
TEMPLATE=$(sed -n 's/.* at \(http[^ ]*\)$/\1/p' "$TMP/serve.log")
echo "peer (node): $(node "$HERE/score.mjs" --template "$TEMPLATE" --model "$TMP/model-probs.onnx" --tiles "$TILES" --output "$OUTPUT")"
kill $SERVER
echo "urbanscore:"
$CLI bench --model "$MODEL" --tiles "$TILES" --json | /usr/bin/python3 -c "import json,sys; r=json.load(sys.stdin); print(json.dumps({'peer':'urbanscore','tilesPerSecond':r['endToEnd']['tilesPerSecond'],'decode':r['decode']['tilesPerSecond'],'inference':r['inference']['tilesPerSecond'],'efficiency':r['efficiency'],'batch':r['settings']['batchSize']}))"
