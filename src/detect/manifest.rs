//! The manifest detector: dependencies declared in `requirements*.txt`,
//! `pyproject.toml` and `package.json`, parsed with real parsers (`toml`,
//! `serde_json`), matched against the package patterns of the selected rules.
//!
//! A declared dependency is weaker evidence than an import: it may be unused. A
//! manifest its parser rejects is a counted skip with the parser's message, never a
//! panic, and never its contents.

use serde_json::Value as Json;

use crate::rules::{normalize_package, Ecosystem};

/// The manifest formats we read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManifestKind {
    /// `requirements*.txt`, `requirements/*.txt`.
    Requirements,
    /// `pyproject.toml`.
    Pyproject,
    /// `package.json`.
    PackageJson,
}

impl ManifestKind {
    /// The manifest kind of `path` (repo-relative, `/`-separated), by name.
    pub fn from_path(path: &str) -> Option<ManifestKind> {
        let (dir, name) = match path.rsplit_once('/') {
            Some((d, n)) => (d, n),
            None => ("", path),
        };
        match name {
            "pyproject.toml" => Some(ManifestKind::Pyproject),
            "package.json" => Some(ManifestKind::PackageJson),
            _ if name.ends_with(".txt")
                && (name.starts_with("requirements")
                    || name.ends_with("-requirements.txt")
                    || name.ends_with("_requirements.txt")
                    || dir == "requirements"
                    || dir.ends_with("/requirements")) =>
            {
                Some(ManifestKind::Requirements)
            }
            _ => None,
        }
    }

    /// The ecosystem its package names belong to.
    pub fn ecosystem(self) -> Ecosystem {
        match self {
            ManifestKind::Requirements | ManifestKind::Pyproject => Ecosystem::Pypi,
            ManifestKind::PackageJson => Ecosystem::Npm,
        }
    }
}

/// One declared dependency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    /// Name normalised for its ecosystem.
    pub name: String,
    /// Byte offset of the declaration in the file (best effort: its first occurrence).
    pub offset: usize,
}

/// Every dependency declared in `text`, or the parser's message.
pub fn dependencies(kind: ManifestKind, text: &str) -> Result<Vec<Dependency>, String> {
    match kind {
        ManifestKind::Requirements => Ok(requirements(text)),
        ManifestKind::Pyproject => pyproject(text),
        ManifestKind::PackageJson => package_json(text),
    }
}

/// The distribution name at the start of a PEP 508 requirement, if any.
fn pep508_name(spec: &str) -> Option<&str> {
    let s = spec.trim_start();
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(s.len());
    let name = s[..end].trim_end_matches('.');
    (!name.is_empty() && name.starts_with(|c: char| c.is_ascii_alphanumeric())).then_some(name)
}

fn requirements(text: &str) -> Vec<Dependency> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.split(" #").next().unwrap_or("").trim_end();
        let trimmed = content.trim_start();
        // Options (`-r other.txt`, `--index-url`), comments, and URLs / paths carry no
        // registry name we can trust.
        if trimmed.is_empty()
            || trimmed.starts_with('#')
            || trimmed.starts_with('-')
            || trimmed.contains("://") && !trimmed.contains(" @ ")
        {
            continue;
        }
        if let Some(name) = pep508_name(trimmed) {
            out.push(Dependency {
                name: normalize_package(name, Ecosystem::Pypi),
                offset: start + (content.len() - trimmed.len()),
            });
        }
    }
    out
}

/// Byte offset of the first occurrence of `needle` in `text` at or after `from`.
fn find(text: &str, needle: &str, from: usize) -> Option<usize> {
    text.get(from..)?.find(needle).map(|i| from + i)
}

fn pyproject(text: &str) -> Result<Vec<Dependency>, String> {
    let doc: toml::Table = toml::from_str(text).map_err(|e| e.message().to_string())?;
    let mut specs: Vec<String> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    let strings = |v: Option<&toml::Value>, out: &mut Vec<String>| {
        if let Some(arr) = v.and_then(|v| v.as_array()) {
            out.extend(arr.iter().filter_map(|s| s.as_str().map(str::to_string)));
        }
    };
    let tables = |v: Option<&toml::Value>, out: &mut Vec<String>| {
        if let Some(t) = v.and_then(|v| v.as_table()) {
            for arr in t.values() {
                if let Some(arr) = arr.as_array() {
                    out.extend(arr.iter().filter_map(|s| s.as_str().map(str::to_string)));
                }
            }
        }
    };
    let project = doc.get("project");
    strings(project.and_then(|p| p.get("dependencies")), &mut specs);
    tables(
        project.and_then(|p| p.get("optional-dependencies")),
        &mut specs,
    );
    tables(doc.get("dependency-groups"), &mut specs);
    let tool = doc.get("tool");
    strings(
        tool.and_then(|t| t.get("uv"))
            .and_then(|u| u.get("dev-dependencies")),
        &mut specs,
    );
    tables(
        tool.and_then(|t| t.get("pdm"))
            .and_then(|p| p.get("dev-dependencies")),
        &mut specs,
    );
    if let Some(poetry) = tool.and_then(|t| t.get("poetry")) {
        let mut poetry_tables: Vec<&toml::Value> = Vec::new();
        poetry_tables.extend(poetry.get("dependencies"));
        poetry_tables.extend(poetry.get("dev-dependencies"));
        if let Some(groups) = poetry.get("group").and_then(|g| g.as_table()) {
            for g in groups.values() {
                poetry_tables.extend(g.get("dependencies"));
            }
        }
        for t in poetry_tables.into_iter().filter_map(|t| t.as_table()) {
            keys.extend(t.keys().filter(|k| *k != "python").cloned());
        }
    }
    let mut out = Vec::new();
    for spec in specs {
        if let Some(name) = pep508_name(&spec) {
            let offset = find(text, &spec, 0).unwrap_or(0);
            out.push(Dependency {
                name: normalize_package(name, Ecosystem::Pypi),
                offset,
            });
        }
    }
    for key in keys {
        let offset = key_offset(text, &key).unwrap_or(0);
        out.push(Dependency {
            name: normalize_package(&key, Ecosystem::Pypi),
            offset,
        });
    }
    Ok(out)
}

