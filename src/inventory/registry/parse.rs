//! The registry file's formats, told apart by extension and content:
//!
//! - YAML or JSON with a top-level `agents:` list of `{name, owner, repo, path}` (or
//!   that list alone);
//! - CSV with a header naming the columns `name`, `owner`, `repo`, `path` (any order,
//!   more columns ignored);
//! - a Backstage catalog export: a YAML stream of entities, a JSON list of them, or
//!   either under `items:` (what the catalog API returns). A `Component` is an agent
//!   when its `spec.type` is `ai-agent` or `agent`, or a `metadata.tags` entry is
//!   `ai-agent`; its repository comes from the `github.com/project-slug` annotation,
//!   else `backstage.io/source-location`; its path from the source location's tree
//!   path, else the folder of `backstage.io/managed-by-location`, else `.`.
//!
//! Every fault is a [`RegistryError`] naming the file and the entry (its index, or its
//! line in a CSV); nothing here panics on any input, and no message quotes more of the
//! file than a field's name.

use serde_json::Value;

use super::RegistryEntry;

/// Why a registry file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// Not valid YAML, JSON or CSV.
    #[error("registry {file}: not valid {format}: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// What it was read as.
        format: &'static str,
        /// The parser's message (no source text).
        message: String,
    },
    /// Valid, but neither a list of agents nor a catalog.
    #[error("registry {file}: {message}")]
    Shape {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// One entry lacks a field or has the wrong type.
    #[error("registry {file}: {at}: {message}")]
    Entry {
        /// The file.
        file: String,
        /// Which entry: `agents[3]`, `line 4`, `entity 2 (support-bot)`.
        at: String,
        /// What is wrong.
        message: String,
    },
}

/// The entries of `text` (the file `file`) and the name of its format.
pub(super) fn entries(
    file: &str,
    text: &str,
) -> Result<(&'static str, Vec<RegistryEntry>), RegistryError> {
    let lower = file.to_ascii_lowercase();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if lower.ends_with(".csv") {
        return csv(file, text).map(|e| ("csv", e));
    }
    let (format, docs): (&'static str, Vec<Value>) = if lower.ends_with(".json") {
        let v: Value = serde_json::from_str(text).map_err(|e| RegistryError::Syntax {
            file: file.to_string(),
            format: "JSON",
            message: e.to_string(),
        })?;
        ("json", vec![v])
    } else {
        ("yaml", yaml(file, text)?)
    };
    let docs: Vec<Value> = docs.into_iter().filter(|d| !d.is_null()).collect();
    match docs.as_slice() {
        [Value::Object(top)] if top.contains_key("agents") => {
            return sanctioned(file, &top["agents"]).map(|e| (format, e));
        }
        // The list itself, without the `agents:` key: entries, unless they are entities.
        [list @ Value::Array(items)]
            if !items.is_empty() && items.iter().all(|i| i.get("apiVersion").is_none()) =>
        {
            return sanctioned(file, list).map(|e| (format, e));
        }
        _ => {}
    }
    // A catalog: entities one per document, in a list, or under `items`.
    let mut entities = Vec::new();
    for d in docs {
        match d {
            Value::Array(list) => entities.extend(list),
            Value::Object(mut o) if o.contains_key("items") && !o.contains_key("kind") => {
                match o.remove("items") {
                    Some(Value::Array(list)) => entities.extend(list),
                    _ => return Err(shape(file, "`items` is not a list of catalog entities")),
                }
            }
            other => entities.push(other),
        }
    }
    if entities.is_empty()
        || !entities
            .iter()
            .all(|e| e.get("kind").is_some() && e.get("apiVersion").is_some())
    {
        return Err(shape(
            file,
            "neither an `agents:` list of {name, owner, repo, path} nor a Backstage catalog \
             export (entities with apiVersion and kind)",
        ));
    }
    catalog(file, &entities).map(|e| ("backstage", e))
}

