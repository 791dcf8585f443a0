#!/bin/sh
# Cuts the bundled CJK font: Noto Sans CJK SC Regular (face 2 of Debian's fonts-noto-cjk
# NotoSansCJK-Regular.ttc), subset to the GBK repertoire plus ASCII and common symbols.
# GBK covers names that GB2312 lacks (喆, 堃, 赟) and the Traditional characters of reports
# from Hong Kong and Taiwan editions. Needs: apt-get install fonts-noto-cjk; pip install fonttools.
set -eu
cd "$(dirname "$0")"
python3 - <<'PY' > gbk_chars.txt
import sys
chars = set()
for cp in range(0x20, 0x10000):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    c = chr(cp)
    try:
        c.encode("gbk")
        chars.add(c)
    except UnicodeEncodeError:
        pass
# Symbols a figure or a chart uses that GBK may lack.
chars.update("€•…‰′″€™↑↓→←≈≠≤≥±×÷·—–‘’“”、。〈〉《》「」『』【】〔〕％＋－／０１２３４５６７８９")
sys.stdout.write("".join(sorted(chars)))
PY
pyftsubset /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc --font-number=2 \
  --text-file=gbk_chars.txt --output-file=NotoSansCJKsc-Regular-GBK.otf \
  --layout-features='' --no-hinting --desubroutinize=false --name-IDs='*' --notdef-outline
rm gbk_chars.txt