/// Offset of a TOML key `key = …` (bare or quoted) at the start of a line.
fn key_offset(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let lead = line.len() - t.len();
        let rest = t
            .strip_prefix(key)
            .or_else(|| t.strip_prefix(&format!("\"{key}\"")))
            .or_else(|| t.strip_prefix(&format!("'{key}'")));
        if let Some(rest) = rest {
            if rest.trim_start().starts_with('=') {
                return Some(offset + lead);
            }
        }
        offset += line.len();
    }
    None
}

fn package_json(text: &str) -> Result<Vec<Dependency>, String> {
    let doc: Json = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for section in [
        "dependencies",
        "devDependencies",
        "peerDependencies",
        "optionalDependencies",
    ] {
        let Some(deps) = doc.get(section).and_then(|d| d.as_object()) else {
            continue;
        };
        let section_at = find(text, &format!("\"{section}\""), 0).unwrap_or(0);
        for name in deps.keys() {
            let quoted = serde_json::to_string(name).unwrap_or_default();
            let offset = find(text, &quoted, section_at).unwrap_or(section_at);
            out.push(Dependency {
                name: normalize_package(name, Ecosystem::Npm),
                offset,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(kind: ManifestKind, text: &str) -> Vec<String> {
        dependencies(kind, text)
            .unwrap()
            .into_iter()
            .map(|d| d.name)
            .collect()
    }

    #[test]
    fn requirements_lines() {
        let text = "# openai\n-r base.txt\nOpenAI[datalib]>=1.0 ; python_version>'3.8'\n  langchain_core==0.2 # pinned\n--index-url https://x\nrequests\ngit+https://github.com/x/y#egg=z\n";
        assert_eq!(
            names(ManifestKind::Requirements, text),
            vec!["openai", "langchain-core", "requests"]
        );
        let deps = dependencies(ManifestKind::Requirements, text).unwrap();
        assert_eq!(&text[deps[1].offset..deps[1].offset + 9], "langchain");
    }

    #[test]
    fn pyproject_pep621_groups_and_poetry() {
        let text = r#"
[project]
name = "x"
dependencies = ["anthropic>=0.30", "httpx"]
[project.optional-dependencies]
rag = ["llama-index-core"]
[dependency-groups]
dev = ["pytest", {include-group = "rag"}]
[tool.poetry.dependencies]
python = "^3.11"
crewai = "^0.80"
[tool.poetry.group.dev.dependencies]
"litellm" = "*"
"#;
        assert_eq!(
            names(ManifestKind::Pyproject, text),
            vec![
                "anthropic",
                "httpx",
                "llama-index-core",
                "pytest",
                "crewai",
                "litellm"
            ]
        );
        let deps = dependencies(ManifestKind::Pyproject, text).unwrap();
        assert!(text[deps[4].offset..].starts_with("crewai ="));
    }

    #[test]
    fn package_json_sections() {
        let text = r#"{"name":"x","dependencies":{"ai":"^4","react":"18"},"devDependencies":{"@langchain/core":"1"}}"#;
        assert_eq!(
            names(ManifestKind::PackageJson, text),
            vec!["ai", "react", "@langchain/core"]
        );
    }

    #[test]
    fn malformed_manifests_are_errors_not_panics() {
        assert!(dependencies(ManifestKind::PackageJson, "{\"dependencies\": {").is_err());
        assert!(dependencies(ManifestKind::Pyproject, "[project\nx=").is_err());
    }

    #[test]
    fn manifest_kinds_by_name() {
        assert_eq!(
            ManifestKind::from_path("a/requirements-dev.txt"),
            Some(ManifestKind::Requirements)
        );
        assert_eq!(
            ManifestKind::from_path("requirements/base.txt"),
            Some(ManifestKind::Requirements)
        );
        assert_eq!(ManifestKind::from_path("notes.txt"), None);
        assert_eq!(
            ManifestKind::from_path("web/package.json"),
            Some(ManifestKind::PackageJson)
        );
    }
}
