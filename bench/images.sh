#!/usr/bin/env bash
# Image benchmark: what photos cost a build.
#
#   bench/images.sh              # 1,000 practices × 3 languages, 3 runs each
#   N=200 RUNS=3 bench/images.sh
#
# 1. Times processing one 12-megapixel JPEG into every file a practice's photo becomes
#    (examples/photo.rs: hero, card, share card, the copy at its own path).
# 2. Makes the synthetic corpus twice (examples/synth.rs): as it is, and with a 12-megapixel
#    photo for every practice (hard links to one file under N names: every photo is decoded
#    and encoded on its own, as distinct photos would be, without N × 3 MB of disk).
# 3. For each site, the median of RUNS of:
#    - a first build (empty cache folder, no output);
#    - a build into an empty output with the cache folder kept (the images come from the
#      cache: a CI run that restores .casebook/, or a new `serve` session);
#    - a rebuild after one practice's body was edited.
# Needs GNU time (apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-1000}"
RUNS="${RUNS:-3}"
WORK="${BENCH_DIR:-${TMPDIR:-/tmp}/casebook-bench-images}"
mkdir -p "$WORK"
[ -x /usr/bin/time ] || { echo "GNU time is not installed (apt-get install time)"; exit 1; }

cargo build --release --quiet --bin casebook --example synth --example photo
CASEBOOK="$PWD/target/release/casebook"

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
wall() {
  local log; log="$(mktemp)"
  /usr/bin/time -f "%e %M" -o "$log" "$@" >/dev/null 2>"$log.err" || { echo "command failed: $*" >&2; cat "$log.err" >&2; exit 1; }
  rm -f "$log.err"
  tail -1 "$log"; rm -f "$log"
}

photo="$WORK/photo.jpg"
[ -f "$photo" ] || target/release/examples/photo make "$photo"
echo "== one 12-megapixel JPEG into all its files"
target/release/examples/photo time "$photo" 5

plain="$WORK/plain-$N"; photos="$WORK/photos-$N"
[ -d "$plain/content" ] || target/release/examples/synth "$N" "$plain" >/dev/null
if [ ! -d "$photos/content" ]; then
  target/release/examples/synth "$N" "$photos" >/dev/null
  mkdir -p "$photos/static/photos"
  for f in "$photos"/content/practices/*.md; do
    name="$(basename "$f")"
    case "$name" in *.*.md) continue ;; esac
    slug="${name%.md}"
    ln "$photo" "$photos/static/photos/$slug.jpg"
    sed -i "0,/^summary:/s//image: { src: photos\/$slug.jpg, alt: \"A photo of $slug\" }\nsummary:/" "$f"
  done
fi

for site in "$plain" "$photos"; do
  first=(); warm=(); edit=(); rss=()
  for ((r = 1; r <= RUNS; r++)); do
    rm -rf "$site/output" "$site/.casebook"
    read -r t m < <(wall "$CASEBOOK" build --quiet --root "$site"); first+=("$t"); rss+=("$m")
    rm -rf "$site/output"
    read -r t _ < <(wall "$CASEBOOK" build --quiet --root "$site"); warm+=("$t")
    files=("$site"/content/practices/*.md); f="${files[0]}"
    echo "Edited in run $r." >> "$f"
    read -r t _ < <(wall "$CASEBOOK" build --quiet --root "$site"); edit+=("$t")
  done
  printf '%s: first build %s s (peak RSS %s MB), warm cache into an empty output %s s, one body edited %s s; output %s\n' \
    "$(basename "$site")" \
    "$(printf '%s\n' "${first[@]}" | median)" \
    "$(( $(printf '%s\n' "${rss[@]}" | median | cut -d. -f1) / 1024 ))" \
    "$(printf '%s\n' "${warm[@]}" | median)" \
    "$(printf '%s\n' "${edit[@]}" | median)" \
    "$(du -sh "$site/output" | cut -f1)"
done
