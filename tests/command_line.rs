//! The `zonescope` binary as a user runs it.

use std::path::Path;
use std::process::{Command, Output};

fn zonescope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zonescope"))
        .args(args)
        // Never touch the real user's data folder.
        .env("HOME", env!("CARGO_TARGET_TMPDIR"))
        .env("XDG_DATA_HOME", Path::new(env!("CARGO_TARGET_TMPDIR")).join("xdg-data"))
        .output()
        .expect("the binary runs")
}

fn ok(args: &[&str]) -> String {
    let out = zonescope(args);
    assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn fails(args: &[&str]) -> String {
    let out = zonescope(args);
    assert!(!out.status.success(), "{args:?} should fail");
    String::from_utf8(out.stderr).expect("UTF-8 errors")
}

fn db(dir: &tempfile::TempDir) -> String {
    dir.path().join("z.sqlite").display().to_string()
}

/// Rows of a bundled data file (`data/facts.csv`, `data/sources.csv`): what a new database holds.
fn bundled_rows(file: &str) -> usize {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(file);
    csv::Reader::from_path(path).unwrap().records().count()
}

#[test]
fn shares_say_what_they_are_of_and_other_wholes_are_never_ranked_together() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    // A share carries its whole: the Chongqing zones' 2023 trade is 96% of their districts'.
    let json = ok(&["query", "--zone", "万州经开区", "--indicator", "外贸进出口总额", "--format", "json", "--db", &db]);
    let shares: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|r: &serde_json::Value| r["measure"] == "share_pct")
        .collect();
    assert!(!shares.is_empty());
    assert!(shares.iter().all(|r| r["share_of"] == "host_district"), "{json}");
    // The 2023 shares: three zones of their districts, and the national zones' 25% of the
    // nation's trade. The ranking ranks the first three and leaves the national share out.
    let out = Command::new(env!("CARGO_BIN_EXE_zonescope"))
        .args(["query", "--ranking", "--indicator", "外贸进出口总额", "--measure", "share_pct", "--period", "2023"])
        .args(["--format", "json", "--db", &db])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let ranked: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(ranked.len(), 3, "{ranked:?}");
    assert!(ranked.iter().all(|r| r["share_of"] == "host_district"));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("left out: 1 entities whose shares are of another whole"), "{said}");
    // A view file names the whole: the zones' line chart data holds shares of it alone.
    let view = dir.path().join("shares.json");
    std::fs::write(
        &view,
        r#"{"entities": ["重庆经开区", "万州经开区", "全国国家级经开区"], "indicator": "外贸进出口总额", "measure": "share_pct", "share_of": "nation"}"#,
    )
    .unwrap();
    let csv_path = dir.path().join("shares.csv");
    ok(&["export", "--view-file", &view.display().to_string(), "--out", &csv_path.display().to_string(), "--db", &db]);
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert!(!rows.is_empty() && rows.iter().all(|r| &r[3] == "nation" && &r[0] == "全国国家级经开区"), "{rows:?}");
    // A whole no share has is refused with the field named.
    std::fs::write(&view, r#"{"indicator": "外贸进出口总额", "measure": "share_pct", "share_of": "planet"}"#).unwrap();
    let err = fails(&[
        "export",
        "--view-file",
        &view.display().to_string(),
        "--out",
        &csv_path.display().to_string(),
        "--db",
        &db,
    ]);
    assert!(err.contains("share_of"), "{err}");
}

#[test]
fn info_builds_the_database_from_the_bundled_data_on_first_use() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let out = ok(&["info", "--db", &db]);
    assert!(out.contains(&db), "{out}");
    assert!(out.contains(&format!("schema version: {}", zonescope::store::SCHEMA_VERSION)), "{out}");
    assert!(out.contains("219 in the 2018 national catalog"), "{out}");
    assert!(out.contains(&format!("observations:   {}", bundled_rows("facts.csv"))), "{out}");
    assert!(out.contains(&format!("sources:        {}", bundled_rows("sources.csv"))), "{out}");
    assert!(out.contains("synthetic:      no"), "{out}");
    // --db before the command means the same.
    assert_eq!(ok(&["--db", &db, "info"]), out);
}

#[test]
fn zones_are_found_by_canonical_short_and_alias_names() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    for (search, expected) in [
        ("重庆经济技术开发区", "G501039"),
        ("重庆经开区", "G501039"),
        ("亦庄", "北京经济技术开发区"),
        ("teda", "天津经济技术开发区"),
        ("广西-东盟", "广西—东盟经济技术开发区"),
    ] {
        let out = ok(&["zones", "--search", search, "--db", &db]);
        assert!(out.contains(expected), "{search}: {out}");
    }
    let all = ok(&["zones", "--db", &db]);
    assert!(all.lines().filter(|l| l.starts_with('G')).count() == 219, "{all}");
    let err = fails(&["zones", "--search", "不存在的开发区", "--db", &db]);
    assert!(err.contains("不存在的开发区"), "{err}");
}

