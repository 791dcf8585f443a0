#!/usr/bin/env bash
# Remakes the README's screenshots: the app in a 1600×1000 window under Xvfb, opened on a fresh
# copy of the bundled data with a saved "last view", captured with ImageMagick.
# Needs: xvfb xauth imagemagick xdotool (Debian), and a built binary (cargo build --release).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${ZONESCOPE_BIN:-target/release/zonescope}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

Xvfb :77 -screen 0 1600x1000x24 >/dev/null 2>&1 &
export DISPLAY=:77 XDG_RUNTIME_DIR=$work
sleep 1

cq='"重庆经济技术开发区", "万州经济技术开发区", "长寿经济技术开发区"'

# shot NAME VIEW-JSON [x y]: opens the view, optionally clicks at (x, y), saves docs/NAME.png.
shot() {
    local name=$1 view=$2
    rm -f "$work/db.sqlite"*
    "$bin" info --db "$work/db.sqlite" >/dev/null
    python3 - "$work/db.sqlite" "$view" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO meta (key, value) VALUES ('last_view', ?)", (sys.argv[2],))
db.commit()
PY
    "$bin" gui --size 1600x1000 --db "$work/db.sqlite" >/dev/null 2>&1 &
    local pid=$!
    sleep 5
    if [ $# -ge 4 ]; then
        xdotool mousemove "$3" "$4" click 1
        sleep 1.5
    fi
    # Park the pointer on the status bar: no hover crosshair in the picture.
    xdotool mousemove 1590 992
    sleep 0.7
    import -window root "docs/$name.png"
    kill $pid
    wait $pid 2>/dev/null || true
}

shot chart-chongqing "{\"entities\": [$cq], \"indicator\": \"外贸进出口总额\", \"measure\": \"share_pct\", \"period_shape\": \"year\", \"tab\": \"chart\"}"
shot chart-national '{"entities": ["全国国家级经开区"], "indicator": "外贸进出口总额", "measure": "value", "period_shape": "year", "tab": "chart"}'
shot chart-national-en '{"entities": ["全国国家级经开区"], "indicator": "地区生产总值", "measure": "value", "period_shape": "year", "tab": "chart", "lang": "en"}'
shot growth-national '{"entities": ["全国国家级经开区"], "indicator": "外贸进出口总额", "measure": "yoy_pct", "period_shape": "year", "tab": "chart"}'
shot index-national '{"entities": ["全国国家级经开区", "东部地区国家级经开区", "中部地区国家级经开区"], "indicator": "地区生产总值", "measure": "value", "period_shape": "year", "transform": "index", "tab": "chart", "lang": "en"}'
shot ranking "{\"entities\": [$cq], \"indicator\": \"外贸进出口总额\", \"measure\": \"share_pct\", \"tab\": \"ranking\"}"
shot table "{\"entities\": [$cq], \"indicator\": \"外贸进出口总额\", \"measure\": \"value\", \"tab\": \"table\"}"
# Click the 2023 point of 长寿 (the top marker) in the chart: its source opens, quote highlighted.
shot sources "{\"entities\": [$cq], \"indicator\": \"外贸进出口总额\", \"measure\": \"share_pct\", \"period_shape\": \"year\", \"tab\": \"chart\"}" 954 188
shot ranking-en "{\"entities\": [$cq], \"indicator\": \"外贸进出口总额\", \"measure\": \"value\", \"ranking_period\": \"2022\", \"tab\": \"ranking\", \"lang\": \"en\"}"
# A figure of the Chongqing group in English, as a slide would carry it.
"$bin" info --db "$work/db.sqlite" >/dev/null
"$bin" export --zone 长寿经开区+重庆经开区+万州经开区 --indicator 外贸进出口总额 --lang en \
    --out docs/figure-group-en.png --db "$work/db.sqlite" >/dev/null

# The import dialog (File → Import table…) on a yearbook-style table in GBK with a zone the
# registry lacks, its mapping loaded from a file. Typing into the window needs a window manager
# under Xvfb (openbox); the coordinates are those of a 1600×1000 window under openbox.
if command -v openbox >/dev/null 2>&1; then
    openbox >/dev/null 2>&1 &
    sleep 1
    python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
table = ("表1 部分国家级经开区外贸进出口总额\n单位:亿元\n开发区,2022年,2023年,2024年1-9月\n"
         "重庆经开区,30.1,35.9*,—\n万州经开区,\"1,012.5\",28,36.4\n长寿经开区,12.3,14.1,10.2\n"
         "万州经济开发新区,1.1,,\n合计,1055.9,78,46.6\n注:*为初步数。\n")
open(f"{work}/trade.csv", "wb").write(table.encode("gbk"))
open(f"{work}/m.json", "w").write('{"columns_are": "periods", "indicator": "外贸进出口总额", '
    '"source": {"publisher": "某市商务局", "published": "2024-11-05", "address": "https://example.org/trade.xlsx"}}')
PY
    for lang in zh en; do
        rm -f "$work/db.sqlite"*
        "$bin" info --db "$work/db.sqlite" >/dev/null
        "$bin" gui --size 1600x1000 --db "$work/db.sqlite" >/dev/null 2>&1 &
        pid=$!
        sleep 5
        if [ $lang = en ]; then
            xdotool mousemove 1563 32 click 1; sleep 1
            xdotool mousemove 477 32 click 1; sleep 0.8; xdotool mousemove 500 83 click 1
        else
            xdotool mousemove 405 32 click 1; sleep 0.8; xdotool mousemove 425 83 click 1
        fi
        sleep 1
        xdotool mousemove 200 104 click 1; sleep 0.3; xdotool type --delay 120 "$work/trade.csv"; sleep 1
        xdotool mousemove 120 456 click 1; sleep 0.3; xdotool type --delay 120 "$work/m.json"; sleep 1
        sleep 0.5
        if [ $lang = en ]; then xdotool mousemove 385 457 click 1; else xdotool mousemove 341 457 click 1; fi
        sleep 1.5
        xdotool mousemove 1590 990; sleep 0.5
        import -window root "docs/import-table-$lang.png"
        kill $pid; wait $pid 2>/dev/null || true
    done
fi
echo "wrote docs/*.png"
