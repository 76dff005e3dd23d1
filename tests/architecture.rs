//! The dependency rule, enforced (ArchUnit-style): reads every source file
//! under `src/`, collects the top-level modules each one names through
//! `crate::…` (in `use` lines and in paths), and fails with the offending
//! line when a module reaches one it must not. See README "Architecture".

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Modules that call use cases; none of them may import another.
const CALLERS: &[&str] = &["http", "commands", "jobs", "cli"];

/// `(module, modules it must never import, why)`.
const FORBIDDEN: &[(&str, &[&str], &str)] = &[
    (
        "actions",
        &[
            "state",
            "startup",
            "http",
            "commands",
            "jobs",
            "cli",
            "ingress",
            "scheduler",
            "delivery",
            "stream",
        ],
        "actions are called by the entry points, never the other way round",
    ),
    (
        "domain",
        &[
            "config",
            "store",
            "actions",
            "http",
            "commands",
            "jobs",
            "cli",
            "state",
            "startup",
            "ingress",
            "delivery",
            "stream",
            "scheduler",
            "reports",
            "evidence",
        ],
        "domain is pure: no configuration, no storage, no I/O",
    ),
    (
        "store",
        &[
            "actions",
            "http",
            "commands",
            "jobs",
            "cli",
            "state",
            "startup",
            "ingress",
            "stream",
            "scheduler",
        ],
        "the store is below the use cases",
    ),
    (
        "reports",
        &[
            "actions", "http", "commands", "jobs", "cli", "state", "startup",
        ],
        "reports read; they are used by callers and actions",
    ),
    (
        "delivery",
        &[
            "state", "startup", "actions", "http", "commands", "jobs", "cli",
        ],
        "delivery sends what was queued; it holds its own parts and runs no use case",
    ),
    (
        "state",
        &[
            "startup", "http", "commands", "jobs", "cli", "ingress", "stream",
        ],
        "AppState is a leaf: it holds parts, it does not call them",
    ),
];

/// Only the composition root's users may import it.
const STARTUP_USERS: &[&str] = &["main", "cli", "lib"];

/// Text that means SQL or a transaction; allowed only in store and actions.
const SQL_MARKERS: &[&str] = &["sqlx", "AnyConnection", "begin_write", ".pool()", "WriteTx"];
const SQL_HOMES: &[&str] = &["store", "actions"];

/// Crates that do I/O; domain must not name them.
const IO_CRATES: &[&str] = &[
    "sqlx::",
    "reqwest::",
    "tokio::",
    "axum::",
    "hyper::",
    "std::fs",
    "std::net",
];

struct Source {
    path: PathBuf,
    top: String,
    text: String,
}

fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(&root).unwrap();
            let first = rel.components().next().unwrap().as_os_str();
            let top = first.to_string_lossy().trim_end_matches(".rs").to_owned();
            let text = fs::read_to_string(&path).unwrap();
            Source { path, top, text }
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Code lines (comments and doc comments dropped), numbered from 1.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter_map(|(i, line)| {
        let code = line.split("//").next().unwrap_or("");
        (!code.trim().is_empty()).then_some((i + 1, code))
    })
}

/// The top-level modules a line names: `crate::x…` and the braces of
/// `use crate::{x, y::…}`.
fn named_modules(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            found.extend(group_heads(group));
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.push(name);
            }
        }
        rest = after;
    }
    found
}

/// The first segment of each top-level item of a `{…}` group (nested
/// groups belong to their item).
fn group_heads(group: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let (mut depth, mut item) = (0, String::new());
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                heads.push(std::mem::take(&mut item));
                continue;
            }
            _ => {}
        }
        item.push(c);
    }
    heads.push(item);
    heads
        .iter()
        .map(|i| i.trim().split("::").next().unwrap_or("").trim().to_owned())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .collect()
}

/// Every `crate::` import: (file, line number, line, top module named).
fn imports(sources: &[Source]) -> Vec<(&Source, usize, String, String)> {
    let mut out = Vec::new();
    for source in sources {
        for (n, line) in code_lines(&source.text) {
            for module in named_modules(line) {
                if module != source.top {
                    out.push((source, n, line.trim().to_owned(), module));
                }
            }
        }
    }
    out
}