fn shape(file: &str, message: &str) -> RegistryError {
    RegistryError::Shape {
        file: file.to_string(),
        message: message.to_string(),
    }
}

/// Every YAML document of `text`, as JSON values; the same strict scalars as rule packs
/// (only `true`/`false` are booleans), bounded by serde-saphyr's default budget.
fn yaml(file: &str, text: &str) -> Result<Vec<Value>, RegistryError> {
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    options.leading_zero_numbers_as_strings = true;
    options.underscored_numbers_as_strings = true;
    options.with_snippet = false;
    serde_saphyr::from_multiple_with_options(text, options).map_err(|e| RegistryError::Syntax {
        file: file.to_string(),
        format: "YAML",
        message: e.to_string(),
    })
}

/// A field of an entry as text: a string, or a number written without quotes.
fn text_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
    .filter(|s| !s.is_empty())
}

/// The `agents:` list.
fn sanctioned(file: &str, agents: &Value) -> Result<Vec<RegistryEntry>, RegistryError> {
    let Value::Array(list) = agents else {
        return Err(shape(file, "`agents` is not a list"));
    };
    let mut out = Vec::new();
    for (i, a) in list.iter().enumerate() {
        let at = format!("agents[{i}]");
        let bad = |message: String| RegistryError::Entry {
            file: file.to_string(),
            at: at.clone(),
            message,
        };
        if !a.is_object() {
            return Err(bad("not a mapping of name, owner, repo, path".into()));
        }
        let field = |k: &str| -> Result<String, RegistryError> {
            text_of(a.get(k)).ok_or_else(|| bad(format!("no `{k}` (a non-empty string)")))
        };
        out.push(RegistryEntry {
            entry: i + 1,
            name: field("name")?,
            owner: text_of(a.get("owner")),
            repo: field("repo")?,
            path: field("path")?,
            found_as: None,
        });
    }
    Ok(out)
}

