#!/usr/bin/env bash
# Opens an exported project in the real editor under Xvfb, waits for it to load, lists the visible
# windows (an error or repair dialog shows up there) and saves a screenshot.
#   scripts/screenshot-editors.sh runs/demo/outputs/demo.kdenlive shot-kdenlive.png
#   scripts/screenshot-editors.sh runs/demo/outputs/demo.mlt shot-shotcut.png
# CLICK="x,y" clicks there before the screenshot (e.g. on a timeline clip, to see what is grouped with it).
# Needs: kdenlive or shotcut, xvfb, imagemagick, xdotool, dbus-x11, qdbus-qt5 (Debian packages).
set -euo pipefail
file=$(realpath "$1"); out=$(realpath -m "${2:-screenshot.png}"); wait_s=${WAIT:-25}
case "$file" in
  *.kdenlive) app=kdenlive ;;
  *.mlt) app=shotcut ;;
  *) echo "usage: $0 <project.kdenlive|project.mlt> [out.png]" >&2; exit 2 ;;
esac
command -v "$app" >/dev/null || { echo "$app is not installed (apt-get install $app)" >&2; exit 3; }

# A private home, config and temp dir per run: no first-run or "crashed last time" dialogs leak between runs.
sandbox=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$sandbox"' EXIT
export HOME=$sandbox/home TMPDIR=$sandbox/tmp XDG_CONFIG_HOME=$sandbox/config XDG_DATA_HOME=$sandbox/data XDG_CACHE_HOME=$sandbox/cache XDG_RUNTIME_DIR=$sandbox/run
mkdir -p "$HOME" "$TMPDIR" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1600x900x24 -nolisten tcp >/dev/null 2>&1 &
sleep 1
export DISPLAY=$display QT_QPA_PLATFORM=xcb

dbus-run-session -- bash -c '
  "$0" "$1" >"$TMPDIR/app.log" 2>&1 &
  pid=$!
  sleep "$2"
  if [ -n "${CLICK:-}" ]; then xdotool mousemove "${CLICK%,*}" "${CLICK#*,}" click 1; sleep 2; fi
  echo "visible windows:"
  for w in $(xdotool search --onlyvisible --name "." 2>/dev/null); do
    name=$(xdotool getwindowname "$w" 2>/dev/null || true)
    [ -n "$name" ] && echo "  - $name"
  done
  import -window root "$3"
  kill "$pid" 2>/dev/null || true
' "$app" "$file" "$wait_s" "$out"
echo "screenshot: $out"
