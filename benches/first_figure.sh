#!/usr/bin/env bash
# The first figure from a new 1-million-row table, whole commands as a user runs them:
# `zonescope import-csv` then `zonescope export --scale 2` (a 3840×2160 PNG) against a pandas +
# matplotlib script reading the same CSV and saving the same chart (benches/first_figure.py).
# Each Zonescope run starts from a copy of a freshly built bundled database (hyperfine --prepare).
# Keeps its table in target/bench-data/first_figure.md.
#
# Needs hyperfine (Debian) and pandas + matplotlib (PyPI: pip install pandas matplotlib).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null || { echo "first_figure.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
python3 -c "import pandas, matplotlib" || { echo "first_figure.sh: needs pandas and matplotlib (pip install pandas matplotlib)" >&2; exit 1; }
cargo build --release --quiet
bin=$PWD/target/release/zonescope
data=target/bench-data
mkdir -p "$data"
table=$data/million.csv
if [ ! -f "$table" ]; then
    # 219 catalog zones × 10 indicators × 456 months: 998,640 rows, 80 MB.
    python3 - "$table" <<'PY'
import csv, sys
zones = [r["开发区名称"] for r in csv.DictReader(open("data/zones_2018.csv", encoding="utf-8"))]
months = [f"{y}-{m:02d}/{y}-{m:02d}" for y in range(1987, 2025) for m in range(1, 13)][:456]
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["entity", "indicator", "measure", "period", "value", "unit"])
    n = 0
    for i in range(10):
        for z in zones:
            for p in months:
                w.writerow([z, f"合成指标{i:02d}", "value", p, f"{(n % 10007) / 10:.1f}", "亿元"])
                n += 1
PY
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" info --db "$work/fresh.sqlite" >/dev/null 2>&1

hyperfine --warmup 1 --runs "${RUNS:-5}" --style basic --export-markdown "$data/first_figure.md" \
    --prepare "cp $work/fresh.sqlite $work/run.sqlite; rm -f $work/run.sqlite-wal $work/run.sqlite-shm" \
    -n "zonescope: import-csv, then export a 2× PNG" \
    "$bin --db $work/run.sqlite import-csv $table --source-id bench --publisher 'benchmark (synthetic)' --published 2024 >/dev/null && $bin --db $work/run.sqlite export --zone 重庆经开区 --indicator 合成指标00 --out $work/z.png --scale 2 >/dev/null" \
    -n "pandas + matplotlib: read the CSV, save the same chart" \
    "python3 benches/first_figure.py $table $work/p.png"
