#!/bin/sh
# scan.sh — main container of pod JOB_COMPLETION_INDEX of the Indexed Job.
#
# Scans shard JOB_COMPLETION_INDEX+1 of SHARDS of the mirrors (aiscout picks the
# repositories by a stable hash of their remote URL, so each repository is scanned by
# exactly one pod, the same pod every week) and writes $RUN/shard-INDEX.json. Pod 0
# then runs finish.sh: waits for every shard, merges, diffs against last week, alerts.
#
# Environment: SHARDS, JOB_COMPLETION_INDEX, RUN_ID; optional SCAN_ARGS (extra
# `aiscout scan` options, e.g. "--history").
set -eu

: "${SHARDS:?}" "${JOB_COMPLETION_INDEX:?}" "${RUN_ID:?}"
DATA=${DATA:-/data}
RUN=$DATA/runs/$RUN_ID
IDX=$JOB_COMPLETION_INDEX
OUT=$RUN/shard-$IDX.json

log() { echo "scan[$IDX]: $*"; }

# A per-shard cache survives between weeks (the shard of a repository never changes
# while SHARDS stays the same), when this aiscout has --cache.
cache=""
if aiscout scan --help 2>/dev/null | grep -q -- '--cache'; then
  mkdir -p "$DATA/cache/shard-$IDX-of-$SHARDS"
  cache="--cache $DATA/cache/shard-$IDX-of-$SHARDS"
fi

rm -f "$OUT.tmp"
rc=0
# shellcheck disable=SC2086 # $cache and $SCAN_ARGS are lists of options
aiscout scan "$DATA/mirrors" --shard "$((IDX + 1))/$SHARDS" $cache ${SCAN_ARGS:-} \
  --stats -f json -o "$OUT.tmp" || rc=$?
# 0: clean. 2 with a report: scanned, but some repository or file could not be read
# (listed in the report's stats.faults and above); the shard still counts. Anything
# else is a failure, and Kubernetes retries the pod.
if [ "$rc" -ne 0 ] && { [ "$rc" -ne 2 ] || [ ! -s "$OUT.tmp" ]; }; then
  log "aiscout scan failed (exit $rc)"
  exit 1
fi
[ "$rc" -eq 2 ] && log "scan finished with faults (see above); keeping the report"
# Rename: pod 0 must never read a half-written shard.
mv -f "$OUT.tmp" "$OUT"
log "wrote $OUT"

if [ "$IDX" -eq 0 ]; then
  exec /bin/sh "$(dirname "$0")/finish.sh"
fi