#[test]
fn query_prints_figures_with_their_sources_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let out = ok(&["query", "--zone", "万州经开区", "--indicator", "外贸进出口总额", "--format", "json", "--db", &db]);
    let rows: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(!rows.is_empty());
    for field in [
        "entity",
        "indicator",
        "measure",
        "period",
        "period_text",
        "value",
        "unit",
        "value_base",
        "unit_base",
        "qualifier",
        "source",
        "published",
        "address",
        "quote",
    ] {
        assert!(rows.iter().all(|r| r.get(field).is_some()), "every row has {field}");
    }
    let jan_aug = rows
        .iter()
        .find(|r| r["measure"] == "value" && r["period"] == "2024-01/2024-08")
        .expect("万州's Jan–Aug 2024 trade");
    assert_eq!(jan_aug["entity"], "万州经济技术开发区");
    assert_eq!(jan_aug["value"], 36.4);
    assert_eq!(jan_aug["unit"], "亿元");
    assert_eq!(jan_aug["value_base"], 3_640_000_000.0);
    assert_eq!(jan_aug["unit_base"], "CNY");
    assert_eq!(jan_aug["period_text"], "今年1至8月");
    assert_eq!(jan_aug["source"], "中新网 (China News Service)");
    assert_eq!(jan_aug["published"], "2024-10-29");
    assert_eq!(jan_aug["quote"], "今年1至8月,全区实现进出口总额36.4亿元");
}

#[test]
fn a_group_is_queried_as_itself_and_never_summed() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let by_members = ok(&["query", "--zone", "长寿经开区+重庆经开区+万州经开区", "--format", "json", "--db", &db]);
    let by_alias = ok(&["query", "--zone", "重庆三大国家级经开区", "--format", "json", "--db", &db]);
    assert_eq!(by_members, by_alias);
    let rows: Vec<serde_json::Value> = by_members.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let trade = rows.iter().find(|r| r["indicator"] == "外贸进出口总额").unwrap();
    assert_eq!(trade["value"], 242.3);
    assert_eq!(trade["entity"], "重庆经济技术开发区+万州经济技术开发区+长寿经济技术开发区");
    // The members' own figures are not the group's.
    assert!(rows.iter().all(|r| r["entity"] == trade["entity"]));
}

#[test]
fn query_filters_by_measure_and_writes_csv_and_tables() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let csv = ok(&["query", "--zone", "重庆经开区", "--measure", "yoy-pct", "--format", "csv", "--db", &db]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let measure = headers.iter().position(|h| h == "measure").unwrap();
    let records: Vec<_> = reader.records().map(|r| r.unwrap()).collect();
    assert!(!records.is_empty());
    assert!(records.iter().all(|r| &r[measure] == "yoy_pct"));

    let table = ok(&["query", "--zone", "重庆经开区", "--db", &db]);
    assert!(table.contains("Sources"), "{table}");
    assert!(table.contains("[1] "), "{table}");
    assert!(table.contains("“今年前三季度,重庆经开区外贸进出口总额同比增长5.4%”"), "{table}");
}

#[test]
fn unknown_names_fail_with_a_message_that_names_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let err = fails(&["query", "--zone", "火星经开区", "--db", &db]);
    assert!(err.contains("火星经开区"), "{err}");
    let err = fails(&["query", "--zone", "经开区", "--db", &db]);
    assert!(err.contains("could be any of"), "{err}");
    let err = fails(&["query", "--zone", "重庆经开区", "--indicator", "月球产值", "--db", &db]);
    assert!(err.contains("月球产值"), "{err}");
}

#[test]
fn sources_list_every_source_with_its_figure_count() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let out = ok(&["sources", "--format", "csv", "--db", &db]);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), bundled_rows("sources.csv"));
    let total: i64 = rows.iter().map(|r| r[4].parse::<i64>().unwrap()).sum();
    assert_eq!(total as usize, bundled_rows("facts.csv"));
    let cq = rows.iter().find(|r| &r[0] == "cq_3etdz_2024-10_chinanews").unwrap();
    assert_eq!(&cq[2], "2024-10-29");
}

#[test]
fn a_bad_database_path_fails_and_names_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere").join("z.sqlite").display().to_string();
    let err = fails(&["info", "--db", &missing]);
    assert!(err.contains(&missing), "{err}");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database at all, but long enough to look like a file").unwrap();
    let err = fails(&["info", "--db", &text.display().to_string()]);
    assert!(err.contains("not a Zonescope database"), "{err}");
}

#[test]
fn synth_writes_a_database_marked_synthetic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("synthetic.sqlite").display().to_string();
    ok(&["synth", "--db", &path, "--zones", "12", "--indicators", "3", "--years", "5", "--monthly"]);
    let info = ok(&["info", "--db", &path]);
    assert!(info.contains("synthetic:      yes"), "{info}");
    assert!(info.contains(&format!("observations:   {}", 12 * 3 * 5 * 12)), "{info}");
    // Never over an existing file.
    let err = fails(&["synth", "--db", &path, "--zones", "1", "--indicators", "1", "--years", "1"]);
    assert!(err.contains("already exists"), "{err}");
    let err = fails(&["synth", "--zones", "1", "--indicators", "1", "--years", "1"]);
    assert!(err.contains("--db"), "{err}");
}

