//! Python manifests and lockfiles.

use super::{find, Dependency};
use crate::rules::{normalize_package, Ecosystem};

/// The distribution name at the start of a PEP 508 requirement, if any.
pub(crate) fn pep508_name(spec: &str) -> Option<&str> {
    let s = spec.trim_start();
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(s.len());
    let name = s[..end].trim_end_matches('.');
    (!name.is_empty() && name.starts_with(|c: char| c.is_ascii_alphanumeric())).then_some(name)
}

/// Requirements of a pip requirements file (options, URLs and includes skipped).
pub fn requirements(text: &str) -> Vec<Dependency> {
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
                locked: false,
            });
        }
    }
    out
}

/// Stand-in until the parser lands.
fn unsupported(_text: &str) -> Result<Vec<Dependency>, String> {
    // FIXME(#3): being written.
    Ok(Vec::new())
}

/// Dependencies of a `pyproject.toml`: PEP 621, dependency groups, Poetry, uv, PDM.
pub fn pyproject(text: &str) -> Result<Vec<Dependency>, String> {
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
                locked: false,
            });
        }
    }
    for key in keys {
        let offset = key_offset(text, &key).unwrap_or(0);
        out.push(Dependency {
            name: normalize_package(&key, Ecosystem::Pypi),
            offset,
            locked: false,
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

/// FIXME(#3): being written.
pub fn pipfile(text: &str) -> Result<Vec<Dependency>, String> {
    unsupported(text)
}

/// FIXME(#3): being written.
pub fn setup_cfg(text: &str) -> Result<Vec<Dependency>, String> {
    unsupported(text)
}

/// FIXME(#3): being written.
pub fn setup_py(text: &str) -> Result<Vec<Dependency>, String> {
    unsupported(text)
}

/// FIXME(#3): being written.
pub fn conda_env(text: &str) -> Result<Vec<Dependency>, String> {
    unsupported(text)
}

/// FIXME(#3): being written.
pub fn poetry_lock(text: &str) -> Result<Vec<Dependency>, String> {
    unsupported(text)
}

/// FIXME(#3): being written.
pub fn uv_lock(text: &str) -> Result<Vec<Dependency>, String> {
    unsupported(text)
}

/// FIXME(#3): being written.
pub fn pipfile_lock(text: &str) -> Result<Vec<Dependency>, String> {
    unsupported(text)
}

#[cfg(test)]
mod tests {
    use super::super::{dependencies, ManifestKind};

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
    fn malformed_pyproject_is_an_error_not_a_panic() {
        assert!(dependencies(ManifestKind::Pyproject, "[project\nx=").is_err());
    }
}
