#!/usr/bin/env bash
# Build-speed benchmark: casebook against Hugo on the same synthetic corpus.
#
#   bench/run.sh                 # 1,000 and 10,000 practices × 3 languages, 5 runs each
#   SIZES="1000" RUNS=3 bench/run.sh
#
# For each size it generates the corpus with examples/synth.rs (and the same corpus for
# Hugo with bench/hugo_corpus.py and the minimal templates in bench/hugo/), then:
# - times full builds into a fresh folder (and, for casebook, an empty cache folder), casebook and Hugo in turn (median of RUNS), with
#   peak RSS and CPU time (user + system) from GNU time;
# - times rebuilds into the existing output: unchanged (`casebook build` twice), and with
#   one practice edited (only the pages whose inputs changed are rendered again);
# - prints casebook's phase profile (`--timings`) of one more full build;
# then a table of both tools side by side, with the ratios and the time per page.
#
# Outputs of earlier runs are moved aside, not deleted, until the end: deleting a large
# tree is slow on some disks and makes the next build's file creation slower, which would
# bias whichever tool runs next. Needs Debian's `hugo` and `time` packages, and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${SIZES:-1000 10000}"
RUNS="${RUNS:-5}"
WORK="${BENCH_DIR:-${TMPDIR:-/tmp}/casebook-bench}"
TRASH="$WORK/trash"
mkdir -p "$WORK" "$TRASH"
command -v hugo >/dev/null || { echo "hugo is not installed (apt-get install hugo)"; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is not installed (apt-get install time)"; exit 1; }

cargo build --release --quiet --bin casebook --example synth
CASEBOOK="$PWD/target/release/casebook"
SYNTH="$PWD/target/release/examples/synth"

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

# Runs "$@" with GNU time; prints "wall_seconds max_rss_kb cpu_seconds".
measure() {
  local log; log="$(mktemp)"
  /usr/bin/time -f "%e %M %U %S" -o "$log" "$@" >/dev/null 2>&1 || { echo "command failed: $*" >&2; cat "$log" >&2; exit 1; }
  tail -1 "$log" | awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}'; rm -f "$log"
}

# Moves a folder aside (see above).
aside() { for d in "$@"; do [ -e "$d" ] && mv "$d" "$(mktemp -d "$TRASH/XXXXXX")/"; done; return 0; }

printf '\nmachine: %s cores, load average %s; %s; %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" \
  "$(hugo version | cut -d' ' -f1-2)" "$($CASEBOOK --version)"