#[test]
fn export_writes_a_views_figures_with_their_sources_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let out = dir.path().join("cq.csv").display().to_string();
    let args = [
        "export",
        "--zone",
        "重庆经开区",
        "--zone",
        "万州经开区",
        "--indicator",
        "外贸进出口总额",
        "--measure",
        "share-pct",
    ];
    let mut with_out = args.to_vec();
    with_out.extend_from_slice(&["--out", &out, "--db", &db]);
    let printed = ok(&with_out);
    assert!(printed.contains("figures with their sources"), "{printed}");
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    // The same figures `query` gives, in the same order, with the publisher and the quote.
    let json = ok(&[
        "query",
        "--zone",
        "重庆经开区",
        "--zone",
        "万州经开区",
        "--indicator",
        "外贸进出口总额",
        "--measure",
        "share-pct",
        "--format",
        "json",
        "--db",
        &db,
    ]);
    let expected: Vec<serde_json::Value> = json.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), expected.len());
    for (row, e) in rows.iter().zip(&expected) {
        assert_eq!(&row[0], e["entity"].as_str().unwrap());
        assert_eq!(row[6].parse::<f64>().unwrap(), e["value"].as_f64().unwrap());
        assert_eq!(&row[11], e["source"].as_str().unwrap());
        assert_eq!(&row[3], e["share_of"].as_str().unwrap_or(""));
    }
    // A view file says the same.
    let view = dir.path().join("view.json");
    std::fs::write(
        &view,
        r#"{"entities": ["重庆经开区", "万州经开区"], "indicator": "外贸进出口总额", "measure": "share_pct"}"#,
    )
    .unwrap();
    let out2 = dir.path().join("from_view.csv").display().to_string();
    ok(&["export", "--view-file", &view.display().to_string(), "--out", &out2, "--db", &db]);
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&out2).unwrap());
    let xlsx = dir.path().join("cq.xlsx").display().to_string();
    let printed = ok(&["export", "--view-file", &view.display().to_string(), "--out", &xlsx, "--db", &db]);
    assert!(printed.contains(&format!("wrote {} figures", rows.len())), "{printed}");
    assert!(std::fs::metadata(&xlsx).unwrap().len() > 1000);
    // An output the command cannot write says which it can.
    let err =
        fails(&["export", "--zone", "重庆经开区", "--indicator", "外贸进出口总额", "--out", "x.pdf", "--db", &db]);
    assert!(err.contains("x.pdf") && err.contains(".png, .svg, .csv or .xlsx"), "{err}");
}

#[test]
fn an_english_csv_export_labels_the_shown_unit_in_english() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let shown_units = |lang: &str| {
        let out = dir.path().join(format!("national-{lang}.csv")).display().to_string();
        ok(&[
            "export",
            "--zone",
            "全国国家级经开区",
            "--indicator",
            "外贸进出口总额",
            "--lang",
            lang,
            "--out",
            &out,
            "--db",
            &db,
        ]);
        let mut reader = csv::Reader::from_path(&out).unwrap();
        let column = reader.headers().unwrap().iter().position(|h| h == "shown_unit").unwrap();
        let units: Vec<String> =
            reader.records().map(|r| r.unwrap()[column].to_string()).filter(|u| !u.is_empty()).collect();
        assert!(!units.is_empty(), "the chart shows some figures");
        units
    };
    let cjk = |s: &str| s.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
    let english = shown_units("en");
    assert!(english.iter().all(|u| !cjk(u)), "{english:?}");
    let chinese = shown_units("zh");
    assert!(chinese.iter().all(|u| cjk(u)), "{chinese:?}");
}

#[test]
fn english_files_and_figures_say_everything_in_english_but_the_sources_own_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let cjk =
        |s: &str| s.chars().any(|c| ('\u{3000}'..='\u{9FFF}').contains(&c) || ('\u{FF00}'..='\u{FFEF}').contains(&c));
    // A group, a count of businesses, shares, and a ranking: names, units, periods, publishers.
    let views: [&[&str]; 4] = [
        &["--zone", "重庆经开区+万州经开区+长寿经开区", "--zone", "万州经开区", "--indicator", "外贸进出口总额"],
        &["--zone", "重庆经开区", "--indicator", "经营主体数量"],
        &[
            "--zone",
            "重庆经开区",
            "--zone",
            "全国国家级经开区",
            "--indicator",
            "实际使用外资",
            "--measure",
            "share_pct",
        ],
        &["--zone", "南京经开区", "--indicator", "综合发展水平排名", "--measure", "rank", "--chart", "ranking"],
    ];
    for (i, view) in views.iter().enumerate() {
        let csv_path = dir.path().join(format!("{i}.csv")).display().to_string();
        let svg_path = dir.path().join(format!("{i}.svg")).display().to_string();
        for out in [&csv_path, &svg_path] {
            let mut args = vec!["export", "--lang", "en", "--out", out.as_str(), "--db", &db];
            args.extend_from_slice(view);
            ok(&args);
        }
        let mut reader = csv::Reader::from_path(&csv_path).unwrap();
        let headers = reader.headers().unwrap().clone();
        let mut rows = 0;
        for record in reader.records() {
            let record = record.unwrap();
            rows += 1;
            for (header, field) in headers.iter().zip(record.iter()) {
                // The quote and the curator's note are the source's words, kept as written.
                if header != "quote" && header != "note" {
                    assert!(!cjk(field), "{view:?}: {header} = {field:?}");
                }
            }
        }
        assert!(rows > 0, "{view:?} has figures");
        let svg = std::fs::read_to_string(&svg_path).unwrap();
        let text: Vec<&str> = svg.split('>').filter_map(|t| t.split('<').next()).filter(|t| cjk(t)).collect();
        assert!(text.is_empty(), "{view:?}: {text:?}");
    }
}

