#!/bin/sh
# mirror.sh — init container of pod JOB_COMPLETION_INDEX of the Indexed Job.
#
# Brings the mirrors of this pod's shard up to date on the shared volume, and only
# those: `git clone --mirror` the first time, `git remote update --prune` after that.
# Which repositories are in shard I/N is aiscout's decision (a stable hash of each
# repository's identity, its remote URL), so the pod asks aiscout: it makes an empty
# placeholder repository per listed URL (git init --bare, the URL as origin, one empty
# commit: no network, milliseconds each), runs `aiscout scan --shard I/N` over them
# and reads the selected identities from the inventory. The scan container then runs
# `aiscout scan /data/mirrors --shard I/N`, which selects exactly these mirrors: every
# mirror is fetched and scanned by one pod, the same pod every week (while SHARDS
# stays the same), so pods never wait for or race with each other.
# Pod 0 also deletes the mirrors of repositories no longer listed.
#
# Environment: SHARDS, JOB_COMPLETION_INDEX (set by Kubernetes), RUN_ID (the Job's
# name), optional GIT_TOKEN (HTTPS token, from a Secret).
set -eu

: "${SHARDS:?}" "${JOB_COMPLETION_INDEX:?}" "${RUN_ID:?}"
REPOS_FILE=${REPOS_FILE:-/config/repos.txt}
DATA=${DATA:-/data}
MIRRORS=$DATA/mirrors
INCOMING=$DATA/incoming
RUN=$DATA/runs/$RUN_ID
IDX=$JOB_COMPLETION_INDEX
SHARD="$((IDX + 1))/$SHARDS"
TMP=${TMPDIR:-/tmp}/aiscout-plan

log() { echo "mirror[$IDX]: $*"; }

mkdir -p "$MIRRORS" "$INCOMING" "$RUN"

# The token goes to git through a credential helper reading the environment: it is
# never written to disk, into a remote URL, or into a mirror's config. GIT_CONFIG_*
# (git >= 2.31) needs no writable $HOME.
if [ -n "${GIT_TOKEN:-}" ]; then
  export GIT_CONFIG_COUNT=1
  export GIT_CONFIG_KEY_0=credential.helper
  # shellcheck disable=SC2016 # expanded by the helper's shell, not here
  export GIT_CONFIG_VALUE_0='!f() { echo username=x-access-token; echo "password=$GIT_TOKEN"; }; f'
fi
export GIT_TERMINAL_PROMPT=0
export GIT_AUTHOR_NAME=aiscout GIT_AUTHOR_EMAIL=aiscout@localhost
export GIT_COMMITTER_NAME=aiscout GIT_COMMITTER_EMAIL=aiscout@localhost

# repos.txt: one clone URL per line; blank lines and '#' comments ignored.
# https://github.com/acme/api.git  ->  $MIRRORS/github.com/acme/api.git
# git@github.com:acme/api.git      ->  $MIRRORS/github.com/acme/api.git
mirror_dir() {
  printf '%s\n' "$1" | sed -E 's#^[a-zA-Z+]+://##; s#^[^@/]*@##; s#^/+##; s#:([^0-9/])#/\1#; s#/+$##; s#\.git$##; s#$#.git#'
}
sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e 's/^[[:space:]]*//' "$REPOS_FILE" | grep -v '^$' | sort -u >"$TMP.urls" || true
total=$(wc -l <"$TMP.urls")

# Which URLs are in this shard? Ask aiscout, over placeholders.
rm -rf "$TMP"
mkdir -p "$TMP"
n=0
while read -r url; do
  n=$((n + 1))
  git init -q --bare "$TMP/$n.git"
  git -C "$TMP/$n.git" remote add origin "$url"
  tree=$(git -C "$TMP/$n.git" hash-object -t tree -w --stdin </dev/null)
  git -C "$TMP/$n.git" update-ref HEAD "$(git -C "$TMP/$n.git" commit-tree "$tree" -m placeholder)"
done <"$TMP.urls"
aiscout scan "$TMP" --shard "$SHARD" -q -f json -o "$TMP.plan.json"
jq -r '.repositories[] | select(.git) | .identity' "$TMP.plan.json" | sort -u >"$TMP.mine"
log "$(wc -l <"$TMP.mine") of $total listed repositories are in shard $SHARD"

ok=0 failed=0
failures="$RUN/mirror-failures-$IDX.txt"
: >"$failures"
while read -r url; do
  dir="$MIRRORS/$(mirror_dir "$url")"
  if [ -d "$dir" ]; then
    if git -C "$dir" remote update --prune >/dev/null 2>"$TMP.err"; then
      ok=$((ok + 1))
    else
      failed=$((failed + 1))
      log "FAILED to update $url (the mirror of last time is scanned): $(tail -n 1 "$TMP.err")"
      echo "$url" >>"$failures"
    fi
  else
    # Clone next to, not inside, the mirrors: a half-finished clone is never scanned.
    tmp="$INCOMING/$IDX.$(mirror_dir "$url" | tr '/' '_')"
    rm -rf "$tmp"
    if git clone --mirror --quiet -- "$url" "$tmp" 2>"$TMP.err"; then
      mkdir -p "$(dirname "$dir")"
      mv "$tmp" "$dir"
      ok=$((ok + 1))
    else
      rm -rf "$tmp"
      failed=$((failed + 1))
      log "FAILED to clone $url: $(tail -n 1 "$TMP.err")"
      echo "$url" >>"$failures"
    fi
  fi
done <"$TMP.mine"
log "$ok mirrors up to date, $failed failed"

# Pod 0: forget repositories that left the list (archived, deleted, moved). Other pods
# only ever touch listed repositories, so this never races with them.
if [ "$IDX" -eq 0 ]; then
  while read -r url; do echo "$MIRRORS/$(mirror_dir "$url")"; done <"$TMP.urls" | sort -u >"$TMP.keep"
  find "$MIRRORS" -type d -name '*.git' -prune -print | sort | while read -r d; do
    if ! grep -qxF "$d" "$TMP.keep"; then
      log "removing $d (no longer in repos.txt)"
      rm -rf "$d"
    fi
  done
fi
rm -rf "$TMP"
