#!/usr/bin/env bash
# Build-speed benchmark: casebook against Hugo on the same synthetic corpus.
#
#   bench/run.sh                 # 1,000 and 10,000 practices × 3 languages
#   SIZES="1000" RUNS=3 bench/run.sh
#
# For each size it generates the corpus with examples/synth.rs (and the same corpus for
# Hugo with bench/hugo_corpus.py and the templates in bench/hugo/), then times full builds
# (output removed first; median of RUNS) and peak RSS (GNU time), a rebuild into the
# existing output, and casebook's phase profile (--timings). Needs Debian's `hugo` and
# `time` packages, and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${SIZES:-1000 10000}"
RUNS="${RUNS:-5}"
WORK="${BENCH_DIR:-${TMPDIR:-/tmp}/casebook-bench}"
mkdir -p "$WORK"
command -v hugo >/dev/null || { echo "hugo is not installed (apt-get install hugo)"; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is not installed (apt-get install time)"; exit 1; }

cargo build --release --quiet --bin casebook --example synth
CASEBOOK="$PWD/target/release/casebook"
SYNTH="$PWD/target/release/examples/synth"

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

# Runs "$@" with GNU time; prints "seconds max_rss_kb".
measure() {
  local log; log="$(mktemp)"
  /usr/bin/time -f "%e %M" -o "$log" "$@" >/dev/null 2>&1 || { echo "command failed: $*" >&2; cat "$log" >&2; exit 1; }
  tail -1 "$log"; rm -f "$log"
}

printf '\nmachine: %s cores, %s, %s\n' "$(nproc)" "$(hugo version | cut -d' ' -f1-2)" "$($CASEBOOK --version)"
declare -A CB_T CB_M HU_T HU_M CB_PAGES HU_PAGES CB_RE
for n in $SIZES; do
  site="$WORK/synth-$n"; hsite="$WORK/hugo-$n"
  [ -d "$site/content" ] || "$SYNTH" "$n" "$site" >/dev/null
  [ -d "$hsite/content" ] || python3 bench/hugo_corpus.py "$site" "$hsite"
  cb_times=(); cb_mem=(); hu_times=(); hu_mem=()
  for ((r = 1; r <= RUNS; r++)); do
    rm -rf "$site/output"
    read -r t m < <(measure "$CASEBOOK" build --quiet --root "$site")
    cb_times+=("$t"); cb_mem+=("$m")
    rm -rf "$hsite/public" "$hsite/resources"
    read -r t m < <(measure hugo --quiet -s "$hsite" -d "$hsite/public")
    hu_times+=("$t"); hu_mem+=("$m")
  done
  re_times=()
  for ((r = 1; r <= RUNS; r++)); do
    read -r t _ < <(measure "$CASEBOOK" build --quiet --root "$site")
    re_times+=("$t")
  done
  CB_T[$n]=$(printf '%s\n' "${cb_times[@]}" | median); CB_M[$n]=$(printf '%s\n' "${cb_mem[@]}" | sort -n | tail -1)
  HU_T[$n]=$(printf '%s\n' "${hu_times[@]}" | median); HU_M[$n]=$(printf '%s\n' "${hu_mem[@]}" | sort -n | tail -1)
  CB_RE[$n]=$(printf '%s\n' "${re_times[@]}" | median)
  CB_PAGES[$n]=$(find "$site/output" -name '*.html' | wc -l)
  HU_PAGES[$n]=$(find "$hsite/public" -name '*.html' | wc -l)
  echo
  echo "== $n practices × 3 languages: casebook runs ${cb_times[*]} s; hugo runs ${hu_times[*]} s; rebuilds ${re_times[*]} s"
  echo "casebook phase profile (one more full build):"
  rm -rf "$site/output"
  "$CASEBOOK" build --root "$site" --timings | sed 's/^/  /'
done

echo
printf '%-8s | %-22s | %-22s | %-9s | %-14s | %-12s | %s\n' "practices" "casebook (median, RSS)" "hugo (median, RSS)" "speed-up" "rebuild speed-up" "ms per page" "pages (casebook/hugo)"
printf '%s\n' "---------|------------------------|------------------------|-----------|------------------|--------------|----------------------"
for n in $SIZES; do
  awk -v n="$n" -v ct="${CB_T[$n]}" -v cm="${CB_M[$n]}" -v ht="${HU_T[$n]}" -v hm="${HU_M[$n]}" -v re="${CB_RE[$n]}" -v cp="${CB_PAGES[$n]}" -v hp="${HU_PAGES[$n]}" 'BEGIN {
    printf "%-8s | %7.2f s, %6.0f MB     | %7.2f s, %6.0f MB     | %7.1fx  | %12.1fx    | %10.3f   | %s / %s\n", n, ct, cm/1024, ht, hm/1024, ht/ct, ct/re, 1000*ct/cp, cp, hp }'
done
