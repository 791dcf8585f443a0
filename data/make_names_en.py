#!/usr/bin/env python3
"""Give every zone of zones_2018.csv an English name: rows of kind `en` in aliases.csv.

Rule: the Hanyu Pinyin of the place name, each place one capitalised word with its syllables
joined (an apostrophe before a syllable that starts with a, o or e: Xi'an, Huai'an), then the
zone type in English: 经济技术开发区 → ETDZ, 台商投资区 → Taiwanese Investment Zone, ...
A well-known official English name is used instead where one is known for sure (OFFICIAL).

pypinyin drafts the pinyin; WORDS below overrides it for the words checked by hand
(polyphonic characters, the usual romanisation of non-Chinese place names, parts translated).
Every drafted name was read row by row: run with --review to print them all again.

Zones that already have an `en` row are left alone, so running the script twice adds nothing.

    python3 data/make_names_en.py            # append the missing rows to data/aliases.csv
    python3 data/make_names_en.py --review   # print every zone's name and its parts; write nothing

Needs pypinyin (PyPI, MIT licence): pip install pypinyin==0.55.0
"""
import csv
import re
import sys
from pathlib import Path

from pypinyin import Style, lazy_pinyin, pinyin

HERE = Path(__file__).resolve().parent
ZONES = HERE / "zones_2018.csv"
ALIASES = HERE / "aliases.csv"

RULE_NOTE = "pinyin of the place + zone type"
OFFICIAL_NOTE = "official English name"

# The zone type is read from the end of the canonical name (the catalog's 开发区类型 column says
# 经济技术开发区 for all 219). Longest suffix first.
TYPES = [
    ("经济技术开发区", "ETDZ"),
    ("新兴技术开发区", "New & High-Tech Industrial Park"),
    ("台商投资区", "Taiwanese Investment Zone"),
    ("经济开发区", "Economic Development Zone"),
    ("产业园区", "Industrial Park"),
    ("工业园区", "Industrial Park"),
    ("开发区", "Development Zone"),
]

# Official English names known for sure, used instead of the rule (only for zones that have
# no `en` row yet; the ones already in aliases.csv, such as TEDA's, Suzhou Industrial Park and
# Caohejing Hi-Tech Park, are kept as they are).
OFFICIAL = {
    # 上海化学工业区, made a national ETDZ under this name in 2011; its management committee
    # and its site (scip.com.cn) call it Shanghai Chemical Industry Park (SCIP).
    "上海化学工业经济技术开发区": ("Shanghai Chemical Industry Park", OFFICIAL_NOTE + " (SCIP)"),
    # The park of the two governments' "two countries, twin parks" (with the Malaysia-China
    # Kuantan Industrial Park); its own English name (CMQIP).
    "中国—马来西亚钦州产业园区": ("China-Malaysia Qinzhou Industrial Park", OFFICIAL_NOTE + " (CMQIP)"),
}

# How the place part of a name (the name less its type) splits into places, where it holds more
# than one: a city and a smaller place (苏州 浒墅关), a province and a place (新疆 准东), or a
# place and a descriptive word (宁波 石化). Places are separated by spaces; a dash (—) inside one
# joins two places (奎屯—独山子 → Kuytun-Dushanzi). A place part not listed is one place.
SPLIT = {
    "天津子牙": "天津 子牙",
    "唐山曹妃甸": "唐山 曹妃甸",
    "沧州临港": "沧州 临港",
    "沈阳辉山": "沈阳 辉山",
    "大连长兴岛": "大连 长兴岛",
    "盘锦辽滨沿海": "盘锦 辽滨 沿海",
    "长春汽车": "长春 汽车",
    "四平红嘴": "四平 红嘴",
    "哈尔滨利民": "哈尔滨 利民",
    "上海金桥": "上海 金桥",
    "苏州浒墅关": "苏州 浒墅关",
    "杭州余杭": "杭州 余杭",
    "宁波大榭": "宁波 大榭",
    "宁波石化": "宁波 石化",
    "宁波杭州湾": "宁波 杭州湾",
    "绍兴袍江": "绍兴 袍江",
    "绍兴柯桥": "绍兴 柯桥",
    "杭州湾上虞": "杭州湾 上虞",
    "福清融侨": "福清 融侨",
    "厦门海沧": "厦门 海沧",
    "漳州招商局": "漳州 招商局",
    "南昌小蓝": "南昌 小蓝",
    "潍坊滨海": "潍坊 滨海",
    "威海临港": "威海 临港",
    "武汉临空港": "武汉 临空港",
    "鄂州葛店": "鄂州 葛店",
    "广州南沙": "广州 南沙",
    "惠州大亚湾": "惠州 大亚湾",
    "海南洋浦": "海南 洋浦",
    "宜宾临港": "宜宾 临港",
    "嵩明杨林": "嵩明 杨林",
    "陕西航空": "陕西 航空",
    "陕西航天": "陕西 航天",
    "格尔木昆仑": "格尔木 昆仑",
    "乌鲁木齐甘泉堡": "乌鲁木齐 甘泉堡",
    "新疆准东": "新疆 准东",
    "新疆奎屯—独山子": "新疆 奎屯—独山子",
    "新疆五家渠": "新疆 五家渠",
}

