//! Python manifests and lockfiles: requirements files, `pyproject.toml`, `Pipfile`,
//! `setup.cfg`, `setup.py`, conda `environment.yml`, `poetry.lock`, `uv.lock` and
//! `Pipfile.lock`.
//!
//! Each format is read with a real parser: `toml` (offsets from its spans),
//! `serde_json`, `serde-saphyr`, tree-sitter for `setup.py` (literals only: the file is
//! never run), and a small INI reader for `setup.cfg`. Requirement strings are read as
//! PEP 508 up to the name. A lockfile names each package once, at its first entry.

use std::time::Duration;

use serde::de::IgnoredAny;
use serde::Deserialize;
use toml::Spanned;
use tree_sitter::Node;

use super::lock::{json_object_key, yaml_top_key, InOrder, Locked, Seeker, TopMap};
use super::{find, Dependency};
use crate::detect::code::lang::{self, Lang, ParseFail};
use crate::model::Ecosystem;
use crate::rules::normalize_package;
use crate::source::limits::{DEFAULT_MAX_PARSE_SIZE, DEFAULT_PARSE_TIMEOUT_MS};

/// The distribution name at the start of a PEP 508 requirement, if any.
pub(crate) fn pep508_name(spec: &str) -> Option<&str> {
    let s = spec.trim_start();
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(s.len());
    let name = s[..end].trim_end_matches('.');
    (!name.is_empty() && name.starts_with(|c: char| c.is_ascii_alphanumeric())).then_some(name)
}

/// A declared (not locked) dependency.
fn declared(name: &str, offset: usize) -> Dependency {
    Dependency {
        name: normalize_package(name, Ecosystem::Pypi),
        offset,
        locked: false,
    }
}

/// The name of a PEP 508 requirement, if what follows it can continue one: extras,
/// a version, a marker or a URL (`file: reqs.txt` in `setup.cfg` names nothing).
pub(crate) fn requirement_name(spec: &str) -> Option<&str> {
    let name = pep508_name(spec)?;
    let lead = spec.len() - spec.trim_start().len();
    let next = spec[lead + name.len()..].chars().next();
    match next {
        None => Some(name),
        Some(c) if c.is_whitespace() || "[(<>=!~;@,".contains(c) => Some(name),
        Some(_) => None,
    }
}

/// The `#egg=name` fragment of a URL requirement, and its offset in `line`.
fn egg(line: &str) -> Option<(&str, usize)> {
    let at = line.find("#egg=").or_else(|| line.find("&egg="))? + "#egg=".len();
    let value = line[at..].split(['&', ' ', '\t']).next().unwrap_or("");
    Some((requirement_name(value)?, at))
}

/// The project named by one requirement line (trimmed, comment stripped) and its
/// offset in the line: a PEP 508 requirement (`name[extras] specs ; marker`,
/// `name @ url`), an editable or plain VCS URL with `#egg=name`, or a wheel file.
/// Other options (`-r`, `-c`, `--index-url`), paths and nameless URLs name nothing.
/// `line` must not start with whitespace.
pub(crate) fn requirement_line(line: &str) -> Option<(&str, usize)> {
    if line.starts_with("-e") || line.starts_with("--editable") {
        return egg(line);
    }
    if line.starts_with('-') {
        return None;
    }
    // `name @ url` / `name[extra]@url` (PEP 508 direct reference).
    if let Some(name) = pep508_name(line) {
        let rest = line[name.len()..].trim_start();
        let rest = match rest.strip_prefix('[') {
            Some(r) => r.split_once(']').map_or("", |(_, r)| r).trim_start(),
            None => rest,
        };
        if rest.starts_with('@') {
            return Some((name, 0));
        }
    }
    let first = line.split([' ', '\t', ';']).next().unwrap_or("");
    if first.contains("://") || first.contains(['/', '\\']) || first.ends_with(".whl") {
        if let Some(found) = egg(first) {
            return Some(found);
        }
        // A wheel's file name starts with its project name: `openai-1.0-py3-none-any.whl`.
        if !first.contains("://") && first.ends_with(".whl") {
            let file_at = first.rfind(['/', '\\']).map_or(0, |i| i + 1);
            let stem = first[file_at..].split('-').next().unwrap_or("");
            return requirement_name(stem).map(|n| (n, file_at));
        }
        return None;
    }
    requirement_name(line).map(|n| (n, 0))
}

/// `line` without a pip comment: from a `#` at its start or after whitespace.
fn strip_comment(line: &str) -> &str {
    let mut prev_space = true;
    for (i, c) in line.char_indices() {
        if c == '#' && prev_space {
            return &line[..i];
        }
        prev_space = c.is_whitespace();
    }
    line
}