#[test]
fn export_draws_a_figure_as_png_at_the_size_and_scale_asked() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let png = dir.path().join("gdp.png").display().to_string();
    let printed = ok(&[
        "export",
        "--zone",
        "全国国家级经开区",
        "--zone",
        "亦庄",
        "--indicator",
        "地区生产总值",
        "--out",
        &png,
        "--size",
        "800x600",
        "--scale",
        "3",
        "--lang",
        "en",
        "--db",
        &db,
    ]);
    assert!(printed.contains("2400×1800 pixels"), "{printed}");
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let reader = decoder.read_info().unwrap();
    assert_eq!((reader.info().width, reader.info().height), (2400, 1800));
    // A preset by name, an SVG, a ranking.
    let svg = dir.path().join("rank.svg").display().to_string();
    ok(&[
        "export",
        "--zone",
        "南京经开区",
        "--indicator",
        "综合发展水平排名",
        "--measure",
        "rank",
        "--chart",
        "ranking",
        "--size",
        "4:3",
        "--title",
        "经开区综合排名",
        "--out",
        &svg,
        "--db",
        &db,
    ]);
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains(r#"width="3200" height="2400" viewBox="0 0 1600 1200""#), "{}", &text[..400]);
    assert!(text.contains(">经开区综合排名</text>"));
    // The period most zones report (2020, from the list 红网 printed) and its one source.
    assert!(text.contains(">来源:红网,2021-01-27</text>"), "the footer names the ranking's source");
    // Sizes and scales out of range are refused, and nothing is written.
    let bad = dir.path().join("bad.png").display().to_string();
    let err =
        fails(&["export", "--zone", "亦庄", "--indicator", "地区生产总值", "--out", &bad, "--scale", "9", "--db", &db]);
    assert!(err.contains("scale 9"), "{err}");
    let err = fails(&[
        "export",
        "--zone",
        "亦庄",
        "--indicator",
        "地区生产总值",
        "--out",
        &bad,
        "--size",
        "big",
        "--db",
        &db,
    ]);
    assert!(err.contains("--size \"big\""), "{err}");
    assert!(!Path::new(&bad).exists());
    // A folder that is not there is named, and nothing is left behind.
    let missing = dir.path().join("no-such-folder").join("fig.svg").display().to_string();
    let err = fails(&["export", "--zone", "亦庄", "--indicator", "地区生产总值", "--out", &missing, "--db", &db]);
    assert!(err.contains(&missing), "{err}");
    assert!(!dir.path().join("no-such-folder").exists());
    let partial =
        std::fs::read_dir(dir.path()).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().contains("partial"));
    assert!(!partial, "no half-written file is left");
}

#[test]
fn a_read_only_database_answers_queries_and_says_it_is_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    ok(&["info", "--db", &db]);
    let mut perms = std::fs::metadata(&db).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&db, perms).unwrap();
    let info = ok(&["info", "--db", &db]);
    assert!(info.contains("read-only"), "{info}");
    let figures = ok(&["query", "--db", &db, "--zone", "万州经开区", "--format", "json"]);
    assert!(figures.lines().count() > 5, "{figures}");
    let text = dir.path().join("report.txt");
    std::fs::write(&text, "中新网重庆10月29日电 今年1至8月,万州经开区实现进出口总额36.4亿元。").unwrap();
    let err = fails(&["import", &text.display().to_string(), "--published", "2024-10-29", "--db", &db]);
    assert!(err.contains("read-only") && err.contains(&db), "{err}");
}

