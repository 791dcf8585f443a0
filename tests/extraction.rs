//! The extractor as a user runs it, scored on the corpus, and fuzzed.

use std::path::Path;
use std::process::Command;

use proptest::prelude::*;
use zonescope::dataset::Dataset;
use zonescope::extract::{eval, rules, text};

fn zonescope(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_zonescope"))
        .args(args)
        .env("HOME", env!("CARGO_TARGET_TMPDIR"))
        .output()
        .expect("the binary runs")
}

const REPORT: &str = "constructed test text (not a news report)\n2024-09-25\n武汉经开区前8月工业平稳\n\n今年1至8月，武汉经开区规模以上工业总产值达2,486.3亿元，同比增长4.7%。\n";

#[test]
fn extract_reads_a_gbk_text_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wuhan.gbk.txt");
    let (gbk, _, _) = encoding_rs::GBK.encode(REPORT);
    std::fs::write(&path, &gbk).unwrap();
    let out = zonescope(&["extract", &path.display().to_string()]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("GB18030") && stderr.contains("2024-09-25"), "{stderr}");
    let facts: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(facts.len(), 2);
    assert_eq!(facts[0]["entity"], "武汉经济技术开发区");
    assert_eq!(facts[0]["indicator"], "工业总产值");
    assert_eq!(facts[0]["period"], "2024-01/2024-08");
    assert_eq!(facts[0]["value"], 2486.3);
    assert_eq!(facts[1]["measure"], "yoy_pct");
    // The quote span points at the quote in the decoded text.
    let span = &facts[0]["quote_span"];
    let (a, b) = (span[0].as_u64().unwrap() as usize, span[1].as_u64().unwrap() as usize);
    let quoted: String = REPORT.chars().skip(a).take(b - a).collect();
    assert_eq!(quoted.trim(), facts[0]["quote"].as_str().unwrap());
}

#[test]
fn without_a_date_relative_periods_stay_unresolved_and_the_user_is_told() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("undated.txt");
    std::fs::write(&path, "今年1至8月，武汉经开区规模以上工业总产值达2,486.3亿元。").unwrap();
    let out = zonescope(&["extract", &path.display().to_string()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("left unresolved"));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.lines().all(|l| l.contains("\"period\":null")), "{stdout}");
    let dated = zonescope(&["extract", "--date", "2024-09-25", &path.display().to_string()]);
    assert!(String::from_utf8(dated.stdout).unwrap().contains("2024-01/2024-08"));
    let bad = zonescope(&["extract", "--date", "2024/09/25", &path.display().to_string()]);
    assert!(!bad.status.success());
}

#[test]
fn eval_scores_a_corpus_and_ends_with_the_f1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("texts")).unwrap();
    std::fs::create_dir_all(dir.path().join("gold")).unwrap();
    std::fs::write(dir.path().join("texts/wuhan.txt"), REPORT).unwrap();
    let gold = [
        r#"{"doc": "wuhan.txt", "entity": "武汉经济技术开发区", "indicator": "工业总产值", "measure": "value", "period": "2024-01/2024-08", "value": 2486.3, "unit": "亿元"}"#,
        r#"{"doc": "wuhan.txt", "entity": "武汉经济技术开发区", "indicator": "工业总产值", "measure": "yoy_pct", "period": "2024-01/2024-08", "value": 4.7, "unit": "%"}"#,
    ];
    std::fs::write(dir.path().join("gold/wuhan.jsonl"), gold.join("\n")).unwrap();
    let out = zonescope(&["eval", &dir.path().display().to_string()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().last(), Some("F1 1.000"), "{stdout}");
}

