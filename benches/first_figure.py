#!/usr/bin/env python3
"""The first figure from a new table, as a pandas + matplotlib user makes it: read the tidy CSV,
take one zone's series of one indicator, draw it as a line and save a 16:9 PNG at 3840×2160 (the
size of `zonescope export --scale 2`), with the bundled CJK font for the Chinese title.

    python3 benches/first_figure.py TABLE.csv OUT.png [ZONE] [INDICATOR]

Needs pandas and matplotlib (PyPI). benches/first_figure.sh times it against Zonescope.
"""
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import font_manager

table, out = sys.argv[1], sys.argv[2]
zone = sys.argv[3] if len(sys.argv) > 3 else "重庆经济技术开发区"
indicator = sys.argv[4] if len(sys.argv) > 4 else "合成指标00"

font = Path(__file__).resolve().parent.parent / "assets" / "fonts" / "NotoSansCJKsc-Regular-GBK.otf"
if font.exists():
    font_manager.fontManager.addfont(str(font))
    plt.rcParams["font.family"] = font_manager.FontProperties(fname=str(font)).get_name()

figures = pd.read_csv(table)
series = figures[(figures["entity"] == zone) & (figures["indicator"] == indicator)].copy()
# A month written 2024-01/2024-01 is drawn at its start.
series["date"] = pd.to_datetime(series["period"].str.slice(0, 7), format="%Y-%m")
series = series.sort_values("date")

fig, ax = plt.subplots(figsize=(19.2, 10.8), dpi=200)
ax.plot(series["date"], series["value"], linewidth=2)
ax.set_title(f"{zone} · {indicator}")
ax.set_ylabel(series["unit"].iloc[0] if len(series) else "")
ax.grid(True, alpha=0.3)
fig.text(0.01, 0.01, "Source: benchmark (synthetic)")
fig.savefig(out)