#[test]
fn importers_running_at_once_all_store_their_texts() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    ok(&["info", "--db", &db]);
    let files: Vec<String> = (0..6)
        .map(|k| {
            let path = dir.path().join(format!("report{k}.txt"));
            let body = format!(
                "中新网重庆10月{}日电 今年前三季度,重庆经开区实现外贸进出口{}亿元,同比增长{}%。\n",
                k + 1,
                100 + k,
                k + 2
            );
            std::fs::write(&path, body.repeat(200)).unwrap();
            path.display().to_string()
        })
        .collect();
    let running: Vec<std::process::Child> = files
        .iter()
        .map(|f| {
            Command::new(env!("CARGO_BIN_EXE_zonescope"))
                .args(["import", f, "--accept", "--published", "2024-10-29", "--db", &db])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in running {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let sources = ok(&["sources", "--db", &db, "--format", "json"]);
    let imported = sources.lines().filter(|l| l.contains("\"imported\"")).count();
    assert_eq!(imported, 6, "{sources}");
}

#[test]
fn info_checks_the_pages_and_says_when_one_is_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let healthy = ok(&["info", "--db", &db]);
    assert!(healthy.contains("integrity:      every page checked, no damage found"), "{healthy}");
    // Garbage over a page in the middle of the file, past the schema that opening reads.
    let mut bytes = std::fs::read(&db).unwrap();
    let pages = bytes.len() / 4096;
    let at = (pages / 2) * 4096;
    for b in &mut bytes[at..at + 4096] {
        *b = 0xA5;
    }
    std::fs::write(&db, &bytes).unwrap();
    let err = fails(&["info", "--db", &db]);
    assert!(err.contains("damaged") && err.contains(&db), "{err}");
    assert_eq!(err.matches("damaged").count(), 1, "said once: {err}");
}

#[test]
fn a_missing_folder_is_said_before_anything_is_built() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("no-such-folder").join("z.sqlite").display().to_string();
    let out = zonescope(&["info", "--db", &db]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("building"), "{err}");
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn a_library_error_is_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    ok(&["info", "--db", &db]);
    rusqlite::Connection::open(&db).unwrap().execute_batch("DROP TABLE meta").unwrap();
    let err = fails(&["info", "--db", &db]);
    assert_eq!(err.matches("no such table: meta").count(), 1, "{err}");
}

#[test]
fn bad_rows_in_a_database_are_left_out_and_named_and_the_rest_works() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    ok(&["info", "--db", &db]);
    let all = ok(&["query", "--db", &db, "--zone", "万州经开区", "--format", "json"]).lines().count();
    {
        // As a hand edit would leave them, past the constraints a normal write meets.
        let conn = rusqlite::Connection::open(&db).unwrap();
        let id = |indicator: &str, measure: &str, start: i64| -> i64 {
            conn.query_row(
                "SELECT o.id FROM observation o JOIN entity e ON e.id = o.entity_id JOIN indicator i ON i.id = o.indicator_id
                 WHERE e.name = '万州经济技术开发区' AND i.name = ?1 AND o.measure = ?2 AND o.period_start = ?3",
                rusqlite::params![indicator, measure, start],
                |r| r.get(0),
            )
            .unwrap()
        };
        conn.execute_batch(&format!(
            "PRAGMA ignore_check_constraints = ON;
             UPDATE observation SET value = 'n/a' WHERE id = {};
             UPDATE observation SET measure = 'growth' WHERE id = {};
             UPDATE observation SET period_start = NULL WHERE id = {};
             UPDATE observation SET unit = '???' WHERE id = {};
             UPDATE observation SET value_base = 1e308 WHERE id = {};",
            id("外贸进出口总额", "share_pct", 20230101),
            id("实际使用外资", "yoy_pct", 20240101),
            id("固定资产投资", "value", 20150101),
            id("工业总产值", "share_pct", 20150101),
            id("工业总产值", "value", 20230101),
        ))
        .unwrap();
    }
    let out = zonescope(&["query", "--db", &db, "--zone", "万州经开区", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let read = String::from_utf8(out.stdout).unwrap().lines().count();
    let note = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(read, all - 5, "every other figure is read");
    assert!(note.contains("could not be read") && note.contains("figure #"), "{note}");
    // Exports of the zone's foreign trade still work, and write no infinite or absurd number.
    let csv = dir.path().join("f.csv");
    let png = dir.path().join("f.png");
    for out in [&csv, &png] {
        ok(&[
            "export",
            "--db",
            &db,
            "--zone",
            "万州经开区",
            "--indicator",
            "工业总产值",
            "--out",
            &out.display().to_string(),
        ]);
    }
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(!text.contains("inf") && !text.contains("e308") && !text.contains("0000000000000000"), "{text}");
}

/// How many figures a database holds, as `info` says.
fn observations(db: &str) -> usize {
    let info = ok(&["info", "--db", db]);
    let line = info.lines().find(|l| l.starts_with("observations:")).expect("an observations line");
    line.split_whitespace().last().unwrap().parse().unwrap()
}

/// `import-csv FILE` into `db` with a new source `s`.
fn import_csv_with_new_source(file: &Path, db: &str) -> Vec<String> {
    let file = file.display().to_string();
    ["import-csv", &file, "--source-id", "s", "--publisher", "某局", "--published", "2022", "--db", db]
        .map(str::to_string)
        .to_vec()
}

fn as_strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

const TIDY: &str = "entity,indicator,measure,period,period_text,value,unit,qualifier\n\
    万州经开区,工业总产值,value,2021,2021年,1234.5,亿元,\n\
    重庆经济技术开发区,工业总产值,value,2021,2021年,2345.6,亿元,over\n\
    Changshou ETDZ,工业总产值,yoy_pct,2021,2021年,7.5,%,\n";

#[test]
fn import_csv_stores_a_checked_table_with_its_source_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let before = observations(&db);
    let path = dir.path().join("yearbook.csv");
    std::fs::write(&path, TIDY).unwrap();
    let file = path.display().to_string();
    // A new source needs a publisher and a date.
    let err = fails(&["import-csv", &file, "--source-id", "cq_yearbook_2022", "--db", &db]);
    assert!(err.contains("--publisher"), "{err}");
    let args = [
        "import-csv",
        &file,
        "--source-id",
        "cq_yearbook_2022",
        "--publisher",
        "重庆市统计局",
        "--published",
        "2022-12",
    ];
    let out = ok(&[&args[..], &["--db", &db]].concat());
    assert!(out.contains("3 figures stored"), "{out}");
    assert_eq!(observations(&db), before + 3);
    let json = ok(&["query", "--zone", "万州经开区", "--indicator", "工业总产值", "--format", "json", "--db", &db]);
    let row: serde_json::Value =
        serde_json::from_str(json.lines().find(|l| l.contains("1234.5")).expect("the imported figure")).unwrap();
    assert_eq!((row["source"].as_str(), row["published"].as_str()), (Some("重庆市统计局"), Some("2022-12")));
    // The same file again adds nothing.
    let again = ok(&[&args[..], &["--db", &db]].concat());
    assert!(again.contains("imported before"), "{again}");
    assert_eq!(observations(&db), before + 3);
}