declare -A CB_T CB_M CB_C HU_T HU_M HU_C CB_PAGES HU_PAGES CB_RE CB_ONE
for n in $SIZES; do
  site="$WORK/synth-$n"; hsite="$WORK/hugo-$n"
  [ -d "$site/content" ] || "$SYNTH" "$n" "$site" >/dev/null
  [ -d "$hsite/content" ] || python3 bench/hugo_corpus.py "$site" "$hsite"
  cb_t=(); cb_m=(); cb_c=(); hu_t=(); hu_m=(); hu_c=()
  for ((r = 1; r <= RUNS; r++)); do
    aside "$site/output" "$site/.casebook"
    read -r t m c < <(measure "$CASEBOOK" build --quiet --root "$site")
    cb_t+=("$t"); cb_m+=("$m"); cb_c+=("$c")
    aside "$hsite/public" "$hsite/resources"
    read -r t m c < <(measure hugo --quiet -s "$hsite" -d "$hsite/public")
    hu_t+=("$t"); hu_m+=("$m"); hu_c+=("$c")
  done
  re_t=()
  for ((r = 1; r <= RUNS; r++)); do
    read -r t _ _ < <(measure "$CASEBOOK" build --quiet --root "$site")
    re_t+=("$t")
  done
  # One practice edited (its body), then put back: each build renders the pages that
  # changed and keeps the others.
  one_t=()
  file="$site/content/practices/practice-00001.md"
  cp "$file" "$WORK/saved.md"
  for ((r = 1; r <= RUNS; r++)); do
    printf '\nEdited %s.\n' "$r" >> "$file"
    read -r t _ _ < <(measure "$CASEBOOK" build --quiet --root "$site")
    one_t+=("$t")
  done
  cp "$WORK/saved.md" "$file"
  CB_T[$n]=$(printf '%s\n' "${cb_t[@]}" | median); CB_M[$n]=$(printf '%s\n' "${cb_m[@]}" | sort -n | tail -1)
  CB_C[$n]=$(printf '%s\n' "${cb_c[@]}" | median)
  HU_T[$n]=$(printf '%s\n' "${hu_t[@]}" | median); HU_M[$n]=$(printf '%s\n' "${hu_m[@]}" | sort -n | tail -1)
  HU_C[$n]=$(printf '%s\n' "${hu_c[@]}" | median)
  CB_RE[$n]=$(printf '%s\n' "${re_t[@]}" | median)
  CB_ONE[$n]=$(printf '%s\n' "${one_t[@]}" | median)
  CB_PAGES[$n]=$(find "$site/output" -name '*.html' | wc -l)
  HU_PAGES[$n]=$(find "$hsite/public" -name '*.html' | wc -l)
  echo
  echo "== $n practices × 3 languages"
  echo "casebook full builds (wall s): ${cb_t[*]}; CPU s: ${cb_c[*]}"
  echo "hugo full builds (wall s):     ${hu_t[*]}; CPU s: ${hu_c[*]}"
  echo "casebook rebuilds, unchanged:  ${re_t[*]}; one practice edited: ${one_t[*]}"
  echo "casebook phase profile (one more full build):"
  aside "$site/output" "$site/.casebook"
  "$CASEBOOK" build --root "$site" --timings | sed 's/^/  /'
done

echo
printf '%-9s | %-30s | %-30s | %-8s | %-17s | %-15s | %s\n' "practices" "casebook: wall, CPU, peak RSS" "hugo: wall, CPU, peak RSS" "speed-up" "rebuild unchanged" "one edited" "ms/page (cb/hugo), pages"
printf '%s\n' "----------|--------------------------------|--------------------------------|----------|-------------------|-----------------|---------------------------"
for n in $SIZES; do
  awk -v n="$n" -v ct="${CB_T[$n]}" -v cc="${CB_C[$n]}" -v cm="${CB_M[$n]}" -v ht="${HU_T[$n]}" -v hc="${HU_C[$n]}" -v hm="${HU_M[$n]}" \
      -v re="${CB_RE[$n]}" -v one="${CB_ONE[$n]}" -v cp="${CB_PAGES[$n]}" -v hp="${HU_PAGES[$n]}" 'BEGIN {
    printf "%-9s | %6.2f s, %6.2f s, %5.0f MB | %6.2f s, %6.2f s, %5.0f MB | %6.1fx | %5.2f s (%4.1fx) | %5.2f s (%3.1fx) | %.3f / %.3f, %s / %s\n",
      n, ct, cc, cm/1024, ht, hc, hm/1024, ht/ct, re, ct/re, one, ct/one, 1000*ct/cp, 1000*ht/hp, cp, hp }'
done
set -- $SIZES
if [ $# -ge 2 ]; then
  awk -v a="${CB_T[$1]}" -v pa="${CB_PAGES[$1]}" -v b="${CB_T[$2]}" -v pb="${CB_PAGES[$2]}" -v ha="${HU_T[$1]}" -v hpa="${HU_PAGES[$1]}" -v hb="${HU_T[$2]}" -v hpb="${HU_PAGES[$2]}" \
    -v m="${CB_M[$2]}" -v n2="$2" 'BEGIN {
    printf "\ntime per page at %s over %s: casebook %.2fx, hugo %.2fx; casebook peak RSS per practice at %s: %.1f KB\n",
      n2, "'"$1"'", (b/pb)/(a/pa), (hb/hpb)/(ha/hpa), n2, m/n2 }'
fi
echo
echo "(moving old outputs aside left them in $TRASH; removing them in the background)"
(rm -rf "$TRASH" >/dev/null 2>&1 &)
