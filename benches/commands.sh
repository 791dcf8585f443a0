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
# A database an older release generated holds its figures as rows (before schema 9): the one kept
# in target/ is made again, so that this release's storage is what is measured.
if [ -z "${ZONESCOPE_BENCH_DB:-}" ] && [ -f "$db" ] && command -v python3 >/dev/null; then
    version=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True).execute("PRAGMA user_version").fetchone()[0])' "$db")
    if [ "$version" -lt 9 ]; then
        echo "commands.sh: $db was made by an older release (schema $version, figures as rows); making it again" >&2
        rm "$db"
    fi
fi
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