#[test]
fn import_csv_names_every_bad_row_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let before = observations(&db);
    let path = dir.path().join("bad.csv");
    let bad = format!(
        "{TIDY}火星经开区,工业总产值,value,2021,,1,亿元,\n\
         万州经开区,工业总产值,value,2021,,1,亿英镑,\n\
         万州经开区,工业总产值,value,2021年,,1,亿元,\n\
         万州经开区,工业总产值,growth,2021,,1,%,\n"
    );
    std::fs::write(&path, bad).unwrap();
    let file = path.display().to_string();
    // No source at all: every row says so.
    let err = fails(&["import-csv", &file, "--db", &db]);
    assert!(err.contains("line 2, column source_id"), "{err}");
    let err =
        fails(&["import-csv", &file, "--source-id", "s", "--publisher", "某局", "--published", "2022", "--db", &db]);
    for expected in
        ["line 5, column entity", "line 6, column unit", "line 7, column period", "line 8, column measure", "4 row(s)"]
    {
        assert!(err.contains(expected), "{expected}: {err}");
    }
    assert!(!err.contains("line 2,"), "good rows are not blamed: {err}");
    assert_eq!(observations(&db), before, "nothing was stored");
    // A file that is no table.
    let png = dir.path().join("not.csv");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let err = fails(&as_strs(&import_csv_with_new_source(&png, &db)));
    assert!(err.contains("not.csv") && (err.contains("not a") || err.contains("missing column")), "{err}");
    assert_eq!(observations(&db), before, "nothing was stored");
}

#[test]
fn a_large_table_with_a_bad_row_near_its_end_stores_nothing_though_its_first_rows_were_being_stored() {
    // Rows are stored while later ones are still read: enough rows for several handovers and
    // for a bulk write, then one bad row.
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let before = observations(&db);
    let mut table = String::from("entity,indicator,measure,period,value,unit\n");
    let zones = ["万州经开区", "重庆经济技术开发区", "长寿经开区"];
    let rows = 60_000;
    for n in 0..rows {
        // Each zone: 360 months (1995-2024) of one indicator, then of the next.
        let (zone, i) = (zones[n % 3], n / 3);
        let (year, month) = (1995 + i % 360 / 12, i % 12 + 1);
        table.push_str(&format!(
            "{zone},合成核对指标{},value,{year}-{month:02}/{year}-{month:02},{n}.5,亿元\n",
            i / 360
        ));
    }
    let good = dir.path().join("good.csv");
    std::fs::write(&good, &table).unwrap();
    table.push_str("万州经开区,合成核对指标0,value,2021,1,亿英镑\n");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, &table).unwrap();
    let err = zonescope(&as_strs(&import_csv_with_new_source(&bad, &db)));
    assert!(!err.status.success());
    let err = String::from_utf8(err.stderr).unwrap();
    assert!(err.contains(&format!("line {}, column unit", rows + 2)) && err.contains("1 row(s)"), "{err}");
    assert_eq!(observations(&db), before, "nothing was stored");
    let sources = ok(&["sources", "--db", &db]);
    assert!(!sources.contains("某局"), "nor the new source: {sources}");
    // The good rows alone are stored whole, once.
    let out = ok(&as_strs(&import_csv_with_new_source(&good, &db)));
    assert!(out.contains(&format!("{rows} figures stored")), "{out}");
    assert_eq!(observations(&db), before + rows);
}

#[test]
fn import_csv_reads_a_gbk_table() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let path = dir.path().join("gbk.csv");
    let (gbk, _, _) = encoding_rs::GBK.encode(TIDY);
    std::fs::write(&path, &gbk).unwrap();
    let file = path.display().to_string();
    let out = ok(&[
        "import-csv",
        &file,
        "--source-id",
        "gbk",
        "--publisher",
        "重庆市统计局",
        "--published",
        "2022",
        "--db",
        &db,
    ]);
    assert!(out.contains("3 figures stored") && out.contains("GB"), "{out}");
    let json = ok(&["query", "--zone", "重庆经开区", "--indicator", "工业总产值", "--format", "json", "--db", &db]);
    assert!(json.contains("2345.6") && json.contains("\"over\""), "{json}");
}