/// Requirements of a pip requirements file. Lines ending in `\` continue on the next
/// line, as pip joins them. `-r` / `-c` includes are skipped: a per-blob detector
/// cannot read another file, and an included file whose name is a requirements file
/// is scanned on its own.
pub fn requirements(text: &str) -> Vec<Dependency> {
    let mut out = Vec::new();
    // One logical line, and where each of its pieces starts (in it, in the file).
    let mut joined = String::new();
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let mut start = offset;
        offset += line.len();
        let mut body = line.trim_end_matches(['\n', '\r']);
        if start == 0 {
            if let Some(b) = body.strip_prefix('\u{feff}') {
                body = b;
                start += '\u{feff}'.len_utf8();
            }
        }
        // As in pip, a comment line is never continued, and it ends a continuation.
        if !body.trim_start().starts_with('#') {
            pieces.push((joined.len(), start));
            if let Some(cont) = body.strip_suffix('\\') {
                joined.push_str(cont.trim_end_matches('\\'));
                continue;
            }
            joined.push_str(body);
        }
        logical_requirement(&joined, &pieces, &mut out);
        joined.clear();
        pieces.clear();
    }
    logical_requirement(&joined, &pieces, &mut out);
    out
}

fn logical_requirement(joined: &str, pieces: &[(usize, usize)], out: &mut Vec<Dependency>) {
    let content = strip_comment(joined);
    let trimmed = content.trim_start();
    let lead = content.len() - trimmed.len();
    if let Some((name, at)) = requirement_line(trimmed.trim_end()) {
        let pos = lead + at;
        let (in_joined, in_file) = pieces
            .iter()
            .rev()
            .find(|(j, _)| *j <= pos)
            .copied()
            .unwrap_or((0, 0));
        out.push(declared(name, in_file + pos - in_joined));
    }
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
    let double = format!("\"{key}\"");
    let single = format!("'{key}'");
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let lead = line.len() - t.len();
        let rest = t
            .strip_prefix(key)
            .or_else(|| t.strip_prefix(&double))
            .or_else(|| t.strip_prefix(&single));
        if let Some(rest) = rest {
            if rest.trim_start().starts_with('=') {
                return Some(offset + lead);
            }
        }
        offset += line.len();
    }
    None
}

/// A TOML error as its message and line (never the source line it quotes).
fn toml_error(text: &str, e: &toml::de::Error) -> String {
    match e.span() {
        Some(span) => {
            let line = text
                .get(..span.start)
                .map_or(0, |t| t.bytes().filter(|&b| b == b'\n').count())
                + 1;
            format!("{} (line {line})", e.message().trim_end())
        }
        None => e.message().trim_end().to_string(),
    }
}

/// Byte offset of a spanned TOML string's text: past the opening quote, if quoted.
fn text_start(text: &str, span: std::ops::Range<usize>) -> usize {
    match text.as_bytes().get(span.start) {
        Some(b'"') | Some(b'\'') => span.start + 1,
        _ => span.start,
    }
}

/// Top-level tables of a `Pipfile` that are not package categories.
const PIPFILE_RESERVED: [&str; 4] = ["source", "requires", "pipenv", "scripts"];

/// Packages of every category of a `Pipfile`: `[packages]`, `[dev-packages]` and any
/// named category (`[docs]`); keys are the names.
pub fn pipfile(text: &str) -> Result<Vec<Dependency>, String> {
    type Category = InOrder<IgnoredAny, Spanned<String>>;
    let doc: InOrder<Category, String> = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    let mut out = Vec::new();
    for (category, packages) in &doc.0 {
        if PIPFILE_RESERVED.contains(&category.as_str()) {
            continue;
        }
        for (name, _) in &packages.0 {
            out.push(declared(name.get_ref(), text_start(text, name.span())));
        }
    }
    out.sort_by_key(|d| d.offset);
    Ok(out)
}