/// The shared corpus is the specification: F1 ≥ 0.95 over all its texts and 1.00 on the real
/// 中新网 report. The first 21 texts (`cq_*`, `dev_01`…`dev_20`) and the 40 genres added after them
/// are printed apart, so that a rule fitted to one part shows. Skipped (and says so) where the
/// corpus is not beside the project.
#[test]
fn the_extractor_scores_at_least_the_target_f1_on_the_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !dir.join("texts").is_dir() {
        eprintln!("skipped: no corpus at {}", dir.display());
        return;
    }
    let gazetteer = rules::Gazetteer::from_dataset(&Dataset::bundled().unwrap());
    let docs = eval::run_corpus(&dir, &gazetteer).unwrap();
    let first_21 = |doc: &str| {
        doc.starts_with("cq_")
            || doc
                .strip_prefix("dev_")
                .and_then(|r| r.get(..2))
                .and_then(|n| n.parse::<u32>().ok())
                .is_some_and(|n| n <= 20)
    };
    let (mut all, mut first, mut later) = (eval::Score::default(), eval::Score::default(), eval::Score::default());
    for d in &docs {
        eprintln!("{:52} F1 {:.3}", d.doc, d.score.f1());
        if first_21(&d.doc) {
            first.add(d.score.clone())
        } else {
            later.add(d.score.clone())
        }
        all.add(d.score.clone());
    }
    eprintln!("first 21 texts: F1 {:.3}; the {} after them: F1 {:.3}", first.f1(), docs.len() - 21, later.f1());
    eprintln!("all {} texts: F1 {:.3} (P {:.3}, R {:.3})", docs.len(), all.f1(), all.precision(), all.recall());
    assert!(docs.len() >= 61, "the corpus has its 61 texts");
    assert!(all.f1() >= 0.95, "overall F1 is {:.3}, below 0.95", all.f1());
    let real = docs.iter().find(|d| d.doc.starts_with("cq_3etdz")).expect("the real report");
    assert!(real.score.f1() >= 1.0, "F1 on the real report is {:.3}, not 1.00", real.score.f1());
}

/// The probe texts (tests/probe_corpus): reports written apart from the extractor, kept as a
/// test of the forms of prose they showed it could not read.
#[test]
fn the_probe_texts_are_read_as_their_writers_read_them() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/probe_corpus");
    let gazetteer = rules::Gazetteer::from_dataset(&Dataset::bundled().unwrap());
    let docs = eval::run_corpus(&dir, &gazetteer).unwrap();
    assert_eq!(docs.len(), 44);
    let mut all = eval::Score::default();
    for d in &docs {
        eprintln!("{:52} F1 {:.3}", d.doc, d.score.f1());
        all.add(d.score.clone());
    }
    eprintln!("probe texts: F1 {:.3} (P {:.3}, R {:.3})", all.f1(), all.precision(), all.recall());
    assert!(all.f1() >= 0.90, "F1 on the probe texts is {:.3}, below 0.90", all.f1());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_decode_or_fail_cleanly_and_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let gazetteer = rules::Gazetteer::default();
        if let Ok(d) = text::decode(&bytes) {
            let _ = rules::extract(&d.text, None, &gazetteer);
        }
    }

    #[test]
    fn any_report_like_text_is_read_without_panic(s in "[0-9一二三十百千万亿元%年月日至~—\\-，。、；：今去前上下半季度第占比同增长下降约超近经开区全市分别合计共计重庆万州 .,]{0,200}") {
        let gazetteer = rules::Gazetteer::from_dataset(&Dataset::bundled().unwrap());
        let _ = rules::extract(&s, zonescope::model::Date::new(2024, 10, 29), &gazetteer);
    }
}

