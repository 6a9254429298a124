//! The README's "Use it in your application" works as written: its dependency block names
//! every crate its example uses, the path form points at the runtime's package, and no
//! link leads to documentation that is not published.

use std::{collections::BTreeSet, path::Path};

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
        .expect("README.md")
}

/// The first fenced block after `heading` whose info string starts with `lang`.
fn block_after(text: &str, heading: &str, lang: &str) -> String {
    let section = &text[text.find(heading).expect("section")..];
    let start = section.find(&format!("```{lang}")).expect("block");
    let body = &section[start..];
    let body = &body[body.find('\n').unwrap() + 1..];
    body[..body.find("```").unwrap()].to_owned()
}

/// Crate names a Rust snippet uses: `x` in `use x::...;` and the first segment of paths
/// `x::y` outside `use` lines (not `std`).
fn crates_used(code: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for line in code.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("use ") {
            used.insert(rest.split("::").next().unwrap().to_owned());
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            let at_start =
                i == 0 || !(chars[i - 1].is_alphanumeric() || matches!(chars[i - 1], '_' | ':'));
            if !at_start || !c.is_ascii_lowercase() {
                continue;
            }
            let word: String = chars[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .collect();
            let after: String = chars[i + word.len()..].iter().take(2).collect();
            if after == "::" {
                used.insert(word);
            }
        }
    }
    used.retain(|c| !matches!(c.as_str(), "std" | "core" | "crate" | "self" | "super"));
    used
}

/// Package names compared as Rust sees them (`tracing-subscriber` is `tracing_subscriber`).
fn normalised(name: &str) -> String {
    name.replace('-', "_")
}

#[test]
fn the_dependency_block_names_every_crate_the_application_uses() {
    let text = readme();
    let toml = block_after(&text, "## Use it in your application", "toml");
    let code = block_after(&text, "## Use it in your application", "rust");
    let declared: BTreeSet<String> = toml
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once('=').map(|(k, _)| normalised(k.trim())))
        .collect();
    let used = crates_used(&code);
    assert!(
        used.contains("tokio") && used.contains("auth_runtime"),
        "{used:?}"
    );
    for krate in &used {
        assert!(
            declared.contains(krate),
            "`{krate}` is used but not in the block: {declared:?}"
        );
    }
}

#[test]
fn the_path_dependency_points_at_the_runtime_package() {
    let toml = block_after(&readme(), "## Use it in your application", "toml");
    let line = toml
        .lines()
        .find(|l| l.starts_with("auth-runtime = { path"))
        .expect("a path dependency");
    let path = line.split('"').nth(1).unwrap();
    let package_dir = path.rsplit('/').next().unwrap();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(package_dir)
        .join("Cargo.toml");
    let manifest = std::fs::read_to_string(manifest).expect("the package the path names");
    assert!(manifest.contains("name = \"auth-runtime\""));
}

#[test]
fn no_link_leads_to_unpublished_documentation() {
    let text = readme();
    assert!(
        !text.contains("docs.rs/auth-runtime"),
        "use intra-doc links"
    );
    assert!(!text.contains("docs.rs/auth-macros"), "use intra-doc links");
}