# Words checked by hand: word → (English, remark). A remark, where there is one, is added to the
# row's note. Words not listed here are drafted by pypinyin (and were read row by row too).
WORDS = {
    # Polyphonic characters, checked against the place's usual reading. Pinned even where
    # pypinyin 0.55.0 reads them right, so a later pypinyin cannot change them.
    "长春": ("Changchun", None),      # 长 cháng, not zhǎng
    "长兴": ("Changxing", None),
    "长沙": ("Changsha", None),
    "长寿": ("Changshou", None),
    "重庆": ("Chongqing", None),      # 重 chóng, not zhòng
    "厦门": ("Xiamen", None),         # 厦 xià, not shà
    "六安": ("Lu'an", None),          # 六 lù, not liù
    "苏州": ("Suzhou", None),
    "浒墅关": ("Xushuguan", None),    # 浒 xǔ, not hǔ
    "大榭": ("Daxie", None),
    "漯河": ("Luohe", None),          # 漯 luò; pypinyin says tà
    "闵行": ("Minhang", None),        # 行 háng; pypinyin says xíng
    "丽水": ("Lishui", None),         # 丽 lí
    "东丽": ("Dongli", None),         # 丽 lì
    "相城": ("Xiangcheng", None),     # 相 xiāng
    "宿迁": ("Suqian", None),         # 宿 sù
    "曹妃甸": ("Caofeidian", None),   # 甸 diàn
    "甘泉堡": ("Ganquanbao", None),   # 堡 bǎo here (not pù), as the zone writes it
    "葛店": ("Gedian", None),         # 葛 gé
    "红嘴": ("Hongzui", None),
    "蒙自": ("Mengzi", None),         # 蒙 méng
    "曲靖": ("Qujing", None),         # 曲 qū
    "招远": ("Zhaoyuan", None),       # 招 zhāo
    "石家庄": ("Shijiazhuang", None), # 石 shí, not dàn
    "石嘴山": ("Shizuishan", None),
    "石河子": ("Shihezi", None),
    "黄石": ("Huangshi", None),
    "旅顺": ("Lüshun", None),         # lǚ: the ü is kept, as pinyin writes it
    "濮阳": ("Puyang", None),
    "沭阳": ("Shuyang", None),
    "上虞": ("Shangyu", None),
    "上饶": ("Shangrao", None),
    # 陕西 is Shǎnxī, 山西 Shānxī: the official spelling Shaanxi tells them apart.
    "陕西": ("Shaanxi", "陕西 in its official spelling Shaanxi"),
    # Places whose names come from Mongolian, Manchu, Tibetan or Uyghur: their usual
    # romanisation (the form of China's rules for minority-language place names, as on its maps
    # and in its English press), not the pinyin of the Chinese characters.
    "呼和浩特": ("Hohhot", "呼和浩特 in its usual romanisation Hohhot (pinyin Huhehaote)"),
    "呼伦贝尔": ("Hulunbuir", "呼伦贝尔 in its usual romanisation Hulunbuir (pinyin Hulunbei'er)"),
    "巴彦淖尔": ("Bayannur", "巴彦淖尔 in its usual romanisation Bayannur (pinyin Bayannao'er)"),
    "哈尔滨": ("Harbin", "哈尔滨 in its usual romanisation Harbin (pinyin Ha'erbin)"),
    "拉萨": ("Lhasa", "拉萨 in its usual romanisation Lhasa (pinyin Lasa)"),
    "乌鲁木齐": ("Urumqi", "乌鲁木齐 in its usual romanisation Urumqi (pinyin Wulumuqi)"),
    "库尔勒": ("Korla", "库尔勒 in its usual romanisation Korla (pinyin Ku'erle)"),
    "库车": ("Kuqa", "库车 in its usual romanisation Kuqa (pinyin Kuche)"),
    "阿拉尔": ("Aral", "阿拉尔 in its usual romanisation Aral (pinyin A'la'er)"),
    "格尔木": ("Golmud", "格尔木 in its usual romanisation Golmud (pinyin Ge'ermu)"),
    "奎屯": ("Kuytun", "奎屯 in its usual romanisation Kuytun (pinyin Kuitun)"),
    # A bay, island or port that is not itself a city: the proper name in pinyin, the generic
    # word translated, as these places are known in English (a city's name stays whole:
    # 连云港 Lianyungang, 张家港 Zhangjiagang, 秦皇岛 Qinhuangdao).
    "杭州湾": ("Hangzhou Bay", "湾 translated"),
    "大亚湾": ("Daya Bay", "湾 translated"),
    "长兴岛": ("Changxing Island", "岛 translated"),
    "太仓港": ("Taicang Port", "港 translated"),
    "钦州港": ("Qinzhou Port", "港 translated"),
    # Words of a name that are not places: translated.
    "东盟": ("ASEAN", "东盟 translated"),
    "招商局": ("China Merchants", "招商局 in its English name China Merchants"),
    "汽车": ("Automotive", "汽车 translated"),
    "石化": ("Petrochemical", "石化 translated"),
    "沿海": ("Coastal", "沿海 translated"),
    "航空": ("Aviation", "航空 translated"),
    "航天": ("Aerospace", "航天 translated"),
}