#[test]
fn import_stores_the_text_and_its_figures_once_waiting_for_review() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("z.sqlite").display().to_string();
    let path = dir.path().join("wuhan.txt");
    std::fs::write(&path, REPORT).unwrap();
    let file = path.display().to_string();
    // A text that names no publisher is refused, naming the file and the way out; nothing is kept.
    let refused = zonescope(&["import", &file, "--db", &db]);
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success() && err.contains("wuhan.txt") && err.contains("--publisher"), "{err}");
    let out = zonescope(&["import", &file, "--publisher", "武汉经开区统计局", "--db", &db]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 figures waiting for review"));
    // Candidates are not figures yet.
    let query = |extra: &[&str]| {
        let mut args = vec!["query", "--zone", "武汉经开区", "--format", "json", "--db", &db];
        args.extend_from_slice(extra);
        String::from_utf8(zonescope(&args).stdout).unwrap()
    };
    assert!(!query(&[]).contains("2486.3"));
    let candidates = query(&["--candidates"]);
    let row: serde_json::Value =
        serde_json::from_str(candidates.lines().find(|l| l.contains("2486.3")).expect("the candidate")).unwrap();
    assert_eq!(row["status"], "candidate");
    assert_eq!(row["period"], "2024-01/2024-08");
    assert_eq!(row["published"], "2024-09-25");
    assert_eq!(row["source"], "武汉经开区统计局");
    let span = &row["quote_span"];
    let quoted: String = REPORT
        .chars()
        .skip(span[0].as_u64().unwrap() as usize)
        .take((span[1].as_u64().unwrap() - span[0].as_u64().unwrap()) as usize)
        .collect();
    assert_eq!(quoted.trim(), row["quote"].as_str().unwrap());
    // The same text again adds nothing.
    let again = zonescope(&["import", &file, "--publisher", "武汉经开区统计局", "--db", &db]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("already imported"));
    assert_eq!(query(&["--candidates"]).lines().count(), candidates.lines().count());
    // Another text, accepted at once, joins the figures.
    let other = dir.path().join("other.txt");
    std::fs::write(&other, REPORT.replace("2,486.3", "2,500.0")).unwrap();
    assert!(
        zonescope(&[
            "import",
            &other.display().to_string(),
            "--publisher",
            "武汉经开区统计局",
            "--accept",
            "--db",
            &db
        ])
        .status
        .success()
    );
    assert!(query(&[]).contains("\"value\":2500.0"));
}

#[test]
fn import_reads_the_publisher_date_and_address_a_text_gives() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("z.sqlite").display().to_string();
    let path = dir.path().join("report.txt");
    let text = "https://tj.example.gov.cn/tjgb/2024/0315.html\n天津经开区2023年统计公报\n\
                来源：天津经开区统计局　发布日期：2024-03-15\n2023年,天津经开区实现地区生产总值2,345.6亿元。\n";
    std::fs::write(&path, text).unwrap();
    let out = zonescope(&["import", &path.display().to_string(), "--accept", "--db", &db]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sources = String::from_utf8(zonescope(&["sources", "--db", &db, "--format", "json"]).stdout).unwrap();
    let source: serde_json::Value =
        serde_json::from_str(sources.lines().find(|l| l.contains("imported")).expect("the imported source")).unwrap();
    assert_eq!(source["publisher"], "天津经开区统计局");
    assert_eq!(source["published"], "2024-03-15");
    assert_eq!(source["address"], "https://tj.example.gov.cn/tjgb/2024/0315.html");
    // Flags win over what the text says.
    let other = dir.path().join("other.txt");
    std::fs::write(&other, text.replace("2,345.6", "2,400.0")).unwrap();
    let out = zonescope(&[
        "import",
        &other.display().to_string(),
        "--publisher",
        "天津市统计局",
        "--published",
        "2024-03-20",
        "--address",
        "https://stats.tj.example/2",
        "--db",
        &db,
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sources = String::from_utf8(zonescope(&["sources", "--db", &db, "--format", "json"]).stdout).unwrap();
    assert!(
        sources.contains("天津市统计局") && sources.contains("2024-03-20") && sources.contains("stats.tj.example/2")
    );
}

#[test]
fn numbers_no_report_writes_give_no_figure_never_another_number() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("odd.txt");
    std::fs::write(
        &file,
        "2024年,重庆经开区实现外贸进出口1e400亿元,同比增长1e400%。\n\
         2024年,万州经开区实现外贸进出口0.00000000000000000000000000001亿元。\n\
         2024年,长寿经开区实现外贸进出口123456789012345678元。\n\
         2024年,长寿经开区实现地区生产总值123.4亿元。\n",
    )
    .unwrap();
    let out = zonescope(&["extract", &file.display().to_string(), "--date", "2025-01-10"]);
    assert!(out.status.success());
    let lines: Vec<String> = String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect();
    // Only the plain figure is read; none of the others becomes 400, 0, 1 or a rounded number.
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].contains("123.4"), "{}", lines[0]);
}
