#!/usr/bin/env bash
# Writes this folder's results.md (the batch-size table) and accuracy-by-batch-size.png (the UI's
# experiment page in headless Chromium) from a tracker that ran the `batch-size-study` preset.
#
# Usage: models/batch-size-study/collect.sh [TRACKER_URL] [EXPERIMENT_ID]   (default http://localhost:8080 1)
# Needs: curl, jq, chromium (Debian packages).
set -euo pipefail
cd "$(dirname "$0")"
URL=${1:-http://localhost:8080}
EXP=${2:-1}

runs=$(curl -fsS "$URL/api/runs?experiment=$EXP&sort=batchSize&size=100")
{
  echo "| batch size | fold accuracies | mean ± std | median epoch img/s | training time (s, all folds) | status |"
  echo "|---:|---|---|---:|---:|---|"
  for id in $(jq -r '.items[].id' <<<"$runs"); do
    curl -fsS "$URL/api/runs/$id" | jq -r '
      def median: sort | if length == 0 then null else .[(length - 1) / 2 | floor] end;
      [.folds[].epochs[].imagesPerSec] as $ips
      | [.folds[].epochs[].seconds] as $secs
      | "| \(.batchSize) | \([.folds[].accuracy | select(. != null) | (. * 1000 | round) / 1000] | join(", "))"
        + " | \(if .meanAccuracy then "\(.meanAccuracy * 1000 | round / 1000) ± \(.stdAccuracy * 1000 | round / 1000)" else "-" end)"
        + " | \($ips | median | if . then round else "-" end) | \($secs | add // 0 | round) | \(.status) |"'
  done
  jq -r '.items[] | select(.testAccuracy != null)
    | "\nFinal fit: batch size \(.batchSize) retrained on all development images scored \(.testAccuracy * 1000 | round / 1000) on the held-out images."' <<<"$runs"
} > results.md
cat results.md

chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1100 \
  --virtual-time-budget=8000 --screenshot="$PWD/accuracy-by-batch-size.png" "$URL/#/experiments/$EXP" 2>/dev/null
echo "wrote $PWD/results.md and $PWD/accuracy-by-batch-size.png" >&2
