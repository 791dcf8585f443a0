//! The layout stays a layering: no top-level module of `src/` uses one that uses it back
//! (`crate::a` in a file under `a`, through any chain). Tests (`#[cfg(test)]` and after) do not
//! count: a test may reach across.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level modules (a file `src/x.rs` or a folder `src/x/`) and the others each uses.
fn module_uses(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src).expect("under src/");
            let first = relative.components().next().expect("a component").as_os_str().to_string_lossy();
            let top = first.trim_end_matches(".rs").to_string();
            if top == "main" || top == "lib" {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a source file");
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            let used = uses.entry(top.clone()).or_default();
            for (at, _) in code.match_indices("crate::") {
                let rest = &code[at + "crate::".len()..];
                if let Some(group) = rest.strip_prefix('{') {
                    // use crate::{a, b::c}
                    let group = &group[..group.find('}').unwrap_or(group.len())];
                    for item in group.split(',') {
                        let name: String =
                            item.trim().chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                        if !name.is_empty() {
                            used.insert(name);
                        }
                    }
                } else {
                    let name: String = rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                    if !name.is_empty() {
                        used.insert(name);
                    }
                }
            }
            used.remove(&top);
        }
    }
    let modules: BTreeSet<String> = uses.keys().cloned().collect();
    for used in uses.values_mut() {
        used.retain(|u| modules.contains(u));
    }
    uses
}

/// A path from `from` to `to` through the uses, if there is one.
fn path(uses: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> Option<Vec<String>> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![vec![from.to_string()]];
    while let Some(trail) = stack.pop() {
        let last = trail.last().expect("a trail is never empty").clone();
        if last == to && trail.len() > 1 {
            return Some(trail);
        }
        if !seen.insert(last.clone()) {
            continue;
        }
        for next in uses.get(&last).into_iter().flatten() {
            let mut longer = trail.clone();
            longer.push(next.clone());
            stack.push(longer);
        }
    }
    None
}

#[test]
fn no_top_level_module_uses_one_that_uses_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let uses = module_uses(&src);
    assert!(uses.len() >= 10, "the modules were found: {:?}", uses.keys());
    let cycles: Vec<String> = uses.keys().filter_map(|m| path(&uses, m, m)).map(|trail| trail.join(" → ")).collect();
    assert!(cycles.is_empty(), "import cycles between top-level modules:\n{}", cycles.join("\n"));
}

#[test]
fn a_cycle_is_found_when_there_is_one() {
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    uses.insert("chart".into(), ["store".to_string()].into());
    uses.insert("store".into(), ["view".to_string()].into());
    uses.insert("view".into(), ["chart".to_string()].into());
    uses.insert("model".into(), BTreeSet::new());
    assert_eq!(path(&uses, "chart", "chart").unwrap(), ["chart", "store", "view", "chart"]);
    assert_eq!(path(&uses, "model", "model"), None);
}
