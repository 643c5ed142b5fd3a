#!/bin/sh
# finish.sh — run by pod 0 after its own shard: waits for all SHARDS shard files,
# merges them into this week's inventory, diffs it against last week's, alerts on new
# agents and new secrets, and rotates the inventory (org.json -> last-week.json).
#
# Layout of the shared volume:
#   /data/runs/<job>/shard-<i>.json   every shard of one run
#   /data/runs/<job>/org.json          the merged inventory of that run
#   /data/runs/<job>/diff.md           its diff against the week before (markdown)
#   /data/state/org.json               the latest inventory
#   /data/state/last-week.json         the inventory the next run diffs against
#   /data/state/diff.md                the latest diff
#   /data/state/ALERT                  present while the latest diff has new agents/secrets
#
# Environment: SHARDS, RUN_ID; optional FAIL_ON (default new-agent,new-secret),
# ALERT_WEBHOOK_URL (a Slack/Teams/Mattermost-style incoming webhook, from a Secret),
# SHARD_WAIT_SECONDS, KEEP_RUNS.
set -eu

: "${SHARDS:?}" "${RUN_ID:?}"
DATA=${DATA:-/data}
RUN=$DATA/runs/$RUN_ID
STATE=$DATA/state
FAIL_ON=${FAIL_ON:-new-agent,new-secret}
WAIT=${SHARD_WAIT_SECONDS:-21600}
KEEP_RUNS=${KEEP_RUNS:-8}

log() { echo "finish: $*"; }
mkdir -p "$STATE"

if [ -e "$RUN/done" ]; then
  log "$RUN_ID already finished (pod retried); nothing to do"
  exit 0
fi

log "waiting for $SHARDS shard inventories (up to ${WAIT}s)"
start=$(date +%s)
while :; do
  have=$(find "$RUN" -maxdepth 1 -name 'shard-*.json' -type f | wc -l)
  [ "$have" -ge "$SHARDS" ] && break
  if [ $(($(date +%s) - start)) -ge "$WAIT" ]; then
    log "gave up: only $have of $SHARDS shards written"
    exit 1
  fi
  sleep 15
done

aiscout merge "$RUN"/shard-*.json -o "$RUN/org.json"

alert=0
if [ -s "$STATE/last-week.json" ]; then
  rc=0
  if aiscout diff --help 2>/dev/null | grep -q -- '--fail-on'; then
    # Exit 1: the diff shows one of FAIL_ON (new agents, new non-baselined secrets).
    aiscout diff "$STATE/last-week.json" "$RUN/org.json" --format markdown \
      --fail-on "$FAIL_ON" >"$RUN/diff.md" || rc=$?
  else
    aiscout diff "$STATE/last-week.json" "$RUN/org.json" --format markdown >"$RUN/diff.md" || rc=$?
    [ "$rc" -eq 0 ] && [ -n "$(aiscout diff "$STATE/last-week.json" "$RUN/org.json" --format json \
      | jq -r 'select((.new_units | length) > 0 or ([.new_secrets[] | select(.baselined | not)] | length) > 0) | "x"')" ] && rc=1
  fi
  case $rc in
    0) log "no new agents or secrets since last week" ;;
    1) alert=1; log "NEW since last week ($FAIL_ON): see $RUN/diff.md" ;;
    *) log "aiscout diff failed (exit $rc)"; exit 1 ;;
  esac
else
  printf '# aiscout: first inventory\n\nNo earlier inventory to compare with; next week'"'"'s run diffs against this one.\n' >"$RUN/diff.md"
  log "first run: no last-week.json yet"
fi

# The diff in the pod log, for log-based alerting (alert on the line "aiscout-alert:").
cat "$RUN/diff.md"
if [ "$alert" -eq 1 ]; then
  echo "aiscout-alert: new agents or secrets in the organisation since last week ($RUN/diff.md)"
  if [ -n "${ALERT_WEBHOOK_URL:-}" ]; then
    # {"text": "<markdown>"} is what Slack, Mattermost and Teams' incoming webhooks take.
    jq -Rs '{text: .}' <"$RUN/diff.md" \
      | curl -fsS --retry 3 -H 'Content-Type: application/json' --data-binary @- "$ALERT_WEBHOOK_URL" >/dev/null
    log "alert posted to the webhook"
  fi
fi

# Rotation, last: a failure above leaves last-week.json as it was, and the retried pod
# diffs against the same baseline again (so no alert is lost).
cp "$RUN/org.json" "$STATE/org.json.tmp" && mv -f "$STATE/org.json.tmp" "$STATE/org.json"
cp "$RUN/diff.md" "$STATE/diff.md.tmp" && mv -f "$STATE/diff.md.tmp" "$STATE/diff.md"
if [ "$alert" -eq 1 ]; then cp "$RUN/diff.md" "$STATE/ALERT"; else rm -f "$STATE/ALERT"; fi
cp "$STATE/org.json" "$STATE/last-week.json.tmp" && mv -f "$STATE/last-week.json.tmp" "$STATE/last-week.json"
touch "$RUN/done"
log "rotated: $STATE/org.json -> $STATE/last-week.json"

# Keep the last KEEP_RUNS runs (inventories and diffs), oldest removed first.
find "$DATA/runs" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' | sort -rn \
  | awk -v k="$KEEP_RUNS" 'NR > k { print $2 }' | while read -r old; do rm -rf "$old"; done
