#!/usr/bin/env bash
# Two casebook binaries on the same synthetic corpus, in the same run, interleaved: full
# builds (empty output and cache), unchanged rebuilds, a rebuild after one body edit and
# after one front-matter edit. Prints medians, peak RSS and the ratio after/before.
#
#   bench/before_after.sh OLD_BINARY [NEW_BINARY]      # NEW defaults to target/release
#   SIZES="1000" RUNS=3 bench/before_after.sh /tmp/casebook-old
#
# An older casebook (before the cache folder) kept its state in the output; each binary
# builds into its own output folder and cache folder, so neither sees the other's (a
# shared cache folder would make each binary's rebuilds parse everything again).
set -euo pipefail
cd "$(dirname "$0")/.."
OLD="$1"
NEW="${2:-$PWD/target/release/casebook}"
SIZES="${SIZES:-1000 10000}"
RUNS="${RUNS:-5}"
WORK="${BENCH_DIR:-${TMPDIR:-/tmp}/casebook-bench}"
mkdir -p "$WORK"
[ -x /usr/bin/time ] || { echo "GNU time is not installed (apt-get install time)"; exit 1; }
[ -n "${2:-}" ] || cargo build --release --quiet --bin casebook
cargo build --release --quiet --example synth
SYNTH="$PWD/target/release/examples/synth"

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
# Runs "$@" with GNU time; prints "wall_seconds max_rss_kb".
measure() {
  local log; log="$(mktemp)"
  /usr/bin/time -f "%e %M" -o "$log" "$@" >/dev/null 2>&1 || { echo "command failed: $*" >&2; cat "$log" >&2; exit 1; }
  tail -1 "$log"; rm -f "$log"
}
# Removes an output and every state either binary keeps for it.
fresh() { rm -rf "$site/out-$1" "$site/.out-$1.casebook-old" "$site/.casebook" "$site/.cache-$1"; }

printf 'machine: %s cores, load average %s\nbefore: %s\nafter:  %s\n' "$(nproc)" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$OLD" "$NEW"
for n in $SIZES; do
  site="$WORK/synth-$n"
  [ -d "$site/content" ] || "$SYNTH" "$n" "$site" >/dev/null
  declare -A T=() M=()
  for ((r = 1; r <= RUNS; r++)); do
    for who in before after; do
      bin=$OLD; [ "$who" = after ] && bin=$NEW
      fresh "$who"
      read -r t m < <(measure "$bin" build --quiet --root "$site" --output "$site/out-$who" --cache-dir "$site/.cache-$who")
      T[full-$who]+="$t "; M[$who]=$(( ${M[$who]:-0} > m ? ${M[$who]:-0} : m ))
    done
  done
  for ((r = 1; r <= RUNS; r++)); do
    for who in before after; do
      bin=$OLD; [ "$who" = after ] && bin=$NEW
      read -r t _ < <(measure "$bin" build --quiet --root "$site" --output "$site/out-$who" --cache-dir "$site/.cache-$who")
      T[unchanged-$who]+="$t "
    done
  done
  file="$site/content/practices/practice-00001.md"
  cp "$file" "$WORK/saved.md"
  for ((r = 1; r <= RUNS; r++)); do
    printf '\nEdited %s.\n' "$r" >> "$file"
    for who in before after; do
      bin=$OLD; [ "$who" = after ] && bin=$NEW
      read -r t _ < <(measure "$bin" build --quiet --root "$site" --output "$site/out-$who" --cache-dir "$site/.cache-$who")
      T[body-$who]+="$t "
    done
  done
  for ((r = 1; r <= RUNS; r++)); do
    sed -i "0,/^subtitle:.*/s//subtitle: Edited $r/" "$file"
    for who in before after; do
      bin=$OLD; [ "$who" = after ] && bin=$NEW
      read -r t _ < <(measure "$bin" build --quiet --root "$site" --output "$site/out-$who" --cache-dir "$site/.cache-$who")
      T[front-$who]+="$t "
    done
  done
  cp "$WORK/saved.md" "$file"
  echo
  echo "== $n practices × 3 languages ($RUNS runs each; medians in seconds)"
  printf '%-22s | %9s | %9s | %s\n' "" before after "after/before"
  for k in full unchanged body front; do
    b=$(printf '%s\n' ${T[$k-before]} | median); a=$(printf '%s\n' ${T[$k-after]} | median)
    label=$k; case $k in full) label="full build";; unchanged) label="unchanged rebuild";;
      body) label="one body edit";; front) label="one front-matter edit";; esac
    awk -v l="$label" -v b="$b" -v a="$a" 'BEGIN { printf "%-22s | %9.3f | %9.3f | %.2f\n", l, b, a, a/b }'
  done
  awk -v b="${M[before]}" -v a="${M[after]}" 'BEGIN { printf "%-22s | %6.0f MB | %6.0f MB | %.2f\n", "peak RSS (full build)", b/1024, a/1024, a/b }'
  fresh before; fresh after
done
