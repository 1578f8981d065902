#!/usr/bin/env bash
# CI smoke training: a few thousand rows, one epoch, into a temporary folder (the committed
# models are not touched). Needs: apt-get install -y python3-torch python3-onnx python3-numpy
# python3-pandas python3-scipy python3-sklearn (sklearn optional: two delivery baselines).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="$(mktemp -d /tmp/fusion-smoke.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
npx tsc -p tsconfig.build.json
node dist/src/cli/index.js features export --smoke --out "$WORK/data"
/usr/bin/python3 training/train.py --smoke --data "$WORK/data" --models "$WORK/models"
test -s "$WORK/models/delivery_risk/1/model.onnx"
test -s "$WORK/models/recommendation/1/model.onnx"
test -s "$WORK/models/metrics.json"
echo "smoke training OK"
