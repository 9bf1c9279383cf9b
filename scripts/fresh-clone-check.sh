#!/usr/bin/env bash
# README's promise, checked as a new user meets it: clone the committed HEAD into an empty temp folder (no
# shared/ beside it, AUTOEDIT_SHARED pointing at a folder that does not exist, no AUTOEDIT_MODELS), then run
# README's two commands there, `npm run demo` and `npm test`. Exits non-zero if either fails. Uncommitted
# changes are not part of the check: commit first. .ci/run calls this after the normal `npm test`.
#
#   bash scripts/fresh-clone-check.sh [--keep]     (--keep: leave the temp folder for inspection)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
say() { printf '[fresh-clone] %s\n' "$*" >&2; }
keep=false
[ "${1:-}" = "--keep" ] && keep=true

sha="$(git -C "$repo" rev-parse HEAD)"
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
  say "note: $repo has uncommitted changes; they are not checked (the clone is of HEAD, ${sha:0:12})"
fi

root="$(mktemp -d "${TMPDIR:-/tmp}/autoedit-fresh-clone.XXXXXX")"
cleanup() {
  if $keep; then say "kept $root"; else rm -rf "$root"; fi
}
trap cleanup EXIT
clone="$root/autoedit"

# The exact commit, also when HEAD is detached (as in CI): fetch it by name from the source repository.
git clone --quiet --no-checkout "$repo" "$clone"
git -C "$clone" fetch --quiet "$repo" HEAD
git -C "$clone" checkout --quiet --detach FETCH_HEAD
[ "$(git -C "$clone" rev-parse HEAD)" = "$sha" ] || { say "cloned the wrong commit"; exit 1; }
[ ! -e "$root/shared" ] || { say "$root/shared exists"; exit 1; }
say "cloned ${sha:0:12} into $clone ($(du -sh "$clone" | cut -f1) with .git); no shared/ beside it"

# A new user's environment: no shared media, no Whisper models, nothing from an enclosing npm run.
export AUTOEDIT_SHARED="$root/no-shared"
unset AUTOEDIT_MODELS
for v in $(compgen -e | grep '^npm_' || true); do unset "$v"; done

step() {
  local name="$1"
  shift
  local t0=$SECONDS
  say "\$ $* (in the clone)"
  if ! (cd "$clone" && "$@") 2>&1 | tee "$root/$name.log"; then
    say "FAILED: $* ($((SECONDS - t0)) s); the clone's log is above"
    exit 1
  fi
  say "ok: $* ($((SECONDS - t0)) s)"
}

t0=$SECONDS
step demo npm run demo
step test npm test
summary="$(grep -E '^ +[0-9]+ (passing|pending|failing)' "$root/test.log" | tr -s ' ' | paste -sd, - || true)"
say "fresh clone passed in $((SECONDS - t0)) s:${summary}"
skips="$(grep -E '^ +skipped: ' "$root/test.log" | sed 's/^ *skipped: /  - /' | sort -u || true)"
[ -z "$skips" ] || printf '[fresh-clone] skipped without shared/ (by design):\n%s\n' "$skips" >&2
