#!/bin/bash
# Whole-process wall time of `urbanscore score` against the Node.js peer: the same real JPEG tiles served on loopback
# by `urbanscore bench --serve --images`, the same model and the same tile list (z16, rows of 256 columns from
# (20000, 30000), what score.mjs fetches), runs alternating so both see the same machine. Each run is timed from
# process start to exit (start-up, model load, every tile, outputs written; the peer with no warm-up run).
# Usage: benchmarks/peers/node/compare.sh [model.onnx] [tiles] [rounds] [images-folder]
#   (from the repository root, after `dotnet build -c Release` and `npm ci` in benchmarks/peers/node;
#   URBANSCORE_CLI overrides the command, e.g. "dotnet /copy/of/UrbanScore.Cli.dll")
# Prints one line per run and the medians; needs /usr/bin/python3 with python3-onnx (see run.sh).
set -euo pipefail
MODEL=${1:-../shared/fixtures/models/sqz_city_cv.onnx}
TILES=${2:-2048}
ROUNDS=${3:-3}
IMAGES=${4:-../shared/fixtures/imagery/ucmerced}
HERE=$(cd "$(dirname "$0")" && pwd)
CLI=${URBANSCORE_CLI:-"dotnet src/UrbanScore.Cli/bin/Release/net10.0/UrbanScore.Cli.dll"}
TMP=$(mktemp -d)
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; rm -rf "$TMP"' EXIT
OUTPUT=$(/usr/bin/python3 "$HERE/probs-model.py" "$MODEL" "$TMP/model-probs.onnx")
/usr/bin/python3 -c "
import sys
n=int(sys.argv[1])
print('z,x,y')
for i in range(n): print(f'16,{20000 + i % 256},{30000 + i // 256}')" "$TILES" > "$TMP/tiles.csv"
$CLI bench --serve --images "$IMAGES" > "$TMP/serve.log" &
SERVER=$!
while ! grep -q serving "$TMP/serve.log" 2>/dev/null; do sleep 0.2; done
TEMPLATE=$(sed -n 's/.* at \(http[^ ]*\)$/\1/p' "$TMP/serve.log")
now() { date +%s.%N; }
for round in $(seq 1 "$ROUNDS"); do
  start=$(now)
  node "$HERE/score.mjs" --template "$TEMPLATE" --model "$TMP/model-probs.onnx" --tiles "$TILES" --output "$OUTPUT" --warmup 0 > "$TMP/node.json"
  node_s=$(echo "$(now) - $start" | bc)
  rm -rf "$TMP/out"
  start=$(now)
  $CLI score --xyz "$TEMPLATE" --zoom 16 --tiles "$TMP/tiles.csv" --model "$MODEL" --concurrency 32 --out "$TMP/out" > "$TMP/score.log" 2>&1 || { echo "urbanscore score failed:"; tail -3 "$TMP/score.log"; exit 1; }
  us_s=$(echo "$(now) - $start" | bc)
  scored=$(/usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['tiles']['scored'])" "$TMP/out/run.json" 2>/dev/null || echo "?")
  echo "round $round: node $node_s s ($(/usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['tilesPerSecond'])" "$TMP/node.json") tiles/s in-run), urbanscore $us_s s ($scored scored), load $(cut -d' ' -f1 /proc/loadavg)"
  echo "$node_s $us_s" >> "$TMP/times"
done
/usr/bin/python3 - "$TMP/times" "$TILES" <<'PY'
import sys, statistics
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1])]
tiles = int(sys.argv[2])
node = statistics.median(r[0] for r in rows); us = statistics.median(r[1] for r in rows)
ratios = sorted(r[0] / r[1] for r in rows)
print(f"median whole-process: node {node:.2f} s ({tiles / node:.1f} tiles/s), urbanscore {us:.2f} s ({tiles / us:.1f} tiles/s); "
      f"urbanscore faster by {node / us:.2f}x (per-round ratios {', '.join(f'{r:.2f}' for r in ratios)})")
PY