#[test]
fn import_csv_takes_its_sources_from_a_sources_table_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let before = observations(&db);
    let sources = dir.path().join("sources.csv");
    std::fs::write(
        &sources,
        "source_id,publisher,published,address,kind\n\
         wz_2021,万州区统计局,2022-03-20,https://example.gov.cn/wz,official\n\
         cq_2021,重庆市统计局,2022-03,https://example.gov.cn/cq,official\n",
    )
    .unwrap();
    let table = dir.path().join("figures.csv");
    std::fs::write(
        &table,
        "entity,indicator,measure,period,value,unit,source_id\n\
         万州经开区,工业总产值,value,2021,1234.5,亿元,wz_2021\n\
         重庆经开区,工业总产值,value,2021,2345.6,亿元,cq_2021\n",
    )
    .unwrap();
    let (table, sources) = (table.display().to_string(), sources.display().to_string());
    let out = ok(&["import-csv", &table, "--sources", &sources, "--db", &db]);
    assert!(out.contains("2 figures stored"), "{out}");
    assert_eq!(observations(&db), before + 2);
    let listed = ok(&["sources", "--format", "json", "--db", &db]);
    assert!(listed.contains("万州区统计局") && listed.contains("重庆市统计局"), "{listed}");
    // A sources table with a source that has no publisher is refused, naming its line.
    let bad = dir.path().join("bad_sources.csv");
    std::fs::write(&bad, "source_id,publisher,published,address,kind\nx,,2022,,official\n").unwrap();
    let err = fails(&["import-csv", &table, "--sources", &bad.display().to_string(), "--db", &db]);
    assert!(err.contains("bad_sources.csv: line 2") && err.contains("publisher"), "{err}");
}

/// A yearbook-style sheet: a title, a 单位 line, a heading over two header rows (one year cut
/// into months under a merged cell), a footnote mark, a thousands separator, a dash, a 合计 row
/// and a note under the table.
fn yearbook_xlsx(path: &std::path::Path, extra_zone: Option<&str>) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("进出口").unwrap();
    sheet.write_string(0, 0, "表1 部分国家级经开区外贸进出口总额").unwrap();
    sheet.write_string(1, 0, "单位:亿元").unwrap();
    sheet.write_string(2, 0, "开发区").unwrap();
    sheet.write_string(2, 1, "外贸进出口总额").unwrap();
    sheet.write_string(3, 1, "2022年").unwrap();
    sheet.write_number(3, 2, 2023).unwrap();
    sheet.write_string(3, 3, "2024年1-9月").unwrap();
    sheet.write_string(4, 0, "重庆经开区").unwrap();
    sheet.write_number(4, 1, 30.1).unwrap();
    sheet.write_string(4, 2, "35.9*").unwrap();
    sheet.write_string(4, 3, "—").unwrap();
    sheet.write_string(5, 0, "万州经开区").unwrap();
    sheet.write_string(5, 1, "1,012.5").unwrap();
    sheet.write_number(5, 2, 28).unwrap();
    sheet.write_number(5, 3, 36.4).unwrap();
    let mut row = 6;
    if let Some(zone) = extra_zone {
        sheet.write_string(row, 0, zone).unwrap();
        sheet.write_number(row, 1, 5.5).unwrap();
        row += 1;
    }
    sheet.write_string(row, 0, "合计").unwrap();
    sheet.write_number(row, 1, 1042.6).unwrap();
    sheet.write_string(row + 1, 0, "注:*为初步数。").unwrap();
    book.save(path).unwrap();
}

fn write_mapping(path: &std::path::Path, names: &str) {
    std::fs::write(
        path,
        format!(
            r#"{{"columns_are": "periods", "indicator": "外贸进出口总额",
                "source": {{"publisher": "某市商务局", "published": "2024-11-05", "address": "https://example.org/t1.xlsx"}},
                "names": {{{names}}}}}"#
        ),
    )
    .unwrap();
}

