#!/usr/bin/env bash
# Share card benchmark: what drawn share cards (`share_cards: drawn`) cost a build.
#
#   bench/share_cards.sh              # 1,000 practices × 3 languages, 3 runs each
#   N=200 RUNS=3 bench/share_cards.sh
#
# 1. Times drawing one card with the default theme's template (examples/share_card.rs):
#    the median of 300, one at a time, on one core.
# 2. Makes the synthetic corpus (examples/synth.rs, no photos), and a copy of it that draws
#    share cards: one card per practice and language.
# 3. For each site, the median of RUNS of:
#    - a first build (empty cache folder, no output): every card drawn;
#    - a build into an empty output with the cache folder kept (the cards come from the
#      cache: a CI run that restores .casebook/, or a new `serve` session);
#    - a rebuild after one practice's body was edited (no card drawn);
#    - a rebuild after one practice's title was edited (its card in that language drawn).
# Needs GNU time (apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-1000}"
RUNS="${RUNS:-3}"
WORK="${BENCH_DIR:-${TMPDIR:-/tmp}/casebook-bench-cards}"
mkdir -p "$WORK"
[ -x /usr/bin/time ] || { echo "GNU time is not installed (apt-get install time)"; exit 1; }

cargo build --release --quiet --bin casebook --example synth --example share_card
CASEBOOK="$PWD/target/release/casebook"

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
wall() {
  local log; log="$(mktemp)"
  /usr/bin/time -f "%e %M %U %S" -o "$log" "$@" >/dev/null 2>"$log.err" || { echo "command failed: $*" >&2; cat "$log.err" >&2; exit 1; }
  rm -f "$log.err"
  tail -1 "$log"; rm -f "$log"
}

echo "== one card, drawn 300 times"
target/release/examples/share_card 300

plain="$WORK/plain-$N"; cards="$WORK/cards-$N"
[ -d "$plain/content" ] || target/release/examples/synth "$N" "$plain" >/dev/null
if [ ! -d "$cards/content" ]; then
  target/release/examples/synth "$N" "$cards" >/dev/null
  printf 'share_cards: drawn\n' >> "$cards/casebook.yaml"
fi

for site in "$plain" "$cards"; do
  first=(); cpu=(); warm=(); edit=(); title=(); rss=()
  files=("$site"/content/practices/*.md); f="${files[0]}"
  for ((r = 1; r <= RUNS; r++)); do
    rm -rf "$site/output" "$site/.casebook"
    read -r t m u s < <(wall "$CASEBOOK" build --quiet --root "$site"); first+=("$t"); rss+=("$m")
    cpu+=("$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')")
    rm -rf "$site/output"
    read -r t _ _ _ < <(wall "$CASEBOOK" build --quiet --root "$site"); warm+=("$t")
    echo "Edited in run $r." >> "$f"
    read -r t _ _ _ < <(wall "$CASEBOOK" build --quiet --root "$site"); edit+=("$t")
    sed -i "0,/^title: .*/s//title: A title edited in run $r/" "$f"
    read -r t _ _ _ < <(wall "$CASEBOOK" build --quiet --root "$site"); title+=("$t")
  done
  printf '%s: first build %s s (%s CPU-s, peak RSS %s MB), warm cache into an empty output %s s, one body edited %s s, one title edited %s s; output %s, %s cards\n' \
    "$(basename "$site")" \
    "$(printf '%s\n' "${first[@]}" | median)" \
    "$(printf '%s\n' "${cpu[@]}" | median)" \
    "$(( $(printf '%s\n' "${rss[@]}" | median | cut -d. -f1) / 1024 ))" \
    "$(printf '%s\n' "${warm[@]}" | median)" \
    "$(printf '%s\n' "${edit[@]}" | median)" \
    "$(printf '%s\n' "${title[@]}" | median)" \
    "$(du -sh "$site/output" | cut -f1)" \
    "$(find "$site/output/_images" -name '*.png' 2>/dev/null | wc -l)"
done