fn at(source: &Source, n: usize, line: &str) -> String {
    let rel = source
        .path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap();
    format!("{}:{n}: {line}", rel.display())
}

#[test]
fn callers_never_import_each_other() {
    let sources = sources();
    let broken: Vec<String> = imports(&sources)
        .into_iter()
        .filter(|(s, _, _, m)| CALLERS.contains(&s.top.as_str()) && CALLERS.contains(&m.as_str()))
        .map(|(s, n, line, m)| format!("{} ({} -> {m})", at(s, n, &line), s.top))
        .collect();
    assert!(
        broken.is_empty(),
        "callers import each other:\n{}",
        broken.join("\n")
    );
}

#[test]
fn layers_import_only_downwards() {
    let sources = sources();
    let mut broken = Vec::new();
    for (source, n, line, module) in imports(&sources) {
        for (owner, banned, why) in FORBIDDEN {
            if source.top == *owner && banned.contains(&module.as_str()) {
                broken.push(format!(
                    "{} ({owner} -> {module}: {why})",
                    at(source, n, &line)
                ));
            }
        }
        if module == "startup" && !STARTUP_USERS.contains(&source.top.as_str()) {
            broken.push(format!(
                "{} (only main and cli use the composition root)",
                at(source, n, &line)
            ));
        }
    }
    assert!(
        broken.is_empty(),
        "the dependency rule is broken:\n{}",
        broken.join("\n")
    );
}

#[test]
fn sql_and_transactions_live_in_store_and_actions() {
    let mut broken = Vec::new();
    for source in sources() {
        if SQL_HOMES.contains(&source.top.as_str()) {
            continue;
        }
        for (n, line) in code_lines(&source.text) {
            if SQL_MARKERS.iter().any(|m| line.contains(m)) {
                broken.push(at(&source, n, line.trim()));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "SQL outside store and actions:\n{}",
        broken.join("\n")
    );
}

#[test]
fn domain_does_no_io() {
    let mut broken = Vec::new();
    for source in sources().iter().filter(|s| s.top == "domain") {
        for (n, line) in code_lines(&source.text) {
            if IO_CRATES.iter().any(|c| line.contains(c)) {
                broken.push(at(source, n, line.trim()));
            }
        }
    }
    assert!(broken.is_empty(), "domain does I/O:\n{}", broken.join("\n"));
}

#[test]
fn no_import_cycle_between_top_level_modules() {
    let sources = sources();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (source, _, _, module) in imports(&sources) {
        if ["lib", "main"].contains(&source.top.as_str()) {
            continue;
        }
        graph.entry(source.top.clone()).or_default().insert(module);
    }
    let cycles = find_cycles(&graph);
    assert!(
        cycles.is_empty(),
        "import cycles between top-level modules:\n{}",
        cycles.join("\n")
    );
}

/// Each cycle once, as `a -> b -> a`, found by a depth-first search.
fn find_cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        found: &mut BTreeSet<String>,
    ) {
        if let Some(start) = path.iter().position(|p| p == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_owned());
            found.insert(cycle.join(" -> "));
            return;
        }
        if done.contains(node) {
            return;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, path, done, found);
        }
        path.pop();
        done.insert(node.to_owned());
    }
    let mut found = BTreeSet::new();
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, graph, &mut Vec::new(), &mut done, &mut found);
    }
    found.into_iter().collect()
}

#[test]
fn the_rule_reader_sees_grouped_and_nested_paths() {
    assert_eq!(
        named_modules("use crate::{actions::Ctx, store::Store};"),
        vec!["actions", "store"]
    );
    assert_eq!(
        named_modules("let x = crate::domain::inert::inert(t);"),
        vec!["domain"]
    );
    assert_eq!(
        named_modules("use crate::{a::{b, c}, d::E};"),
        vec!["a", "d"]
    );
    assert!(named_modules("use super::Thing;").is_empty());
}