/// Records of a CSV text (RFC 4180: quoted fields, `""` inside quotes, CRLF or LF), each
/// with the line it starts on.
fn records(file: &str, text: &str) -> Result<Vec<(usize, Vec<String>)>, RegistryError> {
    let mut out = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let (mut line, mut start) = (1usize, 1usize);
    let (mut quoted, mut was_quoted) = (false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            ',' => {
                record.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                was_quoted = false;
                if record.iter().any(|f| !f.trim().is_empty()) {
                    out.push((start, std::mem::take(&mut record)));
                }
                record.clear();
                line += 1;
                start = line;
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(RegistryError::Syntax {
            file: file.to_string(),
            format: "CSV",
            message: format!("a quoted field opened on line {start} is never closed"),
        });
    }
    record.push(field);
    if record.iter().any(|f| !f.trim().is_empty()) {
        out.push((start, record));
    }
    Ok(out)
}

/// A CSV with a `name,owner,repo,path` header.
fn csv(file: &str, text: &str) -> Result<Vec<RegistryEntry>, RegistryError> {
    let mut rows = records(file, text)?.into_iter();
    let Some((_, header)) = rows.next() else {
        return Err(shape(
            file,
            "empty: expected a header `name,owner,repo,path`",
        ));
    };
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(name), Some(repo), Some(path)) = (col("name"), col("repo"), col("path")) else {
        return Err(shape(
            file,
            "the header must name the columns name, owner, repo and path",
        ));
    };
    let owner = col("owner");
    let mut out = Vec::new();
    for (i, (line, row)) in rows.enumerate() {
        let get = |c: usize| {
            row.get(c)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let need = |c: usize, what: &str| {
            get(c).ok_or_else(|| RegistryError::Entry {
                file: file.to_string(),
                at: format!("line {line}"),
                message: format!("no `{what}`"),
            })
        };
        out.push(RegistryEntry {
            entry: i + 1,
            name: need(name, "name")?,
            owner: owner.and_then(get),
            repo: need(repo, "repo")?,
            path: need(path, "path")?,
            found_as: None,
        });
    }
    Ok(out)
}

/// Whether a catalog entity is an AI agent by the documented convention.
fn is_agent(e: &Value) -> bool {
    let kind = e.get("kind").and_then(Value::as_str).unwrap_or("");
    if !kind.eq_ignore_ascii_case("component") {
        return false;
    }
    let by_type = e
        .pointer("/spec/type")
        .and_then(Value::as_str)
        .is_some_and(|t| matches!(t.trim().to_ascii_lowercase().as_str(), "ai-agent" | "agent"));
    let by_tag = e
        .pointer("/metadata/tags")
        .and_then(Value::as_array)
        .is_some_and(|tags| {
            tags.iter().any(|t| {
                t.as_str()
                    .is_some_and(|t| t.eq_ignore_ascii_case("ai-agent"))
            })
        });
    by_type || by_tag
}

/// A Backstage location (`url:https://github.com/acme/bots/tree/main/services/bot/`)
/// split into the repository URL and the path inside it (`.` when it names the root).
/// `file`: the location names a file (`…/blob/main/x/catalog-info.yaml`), so the path is
/// its folder.
fn split_location(location: &str, file: bool) -> (String, String) {
    let l = location.trim();
    let l = l.strip_prefix("url:").unwrap_or(l);
    for marker in ["/-/tree/", "/-/blob/", "/tree/", "/blob/", "/src/"] {
        if let Some((repo, rest)) = l.split_once(marker) {
            // The first segment is the branch or commit.
            let inside = rest.split_once('/').map_or("", |(_, p)| p);
            let inside = inside.split(['?', '#']).next().unwrap_or("");
            let inside = if file {
                inside.rsplit_once('/').map_or("", |(d, _)| d)
            } else {
                inside
            };
            return (repo.to_string(), super::unit_path(inside));
        }
    }
    (l.trim_end_matches('/').to_string(), ".".to_string())
}

/// The agents of a catalog export.
fn catalog(file: &str, entities: &[Value]) -> Result<Vec<RegistryEntry>, RegistryError> {
    let mut out = Vec::new();
    for (i, e) in entities.iter().enumerate().filter(|(_, e)| is_agent(e)) {
        let name = text_of(e.pointer("/metadata/name"));
        let at = format!(
            "entity {} ({})",
            i + 1,
            name.as_deref().unwrap_or("no name")
        );
        let bad = |message: &str| RegistryError::Entry {
            file: file.to_string(),
            at: at.clone(),
            message: message.to_string(),
        };
        let name = name.ok_or_else(|| bad("no metadata.name"))?;
        let annotation = |k: &str| {
            e.get("metadata")
                .and_then(|m| m.get("annotations"))
                .and_then(|a| a.get(k))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let source = annotation("backstage.io/source-location").map(|l| split_location(&l, false));
        let managed =
            annotation("backstage.io/managed-by-location").map(|l| split_location(&l, true));
        let repo = annotation("github.com/project-slug")
            .or_else(|| source.as_ref().map(|(r, _)| r.clone()))
            .ok_or_else(|| {
                bad("marked as an AI agent, but no github.com/project-slug or \
                     backstage.io/source-location annotation names its repository")
            })?;
        let path = source
            .filter(|(_, p)| p != ".")
            .or(managed)
            .map_or_else(|| ".".to_string(), |(_, p)| p);
        out.push(RegistryEntry {
            entry: out.len() + 1,
            name,
            owner: text_of(e.pointer("/spec/owner")),
            repo,
            path,
            found_as: None,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_gives_the_same_entries() {
        let yaml =
            "agents:\n  - {name: bot, owner: \"@acme/a\", repo: acme/bots, path: ./svc/bot}\n";
        let json = r#"{"agents": [{"name": "bot", "owner": "@acme/a", "repo": "acme/bots", "path": "./svc/bot"}]}"#;
        let csv = "Name,Owner,Repo,Path\r\nbot,\"@acme/a\",acme/bots,./svc/bot\r\n";
        let (_, a) = entries("r.yaml", yaml).unwrap();
        let bare = "- {name: bot, owner: \"@acme/a\", repo: acme/bots, path: ./svc/bot}\n";
        assert_eq!(entries("r.yml", bare).unwrap().1, a);
        let (_, b) = entries("r.json", json).unwrap();
        let (_, c) = entries("r.csv", csv).unwrap();
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(a[0].owner.as_deref(), Some("@acme/a"));
    }

    #[test]
    fn a_catalog_export_lists_its_agent_components() {
        let text = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: support-bot
  annotations:
    backstage.io/source-location: url:https://github.com/acme/bots/tree/main/services/support/
spec: {type: ai-agent, owner: team-support}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: web, annotations: {github.com/project-slug: acme/web}}
spec: {type: website, owner: team-web}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: triage
  tags: [python, ai-agent]
  annotations:
    github.com/project-slug: acme/triage
    backstage.io/managed-by-location: url:https://github.com/acme/triage/blob/main/catalog-info.yaml
spec: {type: service, owner: team-ops}
";
        let (format, e) = entries("catalog.yaml", text).unwrap();
        assert_eq!(format, "backstage");
        assert_eq!(e.len(), 2);
        assert_eq!(
            (e[0].repo.as_str(), e[0].path.as_str()),
            ("https://github.com/acme/bots", "services/support")
        );
        assert_eq!(
            (e[1].repo.as_str(), e[1].path.as_str()),
            ("acme/triage", ".")
        );
        assert_eq!(e[1].owner.as_deref(), Some("team-ops"));
    }

    /// Every prefix of valid files, and bytes from a fixed generator, under every format:
    /// an error or entries, never a panic.
    #[test]
    fn truncated_and_random_text_never_panics() {
        let valid = [
            "agents:\n  - {name: a, owner: b, repo: \"x/y\", path: ./s}\n",
            "{\"agents\": [{\"name\": \"a\", \"repo\": \"x\", \"path\": \".\"}]}",
            "name,owner,repo,path\n\"a,\"\"b\",c,x/y,.\r\n",
            "apiVersion: v1\nkind: Component\nmetadata: {name: a, tags: [ai-agent], \
             annotations: {backstage.io/source-location: 'url:https://h/o/r/tree/m/p/'}}\n",
        ];
        let names = ["r.yaml", "r.json", "r.csv", "c.yml"];
        for text in valid {
            for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                for name in names {
                    let _ = entries(name, &text[..end]);
                }
            }
        }
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..300 {
            let bytes: Vec<u8> = (0..64)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    let alphabet = b"agents:-[]{},\"'\n\r #name:repo/path.url:tree";
                    alphabet[(x % alphabet.len() as u64) as usize]
                })
                .collect();
            let text = String::from_utf8_lossy(&bytes);
            for name in names {
                let _ = entries(name, &text);
            }
        }
        assert_eq!(split_location("url:https://h/o/r/tree", false).1, ".");
    }

    #[test]
    fn bad_files_are_named_faults() {
        let err = |name: &str, text: &str| entries(name, text).unwrap_err().to_string();
        assert!(
            err("r.yaml", "agents:\n  - {name: a, repo: x/y}\n").contains("agents[0]: no `path`")
        );
        assert!(err("r.csv", "name,owner,repo,path\na,b,,p\n").contains("line 2: no `repo`"));
        assert!(err("r.csv", "name,team\na,b\n").contains("header"));
        assert!(err("r.csv", "name,owner,repo,path\n\"a,b").contains("never closed"));
        assert!(err("r.json", "{").contains("not valid JSON"));
        assert!(err("r.yaml", "a: [").contains("not valid YAML"));
        assert!(err("r.yaml", "just: text\n").contains("neither"));
        assert!(err("r.yaml", "agents: 3\n").contains("not a list"));
        let catalog = "apiVersion: v1\nkind: Component\nmetadata: {name: x}\nspec: {type: agent}\n";
        assert!(err("c.yaml", catalog).contains("entity 1 (x)"));
    }
}