#[test]
fn import_table_reads_a_yearbook_sheet_through_a_mapping_and_can_be_undone() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let xlsx = dir.path().join("yearbook.xlsx");
    let mapping = dir.path().join("mapping.json");
    yearbook_xlsx(&xlsx, None);
    write_mapping(&mapping, "");
    let before = observations(&db);
    let args = ["import-table", xlsx.to_str().unwrap(), "--mapping", mapping.to_str().unwrap(), "--db", &db];
    let out = zonescope(&args);
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{said}");
    // Five figures: the dash is no figure, the 合计 row and the note are left out, and said.
    assert_eq!(observations(&db), before + 5, "{said}");
    assert!(said.contains("合计: a total of the rows"), "{said}");
    assert!(said.contains("header rows 3–4") && said.contains("figures from row 5"), "{said}");
    let json = ok(&["query", "--db", &db, "--zone", "万州经开区", "--indicator", "外贸进出口总额", "--format", "json"]);
    let stored: Vec<serde_json::Value> = json.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let from_table: Vec<&serde_json::Value> = stored.iter().filter(|o| o["source"] == "某市商务局").collect();
    let mut found: Vec<(String, f64)> =
        from_table.iter().map(|o| (o["period"].as_str().unwrap().to_string(), o["value"].as_f64().unwrap())).collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(found, [("2022".into(), 1012.5), ("2023".into(), 28.0), ("2024-01/2024-09".into(), 36.4)]);
    // Each figure cites its cell, and its period as the header wrote it.
    assert!(
        from_table.iter().any(|o| o["note"] == "table cell 进出口!D6" && o["period_text"] == "2024年1-9月"),
        "{json}"
    );

    // Twice adds nothing.
    let again = ok(&args);
    assert!(again.contains("imported before"), "{again}");
    assert_eq!(observations(&db), before + 5);

    // Undone from the command line: the source and its figures go, and the file may come again.
    let key = ok(&["sources", "--db", &db])
        .lines()
        .find_map(|l| l.split_whitespace().find(|w| w.starts_with("table:yearbook:")).map(str::to_string))
        .expect("the table's source is listed");
    ok(&["remove-source", &key, "--db", &db]);
    assert_eq!(observations(&db), before);
    ok(&args);
    assert_eq!(observations(&db), before + 5);
    // A bundled source is not removed.
    let refused = fails(&["remove-source", "cq_3etdz_2024-10_chinanews", "--db", &db]);
    assert!(refused.contains("bundled"), "{refused}");
}

#[test]
fn an_unknown_zone_in_a_table_stores_nothing_until_the_mapping_says_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let xlsx = dir.path().join("t.xlsx");
    let mapping = dir.path().join("mapping.json");
    yearbook_xlsx(&xlsx, Some("万州经济开发新区"));
    write_mapping(&mapping, "");
    let before = observations(&db);
    let args = ["import-table", xlsx.to_str().unwrap(), "--mapping", mapping.to_str().unwrap(), "--db", &db];
    let refused = fails(&args);
    assert!(refused.contains("万州经济开发新区") && refused.contains("closest: 万州经济技术开发区"), "{refused}");
    assert!(refused.contains("nothing from the file was stored"), "{refused}");
    assert_eq!(observations(&db), before);
    // Said to be a new zone: stored, and the new zone is listed.
    write_mapping(&mapping, r#""万州经济开发新区": "new""#);
    ok(&args);
    assert_eq!(observations(&db), before + 6);
    assert!(ok(&["zones", "--db", &db, "--search", "万州经济开发新区"]).contains("万州经济开发新区"));
}

#[test]
fn import_table_reads_a_gbk_csv_of_indicators_of_one_period() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let csv = dir.path().join("t.csv");
    let text =
        "开发区,进出口总额(亿元),实际使用外资(万美元),备注\n重庆经开区,35.9,6760,\n长寿经开区,\"1,234\",—,初步数\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    std::fs::write(&csv, &gbk).unwrap();
    let mapping = dir.path().join("m.json");
    std::fs::write(
        &mapping,
        r#"{"columns_are": "indicators", "period": "2023",
            "indicators": {"进出口总额": "外贸进出口总额"},
            "source": {"publisher": "某区统计局", "published": "2024-02"}}"#,
    )
    .unwrap();
    let before = observations(&db);
    let out = zonescope(&["import-table", csv.to_str().unwrap(), "--mapping", mapping.to_str().unwrap(), "--db", &db]);
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{said}");
    // 备注 has no unit: left out and said; the dash is no figure.
    assert!(said.contains("\"备注\": left out") && said.contains("GB18030"), "{said}");
    assert_eq!(observations(&db), before + 3);
    let json = ok(&["query", "--db", &db, "--zone", "长寿经开区", "--indicator", "外贸进出口总额", "--format", "json"]);
    assert!(json.lines().any(|l| l.contains("\"value\":1234") && l.contains("某区统计局")), "{json}");
}

#[test]
fn a_file_that_is_not_a_table_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let png = dir.path().join("chart.xlsx");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01").unwrap();
    let mapping = dir.path().join("m.json");
    write_mapping(&mapping, "");
    let said = fails(&["import-table", png.to_str().unwrap(), "--mapping", mapping.to_str().unwrap(), "--db", &db]);
    assert!(said.contains("chart.xlsx") && said.contains("not a table"), "{said}");
}

#[test]
fn a_mapping_that_names_no_indicator_stores_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let csv = dir.path().join("t.csv");
    std::fs::write(&csv, "开发区,2022年,2023年\n长寿经开区,12.3,14.1\n").unwrap();
    let mapping = dir.path().join("m.json");
    std::fs::write(&mapping, r#"{"unit": "亿元", "source": {"publisher": "某区统计局", "published": "2024"}}"#)
        .unwrap();
    let before = observations(&db);
    let said = fails(&["import-table", csv.to_str().unwrap(), "--mapping", mapping.to_str().unwrap(), "--db", &db]);
    assert!(said.contains("m.json") && said.contains("no indicator"), "{said}");
    assert_eq!(observations(&db), before);
}
