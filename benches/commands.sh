#!/usr/bin/env bash
# Whole commands as a user runs them: a new process each time (hyperfine), release build, on
# the 14.4-million-figure synthetic database. Prints a table and keeps it in
# target/bench-data/commands.md.
#
#   benches/commands.sh            # the database of `cargo bench --bench store`
#   ZONESCOPE_BENCH_DB=F benches/commands.sh
#
# Needs hyperfine (Debian: apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null || { echo "commands.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
cargo build --release --quiet
bin=target/release/zonescope
db=${ZONESCOPE_BENCH_DB:-target/bench-data/synthetic-2000x20x30-monthly.sqlite}
if [ ! -f "$db" ]; then
    mkdir -p "$(dirname "$db")"
    "$bin" synth --db "$db" --zones 2000 --indicators 20 --years 30 --monthly
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

one="--zone 合成开发区00001"
ten=""
for i in 00001 00201 00401 00601 00801 01001 01201 01401 01601 01801; do ten="$ten --zone 合成开发区$i"; done

# The first open of a database made by an older version migrates it; do that outside the timing.
"$bin" info --db "$db" >/dev/null

hyperfine --warmup 2 --runs "${RUNS:-10}" --style basic --export-markdown target/bench-data/commands.md \
    -n "info" "$bin info --db $db" \
    -n "zones" "$bin zones --db $db" \
    -n "query, 1 zone (360 rows, JSON)" "$bin query --db $db $one --indicator 合成指标001 --format json" \
    -n "query, 10 zones (3,600 rows, JSON)" "$bin query --db $db $ten --indicator 合成指标001 --format json" \
    -n "export, 10 zones, PNG 2×" "$bin export --db $db $ten --indicator 合成指标001 --out $out/f.png --scale 2" \
    -n "export, 10 zones, CSV" "$bin export --db $db $ten --indicator 合成指标001 --out $out/f.csv" \
    -n "export, ranking of 2,000 zones, PNG 2×" "$bin export --db $db $one --indicator 合成指标001 --chart ranking --out $out/r.png --scale 2"