/// Requirements of a `setup.cfg`: `[options] install_requires` and `tests_require`, and
/// every key of `[options.extras_require]`. A small INI reader in the way
/// `configparser` reads: `[section]` headers, `key = value` or `key: value`, values
/// continued on indented lines, full-line `#` / `;` comments; keys compare lowercase
/// with `-` as `_`.
pub fn setup_cfg(text: &str) -> Result<Vec<Dependency>, String> {
    let mut out = Vec::new();
    let mut section: Option<&str> = None;
    // Inside a value: whether it holds requirements.
    let mut value: Option<bool> = None;
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let mut start = offset;
        offset += line.len();
        let mut body = line.trim_end_matches(['\n', '\r']);
        if start == 0 {
            if let Some(b) = body.strip_prefix('\u{feff}') {
                body = b;
                start += '\u{feff}'.len_utf8();
            }
        }
        let trimmed = body.trim();
        if trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
            continue;
        }
        let lead = body.len() - body.trim_start().len();
        if lead > 0 {
            if let Some(wanted) = value {
                if wanted {
                    if let Some((name, at)) = requirement_line(trimmed) {
                        out.push(declared(name, start + lead + at));
                    }
                }
                continue;
            }
        }
        if let Some(header) = trimmed.strip_prefix('[') {
            let Some(end) = header.rfind(']') else {
                return Err(format!("line {}: unclosed section header", n + 1));
            };
            section = Some(header[..end].trim());
            value = None;
            continue;
        }
        let Some(eq) = trimmed.find(['=', ':']) else {
            return Err(format!("line {}: expected `key = value`", n + 1));
        };
        let Some(section) = section else {
            return Err(format!("line {}: key before any section header", n + 1));
        };
        let key = trimmed[..eq].trim().to_ascii_lowercase().replace('-', "_");
        let wanted = match section {
            "options" => matches!(key.as_str(), "install_requires" | "tests_require"),
            "options.extras_require" => true,
            _ => false,
        };
        value = Some(wanted);
        let rest = &trimmed[eq + 1..];
        let first = rest.trim_start();
        if wanted && !first.is_empty() {
            let at = lead + eq + 1 + (rest.len() - first.len());
            if let Some((name, i)) = requirement_line(first.trim_end()) {
                out.push(declared(name, start + at + i));
            }
        }
    }
    Ok(out)
}

/// Keyword arguments of `setup()` that hold a list of requirements.
const SETUP_LISTS: [&str; 2] = ["install_requires", "tests_require"];

/// Requirements of a `setup.py`, parsed with tree-sitter: the string literals of
/// `install_requires=[…]`, `tests_require=[…]` and `extras_require={…: […]}` in a call
/// of `setup(…)` or `setuptools.setup(…)`. A variable or a computed list yields
/// nothing: we do not run the file.
pub fn setup_py(text: &str) -> Result<Vec<Dependency>, String> {
    if text.len() > DEFAULT_MAX_PARSE_SIZE {
        return Err(format!("{} bytes exceed the parse limit", text.len()));
    }
    let src = text.as_bytes();
    let budget = Duration::from_millis(DEFAULT_PARSE_TIMEOUT_MS);
    let tree = lang::parse(Lang::Python, src, budget).map_err(|e| match e {
        ParseFail::Timeout => format!("parse exceeded {budget:?}"),
        ParseFail::Grammar => "the Python grammar could not be loaded".to_string(),
    })?;
    let mut out = Vec::new();
    let mut calls = 0;
    let mut first_error: Option<usize> = None;
    let mut cursor = tree.walk();
    // Iterative pre-order walk: deeply nested input cannot overflow the stack.
    'walk: loop {
        let node = cursor.node();
        if first_error.is_none() && (node.is_error() || node.is_missing()) {
            first_error = Some(node.start_position().row + 1);
        }
        if node.kind() == "call" && is_setup_call(node, src) {
            calls += 1;
            setup_arguments(node, src, &mut out);
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    match first_error {
        Some(line) if calls == 0 => Err(format!("syntax error at line {line}")),
        _ => Ok(out),
    }
}

fn node_text<'a>(node: Node, src: &'a [u8]) -> &'a str {
    std::str::from_utf8(&src[node.byte_range()]).unwrap_or("")
}

/// `setup(…)`, `setuptools.setup(…)` or `distutils.core.setup(…)`.
fn is_setup_call(call: Node, src: &[u8]) -> bool {
    let Some(f) = call.child_by_field_name("function") else {
        return false;
    };
    match f.kind() {
        "identifier" => node_text(f, src) == "setup",
        "attribute" => {
            let attr = f
                .child_by_field_name("attribute")
                .map(|a| node_text(a, src));
            let object = f.child_by_field_name("object").map(|o| node_text(o, src));
            attr == Some("setup") && matches!(object, Some("setuptools" | "distutils.core"))
        }
        _ => false,
    }
}

