//! The layering ARCHITECTURE.md describes, checked: each wing of `auth-runtime/src` imports
//! only the wings below it, so no import cycle can come back unnoticed.

use std::{collections::BTreeSet, fs, path::Path};

/// The wings, and what each may import (besides itself).
const ALLOWED: &[(&str, &[&str])] = &[
    ("error", &["token", "store"]),
    ("token", &["error", "config"]),
    ("store", &["token", "config"]),
    ("policy", &["token", "error"]),
    ("credential", &["token", "store", "error", "config"]),
    (
        "config",
        &["token", "store", "policy", "credential", "error"],
    ),
    (
        "manager",
        &["config", "store", "policy", "credential", "token", "error"],
    ),
    (
        "request",
        &[
            "manager",
            "policy",
            "config",
            "credential",
            "store",
            "token",
            "error",
        ],
    ),
    ("openapi", &["request", "policy", "token"]),
    (
        "testing",
        &[
            "request",
            "manager",
            "policy",
            "config",
            "credential",
            "store",
            "token",
            "error",
        ],
    ),
];

const WINGS: &[&str] = &[
    "error", "token", "store", "policy", "config", "manager", "request", "openapi", "testing",
];

/// The wing a source file belongs to: its folder, or its own name at the root.
fn wing_of(relative: &Path) -> String {
    let first = relative
        .components()
        .next()
        .expect("a path")
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    first.trim_end_matches(".rs").to_owned()
}

/// The wings that `source` names through `crate::<wing>` paths or `use crate::{...}`
/// groups, outside comments and `#[cfg(test)]` modules.
fn imported_wings(source: &str) -> BTreeSet<String> {
    let code = match source.find("#[cfg(test)]") {
        Some(at) => &source[..at],
        None => source,
    };
    let code: String = code
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        // `crate::{a::x, b::{y, z}}`: take the whole group.
        let names = if let Some(group) = after.strip_prefix('{') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(group.len(), |(i, _)| i);
            top_level_names(&group[..end])
        } else {
            vec![
                after
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            ]
        };
        found.extend(names.into_iter().filter(|n| WINGS.contains(&n.as_str())));
        rest = after;
    }
    found
}

/// The first path segment of each entry of a `{...}` group, at its top level.
fn top_level_names(group: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut depth = 0;
    let mut start = true;
    let mut current = String::new();
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                start = true;
                continue;
            }
            _ => {}
        }
        if depth == 0 && start {
            if c.is_alphanumeric() || c == '_' {
                current.push(c);
            } else if !current.is_empty() {
                names.push(std::mem::take(&mut current));
                start = false;
            }
        }
    }
    if !current.is_empty() {
        names.push(current);
    }
    names
}

fn sources(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).expect("under src");
            if relative == Path::new("lib.rs") {
                continue;
            }
            out.push((
                relative.display().to_string(),
                fs::read_to_string(&path).expect("read source"),
            ));
        }
    }
}

#[test]
fn each_wing_imports_only_the_wings_below_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../auth-runtime/src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files);
    assert!(files.len() > 10, "found the runtime's sources");
    let mut violations = Vec::new();
    for (file, text) in &files {
        let wing = wing_of(Path::new(file));
        let allowed = ALLOWED
            .iter()
            .find(|(w, _)| *w == wing)
            .unwrap_or_else(|| panic!("{file}: wing `{wing}` is not in ARCHITECTURE.md"))
            .1;
        for imported in imported_wings(text) {
            if imported != wing && !allowed.contains(&imported.as_str()) {
                violations.push(format!("{file} ({wing}) imports {imported}"));
            }
        }
    }
    assert!(violations.is_empty(), "layering broken: {violations:#?}");
}

#[test]
fn the_import_reader_sees_groups_and_paths() {
    let text = "use crate::{\n    error::AuthError,\n    token::{A, b::C},\n};\nfn f() { crate::manager::x(); }\n// crate::request::y\n#[cfg(test)]\nmod tests { use crate::policy::Z; }";
    let found: Vec<_> = imported_wings(text).into_iter().collect();
    assert_eq!(found, ["error", "manager", "token"]);
}
