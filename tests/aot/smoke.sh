#!/usr/bin/env bash
# Runs a native AOT publish of the tool (dotnet publish src/UrbanScore.Cli -c Release -r linux-x64 -p:PublishAot=true)
# through every command family and checks the outputs with GDAL, so a trimming or reflection gap in that publish fails
# CI instead of a user's run. The xunit suite tests the JIT build; this tests the same commands in the other binary.
# Usage: tests/aot/smoke.sh DIR/UrbanScore.Cli [SHARED]   (SHARED: the shared fixtures folder, default ../shared)
set -uo pipefail
cli=$(realpath "$1")
shared=$(realpath "${2:-../shared}")
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cd "$work" || exit 1
failures=0

# check NAME COMMAND...: runs it (bounded), prints ok or the last lines of its output.
check() {
  local name=$1; shift
  local out
  if out=$(timeout 300 "$@" 2>&1); then
    echo "ok   $name"
  else
    echo "FAIL $name (exit $?):"; printf '%s\n' "$out" | tail -n 5 | sed 's/^/     /'
    failures=$((failures + 1))
  fi
}

# expect NAME CODE COMMAND...: the command must exit with CODE (bad input is exit 2 with one sentence).
expect() {
  local name=$1 code=$2; shift 2
  timeout 60 "$@" >out.txt 2>&1
  local got=$?
  if [ "$got" -eq "$code" ]; then echo "ok   $name"; else echo "FAIL $name: exit $got, wanted $code"; tail -n 3 out.txt | sed 's/^/     /'; failures=$((failures + 1)); fi
}

check "demo (score, products, accuracy)" "$cli" demo --out demo
check "heatmap.tif opens in GDAL" gdalinfo demo/heatmap.tif
check "scores.tif opens in GDAL" gdalinfo demo/scores.tif
check "heatmap.mbtiles opens in GDAL" gdalinfo demo/heatmap.mbtiles
check "render" "$cli" render --out demo
check "stats" "$cli" stats demo
check "stats --by-country --json" "$cli" stats demo --by-country --json
check "demo-world outlines (GeoJSON out)" "$cli" demo-world outlines --bbox 6.2,51.2,7.8,51.8 --out truth.geojson
check "evaluate against GeoJSON (GeoJSON in)" "$cli" evaluate demo --truth truth.geojson --json --plot roc.png
check "stats --by GeoJSON regions" "$cli" stats demo --by truth.geojson
check "compare" "$cli" compare demo demo --out change
check "export csv" "$cli" export --out demo --format csv
check "export geojson" "$cli" export --out demo --format geojson
check "export gpkg" "$cli" export --out demo --format gpkg
check "plan --json" "$cli" plan --country FI --zoom 10 --shards 3 --json
check "countries --json" "$cli" countries --json
check "inspect-model --json" "$cli" inspect-model "$shared/fixtures/models/sqz_city_cv.onnx" --json
image=$(find "$shared/fixtures/imagery" -name '*.jpg' | head -n 1)
check "classify" "$cli" classify "$image" --model "$shared/fixtures/models/sqz_city_cv.onnx"
capabilities=$(find "$shared/fixtures/wmts" -name '*.xml' | head -n 1)
check "capabilities" "$cli" capabilities "$capabilities"
check "bench --json" "$cli" bench --tiles 200 --stage-seconds 1 --json

# serve the run folder on loopback and fetch a tile, the tilejson and the viewer from it
port=$((20000 + RANDOM % 20000))
"$cli" serve demo --port "$port" >serve.log 2>&1 &
server=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/tilejson.json" >/dev/null && break; sleep 0.2; done
check "serve: tilejson.json" curl -sf "http://127.0.0.1:$port/tilejson.json"
check "serve: viewer" curl -sf "http://127.0.0.1:$port/"
kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; server=""

# score a GeoJSON polygon from the demo world's WMTS, served on loopback by the same binary
"$cli" serve --demo-world --port "$port" >world.log 2>&1 &
server=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.2; done
printf '%s' '{"type":"Polygon","coordinates":[[[6.9,51.4],[7.1,51.4],[7.1,51.5],[6.9,51.5],[6.9,51.4]]]}' >area.geojson
check "score --wmts --area GeoJSON" "$cli" score --wmts "http://127.0.0.1:$port/wmts/1.0.0/WMTSCapabilities.xml" --area area.geojson --zoom 13 --model "$(dirname "$cli")/models/urbanscore-demo.onnx" --out scored
kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; server=""

expect "bad input: exit 2" 2 "$cli" score --xyz "http://127.0.0.1:9/{z}/{x}/{y}.png" --bbox 1,2,3 --zoom 10 --out bad

if [ "$failures" -ne 0 ]; then
  echo "$failures native AOT check(s) failed"
  exit 1
fi
echo "native AOT publish: every check passed"