fn setup_arguments(call: Node, src: &[u8], out: &mut Vec<Dependency>) {
    let Some(args) = call.child_by_field_name("arguments") else {
        return;
    };
    let mut c = args.walk();
    for arg in args.named_children(&mut c) {
        if arg.kind() != "keyword_argument" {
            continue;
        }
        let (Some(name), Some(value)) = (
            arg.child_by_field_name("name"),
            arg.child_by_field_name("value"),
        ) else {
            continue;
        };
        let name = node_text(name, src);
        if SETUP_LISTS.contains(&name) {
            literal_requirements(value, src, out);
        } else if name == "extras_require" && value.kind() == "dictionary" {
            let mut c = value.walk();
            for pair in value.named_children(&mut c) {
                if let Some(v) = pair.child_by_field_name("value") {
                    literal_requirements(v, src, out);
                }
            }
        }
    }
}

/// Requirements in a list or tuple of string literals, or in one string with one per
/// line (both are what setuptools accepts).
fn literal_requirements(value: Node, src: &[u8], out: &mut Vec<Dependency>) {
    let strings: Vec<Node> = match value.kind() {
        "list" | "tuple" => {
            let mut c = value.walk();
            value
                .named_children(&mut c)
                .filter(|n| n.kind() == "string")
                .collect()
        }
        "string" => vec![value],
        _ => return,
    };
    for s in strings {
        let Some((content, start)) = string_literal(s, src) else {
            continue;
        };
        let mut at = start;
        for line in content.split_inclusive('\n') {
            let t = line.trim_start();
            let lead = line.len() - t.len();
            if let Some((name, i)) = requirement_line(strip_comment(t).trim_end()) {
                out.push(declared(name, at + lead + i));
            }
            at += line.len();
        }
    }
}

/// The text of a plain string literal and its offset; `None` for an f-string with
/// replacement fields.
fn string_literal<'a>(s: Node, src: &'a [u8]) -> Option<(&'a str, usize)> {
    let mut c = s.walk();
    let mut range: Option<(usize, usize)> = None;
    for child in s.children(&mut c) {
        match child.kind() {
            "interpolation" => return None,
            "string_content" => {
                let r = child.byte_range();
                range = Some(range.map_or((r.start, r.end), |(s, _)| (s, r.end)));
            }
            _ => {}
        }
    }
    let (start, end) = range?;
    Some((std::str::from_utf8(src.get(start..end)?).ok()?, start))
}

/// The package name of a conda match spec (`conda-forge::transformers=4.40`,
/// `numpy >=1.2`, `python[version='>=3.11']`) and its offset in the spec.
fn conda_name(spec: &str) -> Option<(&str, usize)> {
    let mut at = spec.len() - spec.trim_start().len();
    let mut s = spec.trim_start();
    if let Some(i) = s.rfind("::") {
        at += i + 2;
        s = &s[i + 2..];
    }
    let end = s
        .find(['=', '<', '>', '!', '~', ' ', '\t', '['])
        .unwrap_or(s.len());
    let name = &s[..end];
    let ok = !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    ok.then_some((name, at))
}

/// `text[start..end]` is a whole YAML scalar (a list item or flow element).
fn yaml_scalar(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let before = start.checked_sub(1).map(|i| b[i]);
    let after = b.get(end).copied();
    matches!(
        before,
        Some(b' ' | b'\t' | b'\n' | b'"' | b'\'' | b'[' | b',')
    ) && matches!(
        after,
        None | Some(b'\n' | b'\r' | b' ' | b'\t' | b'"' | b'\'' | b',' | b']')
    )
}

/// Packages of a conda `environment.yml`: the conda specs of `dependencies:` and the
/// PEP 508 requirements of its nested `- pip: […]` list.
pub fn conda_env(text: &str) -> Result<Vec<Dependency>, String> {
    let doc: serde_json::Value = super::lock::from_yaml(text)?;
    let Some(deps) = doc.get("dependencies").and_then(|d| d.as_array()) else {
        return Ok(Vec::new());
    };
    let start = yaml_top_key(text, "dependencies").unwrap_or(0);
    let mut seek = Seeker::new(text, start);
    let mut out = Vec::new();
    for item in deps {
        if let Some(spec) = item.as_str() {
            if let Some((name, at)) = conda_name(spec) {
                let offset = seek.seek(spec, yaml_scalar).map_or(start, |o| o + at);
                out.push(declared(name, offset));
            }
        } else if let Some(pip) = item.get("pip").and_then(|p| p.as_array()) {
            let pip_at = seek
                .seek("pip", super::lock::yaml_key)
                .unwrap_or(seek.pos());
            for spec in pip.iter().filter_map(|s| s.as_str()) {
                let t = spec.trim();
                if let Some((name, at)) = requirement_line(t) {
                    let lead = spec.len() - spec.trim_start().len();
                    let offset = seek
                        .seek(spec, yaml_scalar)
                        .map_or(pip_at, |o| o + lead + at);
                    out.push(declared(name, offset));
                }
            }
        }
    }
    Ok(out)
}