def draft(word):
    """pypinyin's reading of a word: one capitalised word, apostrophe before a, o, e."""
    syllables = lazy_pinyin(word, style=Style.NORMAL, v_to_u=True)
    out = syllables[0]
    for s in syllables[1:]:
        out += ("'" if s[:1] in ("a", "o", "e") else "") + s
    return out.capitalize()


def english_place(word):
    """(English, remark, source) of one place word."""
    if word in WORDS:
        en, remark = WORDS[word]
        return en, remark, "hand"
    return draft(word), None, "pypinyin"


def english_name(zone):
    """(English name, note, parts) by the rule, or the official name."""
    if zone in OFFICIAL:
        en, note = OFFICIAL[zone]
        return en, note, [(zone, en, "official")]
    for suffix, kind in TYPES:
        if zone.endswith(suffix) and len(zone) > len(suffix):
            stem = zone[: -len(suffix)]
            break
    else:
        sys.exit(f"{zone}: no known zone type at the end of the name")
    words, remarks, parts = [], [], []
    for token in SPLIT.get(stem, stem).split(" "):
        pieces = []
        for place in token.split("—"):
            en, remark, source = english_place(place)
            pieces.append(en)
            parts.append((place, en, source))
            if remark:
                remarks.append(remark)
        words.append("-".join(pieces))
    note = RULE_NOTE + ("; " + "; ".join(remarks) if remarks else "")
    return " ".join(words + [kind]), note, parts


def lookup_key(name):
    """The form the app compares names in (src/names.rs lookup_key): no whitespace, dashes
    made one, full-width letters half-width, ASCII lower-cased."""
    out = []
    for c in name.strip():
        if c.isspace():
            continue
        if c in "-－–‐―":
            c = "—"
        elif "\uff01" <= c <= "\uff5e":
            c = chr(ord(c) - 0xFEE0)
        out.append(c.lower() if c.isascii() else c)
    return "".join(out)


def main():
    review = "--review" in sys.argv[1:]
    with open(ZONES, encoding="utf-8", newline="") as f:
        zones = [r["开发区名称"].strip() for r in csv.DictReader(f)]
    with open(ALIASES, encoding="utf-8", newline="") as f:
        aliases = list(csv.DictReader(f))
    if len(set(zones)) != len(zones):
        sys.exit("zones_2018.csv repeats a zone name")

    # Zones that already have an English name keep it.
    has_en = {}
    for a in aliases:
        if a["kind"] == "en":
            if a["entity"] in has_en and a["entity"] in zones:
                sys.exit(f"{a['entity']} has two en rows already")
            has_en[a["entity"]] = a["alias"]

    # Every name the app already knows (all aliases of any kind, and the zone names) with the
    # entity it names; a new English name may not take one of them.
    taken = {lookup_key(a["alias"]): a["entity"] for a in aliases}
    taken.update({lookup_key(z): z for z in zones})

    new_rows = []
    for zone in zones:
        if zone in has_en:
            if review:
                print(f"{zone}\t{has_en[zone]}\t(kept: already in aliases.csv)")
            continue
        en, note, parts = english_name(zone)
        if not re.fullmatch(r"[A-Za-zü' &-]+", en):
            sys.exit(f"{zone}: {en!r} holds an unexpected character")
        key = lookup_key(en)
        if key in taken:
            sys.exit(f"{zone}: {en!r} is already a name of {taken[key]}")
        taken[key] = zone
        new_rows.append({"alias": en, "entity": zone, "kind": "en", "note": note})
        if review:
            detail = ", ".join(
                f"{w}={e} [{s}" + ("" if s != "pypinyin" else " " + " ".join(p[0] for p in pinyin(w))) + "]"
                for w, e, s in parts
            )
            print(f"{zone}\t{en}\t{detail}\t{note}")

    if review:
        print(f"{len(new_rows)} names would be added; nothing written", file=sys.stderr)
        return
    if new_rows:
        text = ALIASES.read_text(encoding="utf-8")
        with open(ALIASES, "a", encoding="utf-8", newline="") as f:
            if text and not text.endswith("\n"):
                f.write("\n")
            writer = csv.DictWriter(f, fieldnames=["alias", "entity", "kind", "note"], lineterminator="\n")
            writer.writerows(new_rows)
    print(f"{len(new_rows)} en rows added to {ALIASES.name}; {len(has_en.keys() & set(zones))} zones had one already")


if __name__ == "__main__":
    main()
