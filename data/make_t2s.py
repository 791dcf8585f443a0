#!/usr/bin/env python3
"""Makes t2s.tsv, a one-to-one Traditional -> Simplified character table, from OpenCC's
TSCharacters.txt.

    python3 make_t2s.py TSCharacters.txt [OUT_DIR]

TSCharacters.txt is OpenCC's dictionary of Traditional -> Simplified characters: a line is
`TRADITIONAL<TAB>CANDIDATE[ CANDIDATE…]`, the first candidate being OpenCC's default; lines
starting with # are comments. OUT_DIR defaults to the folder of this script. Python 3 standard
library only.

Written: a header `traditional<TAB>simplified`, then one row per entry, sorted by the
traditional character's code point. Each rule below is explicit:
- the first candidate is taken (OpenCC's default);
- kept only when both sides are exactly one Unicode scalar and they differ (an entry whose
  first candidate is the character itself, e.g. 㑮 -> 㑮 𫝈, is left out);
- left out: an entry whose traditional character is also the simplified (right-hand)
  character of another kept entry (苧 -> 苎, while 薴 -> 苧), so that one pass of the table
  is final: no character it writes is one it would change again.
"""
import os
import sys


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    src = sys.argv[1]
    out_dir = sys.argv[2] if len(sys.argv) == 3 else os.path.dirname(os.path.abspath(__file__))

    entries = 0
    not_one_char = identical = 0
    table = {}
    with open(src, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            trad, cands = line.split("\t")
            simp = cands.split(" ")[0]
            entries += 1
            assert trad not in table, "line %d: %s listed twice" % (n, trad)
            if len(trad) != 1 or len(simp) != 1:
                not_one_char += 1
                continue
            if trad == simp:
                identical += 1
                continue
            table[trad] = simp

    targets = set(table.values())
    excluded = sorted(((t, s) for t, s in table.items() if t in targets), key=lambda r: ord(r[0]))
    for t, _ in excluded:
        del table[t]
    rows = sorted(table.items(), key=lambda r: ord(r[0]))

    # Checks: one scalar a side, no blank or control characters, sides differ, one pass is final.
    for trad, simp in rows:
        for c in (trad, simp):
            assert len(c) == 1 and c.isprintable() and not c.isspace(), repr(c)
        assert trad != simp and simp not in table, (trad, simp)

    with open(os.path.join(out_dir, "t2s.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("traditional\tsimplified\n")
        for trad, simp in rows:
            f.write("%s\t%s\n" % (trad, simp))

    print("%d entries read, %d rows written" % (entries, len(rows)), file=sys.stderr)
    print("left out: %d not one character a side, %d mapping to themselves, "
          "%d whose traditional character is a simplified one of the table (%s)"
          % (not_one_char, identical, len(excluded),
             ", ".join("%s->%s" % r for r in excluded)),
          file=sys.stderr)


if __name__ == "__main__":
    main()