/// The raw serde form of `poetry.lock` and `uv.lock`: `[[package]]` tables.
#[derive(Debug, Deserialize)]
struct PyLockSyntax {
    #[serde(default)]
    package: Vec<PyLockPackageSyntax>,
}

#[derive(Debug, Deserialize)]
struct PyLockPackageSyntax {
    name: Option<Spanned<String>>,
    #[serde(default)]
    source: Option<toml::Value>,
}

fn py_lock(
    text: &str,
    skip: impl Fn(&PyLockPackageSyntax) -> bool,
) -> Result<Vec<Dependency>, String> {
    let doc: PyLockSyntax = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    let mut locked = Locked::new(Ecosystem::Pypi);
    for p in &doc.package {
        if skip(p) {
            continue;
        }
        if let Some(name) = &p.name {
            locked.push(name.get_ref(), text_start(text, name.span()));
        }
    }
    Ok(locked.finish())
}

/// Every `[[package]]` of a `poetry.lock`.
pub fn poetry_lock(text: &str) -> Result<Vec<Dependency>, String> {
    py_lock(text, |_| false)
}

/// Every `[[package]]` of a `uv.lock` but the project itself (`source = { editable =
/// "." }` or `{ virtual = "." }`).
pub fn uv_lock(text: &str) -> Result<Vec<Dependency>, String> {
    py_lock(text, |p| {
        let source = p.source.as_ref();
        ["editable", "virtual"].iter().any(|k| {
            source
                .and_then(|s| s.get(k))
                .and_then(|v| v.as_str())
                .is_some_and(|v| matches!(v, "." | "./"))
        })
    })
}

/// The raw serde form of `Pipfile.lock`.
#[derive(Debug, Default, Deserialize)]
struct PipfileLockSyntax {
    #[serde(default)]
    default: InOrder<IgnoredAny>,
    #[serde(default)]
    develop: InOrder<IgnoredAny>,
}

/// Every package of a `Pipfile.lock`'s `default` and `develop` sections.
pub fn pipfile_lock(text: &str) -> Result<Vec<Dependency>, String> {
    let TopMap(doc): TopMap<PipfileLockSyntax> =
        serde_json::from_str(text).map_err(|e| e.to_string())?;
    let mut locked = Locked::new(Ecosystem::Pypi);
    for (section, key) in [(&doc.default, "\"default\""), (&doc.develop, "\"develop\"")] {
        let start = Seeker::new(text, 0).seek(key, json_object_key).unwrap_or(0);
        let mut seek = Seeker::new(text, start);
        for (name, _) in section.entries() {
            let quoted = serde_json::to_string(name).unwrap_or_default();
            let offset = seek.seek(&quoted, json_object_key).map_or(start, |o| o + 1);
            locked.push(name, offset);
        }
    }
    Ok(locked.finish())
}

#[cfg(test)]
mod tests {
    use super::super::{dependencies, Dependency, ManifestKind};

    fn names(kind: ManifestKind, text: &str) -> Vec<String> {
        dependencies(kind, text)
            .unwrap()
            .into_iter()
            .map(|d| d.name)
            .collect()
    }

    fn deps(kind: ManifestKind, text: &str) -> Vec<Dependency> {
        dependencies(kind, text).unwrap()
    }

