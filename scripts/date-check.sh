#!/usr/bin/env bash
# Runs every non-browser test project (the unit, postgres and system tiers) with the clock moved and
# in far-off time zones, through libfaketime (Debian: apt-get install faketime). A test that passes
# today but not on another day, or only in UTC, fails here. See CONTRIBUTING.md, "The date check".
#
#   scripts/date-check.sh          two runs: +400 days in Pacific/Kiritimati (UTC+14), and
#                                  2028-02-29T23:59:30Z (crossing the leap day's midnight) in
#                                  America/St_Johns (UTC-3:30, a half-hour zone)
#   DATE_CHECK=full scripts/...    the four conditions in four separate runs
#   scripts/date-check.sh -- ARGS  extra vitest arguments (e.g. a file filter)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v faketime >/dev/null 2>&1; then
  echo "date-check: libfaketime is missing (Debian: apt-get install faketime)" >&2
  exit 1
fi

extra=()
if [[ "${1:-}" == "--" ]]; then
  shift
  extra=("$@")
fi

projects=(--project '*:unit' --project '*:postgres' --project '*:system')
# Offsets, not absolute times: libfaketime reads an absolute time in the local zone and, by default,
# stops the clock at it; an offset keeps the clock running and is the same in every zone. The leap
# day's offset is taken just before its run, so that run starts 30 s before midnight.
leap_offset() { echo "+$(($(date -d '2028-02-29T23:59:30Z' +%s) - $(date +%s)))s"; }

run() {
  local label=$1 zone=$2 offset=$3
  echo "date-check: ${label} (TZ=${zone}, clock ${offset})"
  # The monotonic clock stays real: timers and timeouts keep their length.
  TZ="$zone" FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$offset" node -e \
    'console.log(`date-check: the tests see ${new Date().toISOString()} (${Intl.DateTimeFormat().resolvedOptions().timeZone})`)'
  TZ="$zone" FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$offset" \
    npx vitest run "${projects[@]}" "${extra[@]}" || {
    echo "date-check: FAILED ${label} (TZ=${zone}, clock ${offset})" >&2
    exit 1
  }
}

if [[ "${DATE_CHECK:-}" == "full" ]]; then
  run "400 days ahead" UTC "+400d"
  run "2028-02-29T23:59:30Z" UTC "$(leap_offset)"
  run "Pacific/Kiritimati" Pacific/Kiritimati "+0s"
  run "America/St_Johns" America/St_Johns "+0s"
else
  run "400 days ahead in Pacific/Kiritimati" Pacific/Kiritimati "+400d"
  run "2028-02-29T23:59:30Z in America/St_Johns" America/St_Johns "$(leap_offset)"
fi
echo "date-check: every non-browser test passed at both dates and in both zones"