    /// The text at the first dependency named `name`.
    fn at<'a>(text: &'a str, d: &[Dependency], name: &str) -> &'a str {
        let d = d.iter().find(|d| d.name == name).expect(name);
        &text[d.offset..]
    }

    #[test]
    fn requirements_lines() {
        // A plain VCS URL with `#egg=` names its project as `-e` does.
        let text = "# openai\n-r base.txt\nOpenAI[datalib]>=1.0 ; python_version>'3.8'\n  langchain_core==0.2 # pinned\n--index-url https://x\nrequests\ngit+https://github.com/x/y#egg=z\n";
        assert_eq!(
            names(ManifestKind::Requirements, text),
            vec!["openai", "langchain-core", "requests", "z"]
        );
        let deps = dependencies(ManifestKind::Requirements, text).unwrap();
        assert_eq!(&text[deps[1].offset..deps[1].offset + 9], "langchain");
    }

    #[test]
    fn requirements_urls_eggs_wheels_and_includes() {
        let text = "\u{feff}anthropic @ https://files.example/anthropic-0.30.tar.gz\n\
            crewai[tools]@https://example.com/crewai.zip\n\
            -e git+https://github.com/openai/openai-agents-python.git@v0.1#egg=openai_agents&subdirectory=src\n\
            --editable=git+ssh://git@github.com/x/litellm.git#egg=litellm\n\
            -e ./local/pkg\n\
            -e .\n\
            -c constraints.txt\n\
            --requirement more.txt\n\
            https://example.com/nameless.tar.gz\n\
            ./dist/llama_index_core-0.10.0-py3-none-any.whl\n\
            ./vendor/somepkg\n\
            file: requirements.txt\n\
            tiktoken==0.7 --config-settings=url=https://example.com/x\n";
        let d = deps(ManifestKind::Requirements, text);
        let n: Vec<_> = d.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            n,
            vec![
                "anthropic",
                "crewai",
                "openai-agents",
                "litellm",
                "llama-index-core",
                "tiktoken"
            ]
        );
        assert!(at(text, &d, "anthropic").starts_with("anthropic @"));
        assert!(at(text, &d, "openai-agents").starts_with("openai_agents&"));
        assert!(at(text, &d, "llama-index-core").starts_with("llama_index_core-0.10.0"));
    }

    #[test]
    fn requirements_line_continuations() {
        let text = "openai==1.30.0 \\\n    --hash=sha256:aaaa \\\n    --hash=sha256:bbbb\n\
            lang\\\nchain>=0.2\n\
            # a comment ending in a backslash is not continued \\\n\
            anthropic \\\n\
            # a comment line ends the continuation\n\
            tiktoken\\";
        let d = deps(ManifestKind::Requirements, text);
        let n: Vec<_> = d.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(n, vec!["openai", "langchain", "anthropic", "tiktoken"]);
        assert!(at(text, &d, "langchain").starts_with("lang\\\nchain"));
        assert!(at(text, &d, "anthropic").starts_with("anthropic \\"));
        assert!(at(text, &d, "tiktoken").starts_with("tiktoken\\"));
    }

    #[test]
    fn requirements_never_panic_on_odd_text() {
        for odd in [
            "\\",
            "\\\n\\\n",
            "é\\\nü",
            "-e",
            "#egg=",
            "-e x#egg=",
            "a[",
            "a @",
            "\u{feff}",
            "x#egg=é",
        ] {
            let _ = dependencies(ManifestKind::Requirements, odd).unwrap();
        }
    }

    #[test]
    fn pipfile_categories() {
        let text = r#"[[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[packages]
"OpenAI" = "*"
langchain-core = {version = ">=0.2", extras = ["x"]}

[dev-packages]
pytest = "*"

[docs]
mkdocs = "*"

[requires]
python_version = "3.12"

[scripts]
serve = "python -m app"
"#;
        let d = deps(ManifestKind::Pipfile, text);
        let n: Vec<_> = d.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(n, vec!["openai", "langchain-core", "pytest", "mkdocs"]);
        assert!(d.iter().all(|d| !d.locked));
        assert!(at(text, &d, "openai").starts_with("OpenAI\" = "));
        assert!(at(text, &d, "langchain-core").starts_with("langchain-core = {"));
    }

    #[test]
    fn malformed_pipfile_is_an_error_not_a_panic() {
        for bad in [
            "[packages\nopenai = \"*\"",
            "[packages]\nopenai = ",
            "[packages]\na = 1\na = 2\n",
        ] {
            let e = dependencies(ManifestKind::Pipfile, bad).unwrap_err();
            assert!(e.contains("line"), "{e}");
        }
        assert!(names(ManifestKind::Pipfile, "packages = 3\n[dev-packages]\n").is_empty());
    }

    #[test]
    fn setup_cfg_options_and_extras() {
        let text = "\u{feff}[metadata]\nname = bot\ninstall_requires = not-a-dep\n\n\
            [options]\npackages = find:\npython_requires = >=3.9\n\
            install_requires =\n    anthropic>=0.30\n    # a comment\n    ; another\n\n    httpx ; python_version>\"3.8\"\n\
            Tests-Require = pytest\n\
            setup_requires = setuptools_scm\n\
            [options.extras_require]\nrag = llama-index-core>=0.10\n\
            openai:\n\tOpenAI[datalib]\n\tfile: more.txt\n\
            [options.entry_points]\nconsole_scripts =\n    bot = bot.main:run\n";
        let d = deps(ManifestKind::SetupCfg, text);
        let n: Vec<_> = d.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            n,
            vec!["anthropic", "httpx", "pytest", "llama-index-core", "openai"]
        );
        assert!(at(text, &d, "anthropic").starts_with("anthropic>=0.30\n"));
        assert!(at(text, &d, "pytest").starts_with("pytest\n"));
        assert!(at(text, &d, "llama-index-core").starts_with("llama-index-core>="));
        assert!(at(text, &d, "openai").starts_with("OpenAI[datalib]"));
    }

    #[test]
    fn malformed_setup_cfg_is_an_error_not_a_panic() {
        for bad in [
            "[options\ninstall_requires = openai\n",
            "install_requires = openai\n",
            "[options]\ninstall_requires openai\n",
        ] {
            let e = dependencies(ManifestKind::SetupCfg, bad).unwrap_err();
            assert!(e.starts_with("line "), "{e}");
        }
        assert!(names(ManifestKind::SetupCfg, "").is_empty());
        assert!(names(
            ManifestKind::SetupCfg,
            "[options]\ninstall_requires =\n  é\n  -x\n=\n[]\n"
        )
        .is_empty());
    }

    #[test]
    fn setup_py_literal_keywords() {
        let text = r#"import setuptools
from setuptools import setup

REQS = ["not-read"]

if __name__ == "__main__":
    setup(
        name="bot",
        install_requires=[
            "anthropic>=0.30",  # Claude
            'httpx',
            f"openai{VERSION}",
            REQS[0],
        ],
        tests_require=("pytest",),
        extras_require={
            "rag": ["llama-index-core>=0.10"],
            "all": """
                langchain-openai
                tiktoken
            """,
        },
        setup_requires=["setuptools_scm"],
    )
setuptools.setup(install_requires=REQS, extras_require=EXTRAS)
setuptools.setup(install_requires=["crewai"] + REQS)
other.setup(install_requires=["not-setup"])
"#;
        let d = deps(ManifestKind::SetupPy, text);
        let n: Vec<_> = d.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            n,
            vec![
                "anthropic",
                "httpx",
                "pytest",
                "llama-index-core",
                "langchain-openai",
                "tiktoken"
            ]
        );
        assert!(at(text, &d, "anthropic").starts_with("anthropic>=0.30\""));
        assert!(at(text, &d, "httpx").starts_with("httpx'"));
        assert!(at(text, &d, "tiktoken").starts_with("tiktoken\n"));
        // A computed list and no literal at all: nothing, not an error.
        assert!(names(
            ManifestKind::SetupPy,
            "from setuptools import setup\nsetup(install_requires=reqs())\n"
        )
        .is_empty());
        assert!(names(ManifestKind::SetupPy, "").is_empty());
    }

    #[test]
    fn malformed_setup_py_is_an_error_not_a_panic() {
        let e = dependencies(ManifestKind::SetupPy, "def (:\n  ]]\n").unwrap_err();
        assert!(e.starts_with("syntax error at line"), "{e}");
        // A broken file that still has a readable setup() call is read.
        assert_eq!(
            names(
                ManifestKind::SetupPy,
                "setup(install_requires=['openai'])\ndef (:\n"
            ),
            vec!["openai"]
        );
        let deep = "x = ".to_string() + &"[".repeat(5000) + &"]".repeat(5000) + "\n";
        let _ = dependencies(ManifestKind::SetupPy, &deep);
    }

    #[test]
    fn conda_env_specs_and_pip() {
        let text = r#"name: agents
channels:
  - conda-forge
dependencies:
  - python=3.11
  - conda-forge::transformers=4.40
  - "numpy >=1.26"
  - pytorch::pytorch[version='>=2.2']
  - openai>=1
  - 42
  - pip
  - pip:
      - anthropic>=0.30
      - -r requirements.txt
      - -e git+https://github.com/x/crewai.git#egg=crewai
      - "langchain_openai==0.1"
"#;
        let d = deps(ManifestKind::CondaEnv, text);
        let n: Vec<_> = d.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            n,
            vec![
                "python",
                "transformers",
                "numpy",
                "pytorch",
                "openai",
                "pip",
                "anthropic",
                "crewai",
                "langchain-openai"
            ]
        );
        assert!(at(text, &d, "transformers").starts_with("transformers=4.40"));
        assert!(at(text, &d, "pytorch").starts_with("pytorch[version"));
        assert!(at(text, &d, "openai").starts_with("openai>=1\n"));
        assert!(at(text, &d, "pip").starts_with("pip\n"));
        assert!(at(text, &d, "anthropic").starts_with("anthropic>=0.30"));
        assert!(at(text, &d, "crewai").starts_with("crewai\n"));
        assert!(at(text, &d, "langchain-openai").starts_with("langchain_openai=="));
    }

    #[test]
    fn malformed_conda_env_is_an_error_not_a_panic() {
        for bad in [
            "dependencies:\n  - [openai\n",
            "dependencies: {\n",
            "a: 1\na: 2\n",
        ] {
            assert!(dependencies(ManifestKind::CondaEnv, bad).is_err(), "{bad}");
        }
        for odd in [
            "",
            "- a\n",
            "dependencies: 3\n",
            "dependencies:\n  - pip: 3\n  - {x: y}\n  - '::'\n  - '=1'\n",
        ] {
            assert!(names(ManifestKind::CondaEnv, odd).is_empty(), "{odd}");
        }
    }

    #[test]
    fn poetry_lock_packages() {
        let text = r#"# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.

[[package]]
name = "langchain-core"
version = "0.2.10"
description = "Building applications with LLMs through composability"
optional = false
python-versions = "<4.0,>=3.8.1"
files = []

[package.dependencies]
openai = ">=1"

[[package]]
name = "openai"
version = "1.30.0"
description = "The official Python library for the openai API"
optional = false
python-versions = ">=3.7.1"
files = []

[[package]]
name = "openai"
version = "0.28.0"
description = "duplicate name under another marker"
optional = false
python-versions = "<3.8"
files = []

[metadata]
lock-version = "2.0"
python-versions = "^3.11"
content-hash = "abc"
"#;
        let d = deps(ManifestKind::PoetryLock, text);
        let n: Vec<_> = d.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(n, vec!["langchain-core", "openai"]);
        assert!(d.iter().all(|d| d.locked));
        assert!(at(text, &d, "openai").starts_with("openai\"\nversion = \"1.30.0\""));
    }

    #[test]
    fn uv_lock_skips_the_project_itself() {
        let text = r#"version = 1
requires-python = ">=3.11"

[[package]]
name = "anthropic"
version = "0.30.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "helpdesk"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "anthropic" }]

[[package]]
name = "tools"
version = "0.1.0"
source = { virtual = "." }

[[package]]
name = "shared"
version = "0.1.0"
source = { editable = "libs/shared" }
"#;
        let d = deps(ManifestKind::UvLock, text);
        let n: Vec<_> = d.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(n, vec!["anthropic", "shared"]);
        assert!(d.iter().all(|d| d.locked));
        assert!(at(text, &d, "anthropic").starts_with("anthropic\"\nversion"));
    }

    #[test]
    fn malformed_python_lockfiles_are_errors_not_panics() {
        for kind in [ManifestKind::PoetryLock, ManifestKind::UvLock] {
            for bad in [
                "[[package]\nname = \"a\"",
                "package = 3\n",
                "[[package]]\nname = 3\n",
            ] {
                assert!(dependencies(kind, bad).is_err(), "{kind:?} {bad}");
            }
            assert!(names(kind, "").is_empty());
        }
    }

    #[test]
    fn pipfile_lock_sections() {
        let text = r#"{
    "_meta": {
        "hash": {"sha256": "abc"},
        "pipfile-spec": 6,
        "requires": {"python_version": "3.12"},
        "sources": [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": true}]
    },
    "default": {
        "anthropic": {"hashes": [], "version": "==0.30.0"},
        "httpx": {"version": "==0.27.0"}
    },
    "develop": {
        "anthropic": {"version": "==0.30.0"},
        "pytest": {"version": "==8.2.0"}
    }
}"#;
        let d = deps(ManifestKind::PipfileLock, text);
        let n: Vec<_> = d.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(n, vec!["anthropic", "httpx", "pytest"]);
        assert!(d.iter().all(|d| d.locked));
        assert!(at(text, &d, "anthropic").starts_with("anthropic\": {\"hashes\""));
        assert!(at(text, &d, "pytest").starts_with("pytest\""));
    }

    #[test]
    fn malformed_pipfile_lock_is_an_error_not_a_panic() {
        for bad in ["", "{\"default\": {", "[]", "{\"default\": {\"a\": 1,}}"] {
            assert!(
                dependencies(ManifestKind::PipfileLock, bad).is_err(),
                "{bad}"
            );
        }
        assert!(names(
            ManifestKind::PipfileLock,
            "{\"default\": [1], \"develop\": null}"
        )
        .is_empty());
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
