//! From a positioned [`Tree`] (YAML, JSON, TOML) to [`ConfigFact`]s.
//!
//! One walk gives every key path with its scalar (`services.api.image`,
//! `model_list[].litellm_params.model`), the variables of `env:`-like blocks in any of
//! their spellings (compose list or map, Kubernetes `env[].name`, GitLab
//! `variables`), references to variables inside values (`${{ secrets.X }}`, `${X}`,
//! `$(X)`, `$X`), container images (`image:` as a string or as Helm's
//! `repository`/`tag`), MCP servers of AI-client configs and Kong plugins. Then the
//! shapes recognised per document add what only they declare: Kubernetes objects as
//! resources (and Secrets' base64 `data` decoded), CloudFormation resources,
//! Terraform state and plans, Terraform JSON, and config-store exports (Consul KV,
//! AWS SSM parameters, Vault).
//!
//! Invariant: the work is bounded whatever the input. Aliases are followed at most
//! [`MAX_ALIASES`] times, nodes visited at most [`MAX_VISITS`] times, facts capped at
//! [`MAX_FACTS`], so nested anchors cannot multiply into memory.

use std::sync::LazyLock;

use base64::Engine;
use regex::Regex;

use super::tree::{Node, NodeId, Tree, MAX_DEPTH};
use super::{ConfigFact, FactKind};

/// Alias expansions per file: enough for compose `<<: *defaults` and shared `env`
/// blocks, far below what a nested-anchor bomb asks for.
pub const MAX_ALIASES: usize = 1_000;
/// Node visits per file (all walks together).
pub const MAX_VISITS: usize = 500_000;
/// Facts per file; a larger file yields its first facts only.
pub const MAX_FACTS: usize = 50_000;
/// Attributes kept per resource.
const MAX_ATTRS: usize = 64;
/// Longest base64 text decoded.
const MAX_DECODE: usize = 64 * 1024;

/// Keys whose value lists or maps environment variables.
const ENV_KEYS: &[&str] = &[
    "env",
    "envs",
    "environment",
    "Environment",
    "variables",
    "Variables",
    "envVars",
    "env_vars",
    "environmentVariables",
    "environment_variables",
    "extraEnv",
    "extraEnvVars",
];

/// Every fact of `tree`; `text` is the source the offsets point into.
pub fn facts(tree: &Tree, text: &str) -> Vec<ConfigFact> {
    let mut w = Walker {
        tree,
        text,
        out: Vec::new(),
        visits: 0,
        aliases: 0,
    };
    for &doc in &tree.docs {
        w.shapes(doc);
        w.walk(doc, "", 0);
    }
    w.out
}

struct Walker<'a> {
    tree: &'a Tree,
    text: &'a str,
    out: Vec<ConfigFact>,
    visits: usize,
    aliases: usize,
}

/// `NAME` of a variable: letters, digits, `_`, not starting with a digit.
pub fn is_var_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `OPENAI_API_KEY`-shaped: upper case, digits and `_`, with a `_`.
pub fn is_env_shaped(s: &str) -> bool {
    s.len() >= 4
        && s.contains('_')
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// `config/app/OPENAI_API_KEY` or `/prod/llm/key` → `config.app.OPENAI_API_KEY`.
fn slash_path(p: &str) -> String {
    p.trim_matches('/').replace('/', ".")
}

/// Base64 text decoded, if it decodes to text.
pub fn decode_base64(raw: &str) -> Option<String> {
    if raw.len() > MAX_DECODE || raw.len() < 4 {
        return None;
    }
    let compact: String = raw.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let engines = [
        &base64::engine::general_purpose::STANDARD,
        &base64::engine::general_purpose::STANDARD_NO_PAD,
        &base64::engine::general_purpose::URL_SAFE,
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
    ];
    let bytes = engines.iter().find_map(|e| e.decode(&compact).ok())?;
    let text = String::from_utf8(bytes).ok()?;
    let printable = text
        .chars()
        .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'));
    (printable && !text.trim().is_empty()).then_some(text)
}

static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \$\{\{\s*(?:secrets|vars|env)\.(?P<gh>[A-Za-z_][A-Za-z0-9_]*)\s*\}\}  # GitHub Actions
      | \$\{(?:env[:.])?(?P<brace>[A-Za-z_][A-Za-z0-9_]*)[}:?=\-]         # ${X} ${X:-d} ${env:X}
      | \$\((?P<paren>[A-Za-z_][A-Za-z0-9_]*)\)                          # Azure Pipelines $(X)
      | \$(?P<bare>[A-Z][A-Z0-9_]*)                                      # shell $X
      ",
    )
    .expect("the reference pattern is valid")
});

/// Variables referenced in `value`, with the byte index of each name in it:
/// `${{ secrets.X }}` / `vars.X` / `env.X` (any name), and `${X}`, `${X:-d}`,
/// `${env:X}`, `$(X)`, `$X` when the name is `OPENAI_API_KEY`-shaped.
pub fn references(value: &str) -> impl Iterator<Item = Reference<'_>> {
    let scan = value.contains('$');
    REFERENCE
        .captures_iter(if scan { value } else { "" })
        .filter_map(|caps| {
            let whole = caps.get(0).expect("group 0 always matches");
            let (n, explicit) = match caps.name("gh") {
                Some(n) => (n, true),
                None => (
                    caps.name("brace")
                        .or(caps.name("paren"))
                        .or(caps.name("bare"))?,
                    false,
                ),
            };
            (explicit || is_env_shaped(n.as_str())).then(|| Reference {
                name: n.as_str(),
                at: n.start(),
                written: whole.as_str(),
                into: n.start() - whole.start(),
            })
        })
}

/// A variable reference inside a value.
#[derive(Debug, PartialEq, Eq)]
pub struct Reference<'a> {
    /// The variable.
    pub name: &'a str,
    /// Byte index of the name in the value.
    pub at: usize,
    /// The whole reference as written (`${{ secrets.X }}`).
    pub written: &'a str,
    /// Byte index of the name in `written`.
    pub into: usize,
}

impl Walker<'_> {
    fn full(&self) -> bool {
        self.out.len() >= MAX_FACTS
    }

    fn emit(&mut self, kind: FactKind, name: &str, value: &str, offset: usize) {
        if !self.full() {
            self.out
                .push(ConfigFact::new(kind, name, value.trim(), offset));
        }
    }

    fn resource(&mut self, name: &str, attrs: Vec<(String, String)>, offset: usize) {
        if !self.full() {
            let mut f = ConfigFact::new(FactKind::Resource, name, "", offset);
            f.attrs = attrs;
            self.out.push(f);
        }
    }

    /// Every key path, variable, reference, image and server below `id`.
    fn walk(&mut self, id: NodeId, path: &str, depth: usize) {
        if depth > MAX_DEPTH || self.visits >= MAX_VISITS || self.full() {
            return;
        }
        self.visits += 1;
        let t = self.tree;
        match &t.nodes[id] {
            Node::Alias {
                target: Some(target),
                ..
            } => {
                if self.aliases < MAX_ALIASES {
                    self.aliases += 1;
                    self.walk(*target, path, depth + 1);
                }
            }
            Node::Alias { target: None, .. } => {}
            Node::Scalar { value, offset } => self.refs(value, *offset),
            Node::Seq { items, .. } => {
                let p = format!("{path}[]");
                for &item in items {
                    if let Some(v) = t.str(item) {
                        self.emit(FactKind::Key, &p, v, t.offset(item));
                    }
                    self.walk(item, &p, depth + 1);
                }
            }
            Node::Map { entries, .. } => {
                for e in entries {
                    if e.key == "<<" {
                        // A YAML merge key: its entries belong to this mapping.
                        self.walk(e.value, path, depth + 1);
                        continue;
                    }
                    let p = join(path, &e.key);
                    if self.mcp_servers(&e.key, path, e.value, &p, e.offset, depth) {
                        continue;
                    }
                    self.emit(FactKind::Key, &p, t.str(e.value).unwrap_or(""), e.offset);
                    if ENV_KEYS.contains(&e.key.as_str()) {
                        self.env_block(e.value);
                    }
                    match e.key.as_str() {
                        "image" => self.image(e.value),
                        "secretKeyRef" | "configMapKeyRef" => {
                            if let Some(k) = t.get(e.value, "key") {
                                if let Some(name) = t.str(k).filter(|n| is_env_shaped(n)) {
                                    self.emit(FactKind::Env, name, "", t.offset(k));
                                }
                            }
                        }
                        "plugins" => self.kong_plugins(e.value),
                        _ => {}
                    }
                    self.walk(e.value, &p, depth + 1);
                }
            }
        }
    }

    /// Only the variable references below `id` (inside an MCP server entry).
    fn refs_below(&mut self, id: NodeId, depth: usize) {
        if depth > MAX_DEPTH || self.visits >= MAX_VISITS {
            return;
        }
        self.visits += 1;
        let t = self.tree;
        match t.node(id) {
            Node::Scalar { value, offset } => self.refs(value, *offset),
            Node::Seq { items, .. } => {
                for &i in items {
                    self.refs_below(i, depth + 1);
                }
            }
            Node::Map { entries, .. } => {
                for e in entries {
                    self.refs_below(e.value, depth + 1);
                }
            }
            Node::Alias { .. } => {}
        }
    }

    /// `${{ secrets.X }}`, `${X}`, `$(X)`, `$X` inside a value: the variable is named
    /// there (a reference, never a value). The value may be unescaped or folded, so
    /// each name is found by searching the source forward from the value's start.
    fn refs(&mut self, value: &str, offset: usize) {
        let mut cursor = offset.min(self.text.len());
        let window_end = (offset + value.len() + 4096).min(self.text.len());
        for r in references(value) {
            let at = self
                .text
                .get(cursor..window_end)
                .and_then(|w| w.find(r.written))
                .map_or(offset, |i| cursor + i + r.into);
            if at != offset {
                cursor = at + r.name.len();
            }
            self.emit(FactKind::Env, r.name, "", at);
        }
    }

    /// The variables of an `env:`-like value: a map `NAME: value`, a list of
    /// `NAME=value` / `NAME`, or a list of `{name, value}`.
    fn env_block(&mut self, id: NodeId) {
        let t = self.tree;
        match t.node(id) {
            Node::Map { entries, .. } => {
                for e in entries.iter().filter(|e| is_var_name(&e.key)) {
                    // GitLab: `X: {value: …, description: …}`.
                    let value = t
                        .str(e.value)
                        .or_else(|| t.get_str(e.value, "value"))
                        .unwrap_or("");
                    self.emit(FactKind::Env, &e.key, value, e.offset);
                }
            }
            Node::Seq { items, .. } => {
                for &item in items {
                    if let Some(s) = t.str(item) {
                        let (name, value) = s.split_once('=').unwrap_or((s, ""));
                        if is_var_name(name.trim()) {
                            self.emit(FactKind::Env, name.trim(), value, t.offset(item));
                        }
                    } else if let Some(n) = t.get(item, "name") {
                        if let Some(name) = t.str(n).filter(|n| is_var_name(n)) {
                            let value = t.get_str(item, "value").unwrap_or("");
                            self.emit(FactKind::Env, name, value, t.offset(n));
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// `image: ollama/ollama:0.3`, or Helm's `image: {registry, repository, tag}`.
    fn image(&mut self, id: NodeId) {
        let t = self.tree;
        if let Some(s) = t.str(id) {
            let s = s.trim();
            if !s.is_empty()
                && !s.contains(char::is_whitespace)
                && s.contains(|c: char| c.is_ascii_alphabetic())
            {
                self.emit(FactKind::Image, "image", s, t.offset(id));
            }
        } else if let Some(repo) = t.get(id, "repository") {
            let Some(name) = t.str(repo).filter(|r| !r.trim().is_empty()) else {
                return;
            };
            let mut reference = match t.get_str(id, "registry").filter(|r| !r.is_empty()) {
                Some(reg) => format!("{}/{}", reg.trim_end_matches('/'), name),
                None => name.to_string(),
            };
            if let Some(tag) = t.get_str(id, "tag").filter(|r| !r.is_empty()) {
                reference = format!("{reference}:{tag}");
            }
            self.emit(FactKind::Image, "image", &reference, t.offset(repo));
        }
    }

    /// Kong (decK) `plugins: [{name: ai-proxy, config: …}]` → resource `kong:ai-proxy`.
    fn kong_plugins(&mut self, id: NodeId) {
        let t = self.tree;
        for &item in t.items(id) {
            if let Some(n) = t.get(item, "name") {
                if let Some(name) = t.str(n) {
                    let mut attrs = Vec::new();
                    if let Some(c) = t.get(item, "config") {
                        self.flatten(c, "config", &mut attrs, 0);
                    }
                    self.resource(&format!("kong:{name}"), attrs, t.offset(n));
                }
            }
        }
    }

    /// MCP servers of an AI client's config: one Key fact per server named
    /// `<container>.<server>` with `command args…` or the URL as value, Env facts for
    /// its `env`, Key facts `headers.<name>` for its headers. True when `key` held
    /// servers (its entries are then not walked generically).
    fn mcp_servers(
        &mut self,
        key: &str,
        parent: &str,
        id: NodeId,
        path: &str,
        key_offset: usize,
        depth: usize,
    ) -> bool {
        let container = match key {
            "mcpServers" | "mcp_servers" | "context_servers" | "modelContextProtocolServers" => {
                true
            }
            // VS Code `mcp.json` (top level) and `settings.json` (`mcp.servers`).
            "servers" => parent.is_empty() || parent == "mcp" || parent.ends_with(".mcp"),
            _ => false,
        };
        if !container {
            return false;
        }
        let t = self.tree;
        let servers: Vec<(String, usize, NodeId)> = match t.node(id) {
            Node::Map { entries, .. } => entries
                .iter()
                .filter(|e| t.is_map(e.value))
                .map(|e| (e.key.clone(), e.offset, e.value))
                .collect(),
            Node::Seq { items, .. } => items
                .iter()
                .filter_map(|&i| {
                    let n = t.get(i, "name")?;
                    Some((t.str(n)?.to_string(), t.offset(n), i))
                })
                .collect(),
            _ => Vec::new(),
        };
        if servers.is_empty() {
            return false;
        }
        self.emit(FactKind::Key, path, "", key_offset);
        for (name, offset, entry) in servers {
            let value = server_value(t, entry);
            self.emit(FactKind::Key, &format!("{path}.{name}"), &value, offset);
            for holder in [
                Some(entry),
                t.get(entry, "command"),
                t.get(entry, "transport"),
            ]
            .into_iter()
            .flatten()
            {
                if let Some(env) = t.get(holder, "env") {
                    self.env_block(env);
                }
                if let Some(h) = t.get(holder, "headers") {
                    for e in t.entries(h) {
                        let v = t.str(e.value).unwrap_or("");
                        self.emit(FactKind::Key, &format!("headers.{}", e.key), v, e.offset);
                    }
                }
            }
            self.refs_below(entry, depth + 1);
        }
        true
    }

    /// Scalar leaves below `id` as `prefix.path` attributes.
    fn flatten(
        &mut self,
        id: NodeId,
        prefix: &str,
        attrs: &mut Vec<(String, String)>,
        depth: usize,
    ) {
        if depth > 8 || attrs.len() >= MAX_ATTRS || self.visits >= MAX_VISITS {
            return;
        }
        self.visits += 1;
        let t = self.tree;
        match t.node(id) {
            Node::Scalar { value, .. } => attrs.push((prefix.to_string(), value.clone())),
            Node::Seq { items, .. } => {
                let p = format!("{prefix}[]");
                for &i in items {
                    self.flatten(i, &p, attrs, depth + 1);
                }
            }
            Node::Map { entries, .. } => {
                for e in entries {
                    self.flatten(e.value, &join(prefix, &e.key), attrs, depth + 1);
                }
            }
            Node::Alias { .. } => {}
        }
    }

    /// What a whole document declares by its shape.
    fn shapes(&mut self, doc: NodeId) {
        let t = self.tree;
        if let Node::Seq { items, .. } = t.node(doc) {
            self.consul(items);
            return;
        }
        if !t.is_map(doc) {
            return;
        }
        if t.get_str(doc, "apiVersion").is_some() && t.get_str(doc, "kind").is_some() {
            self.kubernetes(doc, 0);
        }
        if let Some(res) = t.get(doc, "Resources") {
            self.cloudformation(res);
        }
        let plan = t.get(doc, "format_version").is_some()
            && (t.get(doc, "resource_changes").is_some() || t.get(doc, "planned_values").is_some());
        if t.get(doc, "terraform_version").is_some() || plan {
            self.terraform_state(doc, 0);
        }
        for block in ["resource", "data"] {
            if let Some(types) = t.get(doc, block) {
                self.terraform_json(types);
            }
        }
        self.ssm(doc);
        self.vault(doc);
    }

    /// A Kubernetes object (or `kind: List` of them): a resource named by its kind with
    /// `spec` scalars as attributes; Secrets' `data` decoded; ConfigMap and Secret keys
    /// as variables; `KongPlugin`s as Kong plugins.
    fn kubernetes(&mut self, obj: NodeId, depth: usize) {
        let t = self.tree;
        let (Some(kind), Some(kind_entry)) = (t.get_str(obj, "kind"), t.entry(obj, "kind")) else {
            return;
        };
        let kind_offset = kind_entry.offset;
        if kind.ends_with("List") {
            if depth == 0 {
                if let Some(items) = t.get(obj, "items") {
                    for &item in t.items(items) {
                        self.kubernetes(item, depth + 1);
                    }
                }
            }
            return;
        }
        let mut attrs = Vec::new();
        if let Some(v) = t.get_str(obj, "apiVersion") {
            attrs.push(("apiVersion".to_string(), v.to_string()));
        }
        if let Some(n) = t.path(obj, "metadata.name").and_then(|n| t.str(n)) {
            attrs.push(("metadata.name".to_string(), n.to_string()));
        }
        if let Some(spec) = t.get(obj, "spec") {
            self.flatten(spec, "spec", &mut attrs, 0);
        }
        self.resource(kind, attrs, kind_offset);
        match kind {
            "Secret" => {
                if let Some(data) = t.get(obj, "data") {
                    for e in t.entries(data) {
                        if is_var_name(&e.key) {
                            self.emit(FactKind::Env, &e.key, "", e.offset);
                        }
                        let Some(raw) = t.str(e.value) else { continue };
                        if let Some(decoded) = decode_base64(raw) {
                            if !self.full() {
                                let mut f = ConfigFact::new(
                                    FactKind::Decoded,
                                    format!("data.{}", e.key),
                                    decoded,
                                    e.offset,
                                );
                                f.raw = raw.to_string();
                                self.out.push(f);
                            }
                        }
                    }
                }
                if let Some(data) = t.get(obj, "stringData") {
                    for e in t.entries(data).iter().filter(|e| is_var_name(&e.key)) {
                        self.emit(FactKind::Env, &e.key, "", e.offset);
                    }
                }
            }
            "ConfigMap" => {
                if let Some(data) = t.get(obj, "data") {
                    for e in t.entries(data).iter().filter(|e| is_var_name(&e.key)) {
                        let v = t.str(e.value).unwrap_or("");
                        self.emit(FactKind::Env, &e.key, v, e.offset);
                    }
                }
            }
            "KongPlugin" | "KongClusterPlugin" => {
                if let Some(plugin) = t.get_str(obj, "plugin") {
                    let mut attrs = Vec::new();
                    if let Some(c) = t.get(obj, "config") {
                        self.flatten(c, "config", &mut attrs, 0);
                    }
                    self.resource(&format!("kong:{plugin}"), attrs, kind_offset);
                }
            }
            _ => {}
        }
    }

    /// CloudFormation / SAM `Resources.<id>.Type` with `Properties` as attributes.
    fn cloudformation(&mut self, resources: NodeId) {
        let t = self.tree;
        for e in t.entries(resources) {
            let Some(ty) = t.get_str(e.value, "Type").filter(|ty| ty.contains("::")) else {
                continue;
            };
            let mut attrs = Vec::new();
            if let Some(p) = t.get(e.value, "Properties") {
                self.flatten(p, "", &mut attrs, 0);
            }
            self.resource(ty, attrs, e.offset);
        }
    }

    /// `terraform.tfstate` (`resources[].instances[].attributes`) and plan JSON
    /// (`resource_changes[].change.after`, `planned_values…resources[].values`).
    fn terraform_state(&mut self, id: NodeId, depth: usize) {
        if depth > 10 || self.visits >= MAX_VISITS {
            return;
        }
        self.visits += 1;
        let t = self.tree;
        match t.node(id) {
            Node::Map { entries, .. } => {
                if let (Some(ty), Some(ty_entry)) = (t.get_str(id, "type"), t.entry(id, "type")) {
                    let body = t
                        .get(id, "instances")
                        .and_then(|i| t.items(i).first().copied())
                        .and_then(|i| t.get(i, "attributes"))
                        .or_else(|| t.path(id, "change.after"))
                        .or_else(|| t.get(id, "values"));
                    if let Some(body) = body {
                        let mut attrs = Vec::new();
                        self.flatten(body, "", &mut attrs, 0);
                        self.resource(ty, attrs, ty_entry.offset);
                        return;
                    }
                }
                for e in entries {
                    self.terraform_state(e.value, depth + 1);
                }
            }
            Node::Seq { items, .. } => {
                for &i in items {
                    self.terraform_state(i, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// Terraform JSON syntax (`*.tf.json`): `resource.<type>.<name>`.
    fn terraform_json(&mut self, types: NodeId) {
        let t = self.tree;
        for ty in t.entries(types) {
            for name in t.entries(ty.value) {
                if !t.is_map(name.value) {
                    continue;
                }
                let mut attrs = Vec::new();
                self.flatten(name.value, "", &mut attrs, 0);
                self.resource(&ty.key, attrs, name.offset);
            }
        }
    }

    /// Consul `consul kv export`: `[{"key": "a/b", "flags": 0, "value": base64}]`.
    fn consul(&mut self, items: &[NodeId]) {
        let t = self.tree;
        let is_export = !items.is_empty()
            && items
                .iter()
                .all(|&i| t.get_str(i, "key").is_some() && t.get(i, "value").is_some());
        if !is_export {
            return;
        }
        for &item in items {
            let (Some(k), Some(v)) = (t.get(item, "key"), t.get(item, "value")) else {
                continue;
            };
            let key = t.str(k).unwrap_or_default();
            let name = slash_path(key);
            let raw = t.str(v).unwrap_or("");
            let decoded = decode_base64(raw);
            if let Some(text) = &decoded {
                if !self.full() {
                    let mut f = ConfigFact::new(FactKind::Decoded, &name, text, t.offset(v));
                    f.raw = raw.to_string();
                    self.out.push(f);
                }
            }
            // The decoded value is matched through its Decoded fact, at its own line.
            self.emit(FactKind::Key, &name, "", t.offset(k));
            if let Some(last) = key.rsplit('/').next().filter(|l| is_var_name(l)) {
                self.emit(FactKind::Env, last, "", t.offset(k));
            }
        }
    }

    /// AWS `ssm get-parameters(-by-path)` / `get-parameter`: `Parameters[].Name/Value`.
    fn ssm(&mut self, doc: NodeId) {
        let t = self.tree;
        let params: Vec<NodeId> = match (t.get(doc, "Parameters"), t.get(doc, "Parameter")) {
            (Some(list), _) => t.items(list).to_vec(),
            (None, Some(one)) => vec![one],
            _ => return,
        };
        for p in params {
            let Some(n) = t.get(p, "Name") else { continue };
            let Some(name) = t.str(n) else { continue };
            // The value is matched where it stands, as `Parameters[].Value`.
            self.emit(FactKind::Key, &slash_path(name), "", t.offset(n));
            if let Some(last) = name.rsplit('/').next().filter(|l| is_var_name(l)) {
                self.emit(FactKind::Env, last, "", t.offset(n));
            }
        }
    }

    /// Vault `kv get -format=json`: `data.data.*` (KV v2) or `data.*` (KV v1).
    fn vault(&mut self, doc: NodeId) {
        let t = self.tree;
        if t.get(doc, "request_id").is_none() && t.get(doc, "lease_duration").is_none() {
            return;
        }
        let Some(data) = t.get(doc, "data") else {
            return;
        };
        let inner = match t.get(data, "data") {
            Some(d) if t.get(data, "metadata").is_some() => d,
            _ => data,
        };
        for e in t.entries(inner).iter().filter(|e| is_var_name(&e.key)) {
            let v = t.str(e.value).unwrap_or("");
            self.emit(FactKind::Env, &e.key, v, e.offset);
        }
    }
}

/// `command args…` of an MCP server entry, or its URL.
fn server_value(t: &Tree, entry: NodeId) -> String {
    let holder = t
        .get(entry, "transport")
        .filter(|&h| t.is_map(h))
        .unwrap_or(entry);
    let (command, args) = match t.get(holder, "command") {
        // Zed: `command: {path, args, env}`.
        Some(c) if t.is_map(c) => (t.get_str(c, "path"), t.get(c, "args")),
        Some(c) => (t.str(c), t.get(holder, "args")),
        None => (None, None),
    };
    if let Some(cmd) = command {
        let mut line = cmd.to_string();
        for &a in args.map(|a| t.items(a)).unwrap_or(&[]) {
            if let Some(s) = t.str(a) {
                line.push(' ');
                line.push_str(s);
            }
        }
        return line;
    }
    ["url", "serverUrl", "httpUrl", "uri"]
        .iter()
        .find_map(|k| t.get_str(holder, k))
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::super::yaml;
    use super::*;

    fn names(facts: &[ConfigFact], kind: FactKind) -> Vec<String> {
        facts
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| format!("{}={}", f.name, f.value))
            .collect()
    }

    #[test]
    fn compose_env_images_and_references() {
        let text = "x-env: &env\n  LANGFUSE_HOST: http://langfuse:3000\nservices:\n  api:\n    image: ghcr.io/berriai/litellm:main\n    environment:\n      - OPENAI_API_KEY=${OPENAI_API_KEY}\n      - DEBUG\n  web:\n    environment:\n      <<: *env\n      ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}\n";
        let t = yaml::parse(text).unwrap();
        let f = facts(&t, text);
        assert_eq!(
            names(&f, FactKind::Image),
            vec!["image=ghcr.io/berriai/litellm:main"]
        );
        let env = names(&f, FactKind::Env);
        for want in [
            "OPENAI_API_KEY=${OPENAI_API_KEY}",
            "DEBUG=",
            "ANTHROPIC_API_KEY=${{ secrets.ANTHROPIC_API_KEY }}",
        ] {
            assert!(env.contains(&want.to_string()), "{env:?}");
        }
        // The reference inside the value names the variable, at its own position.
        let r = f
            .iter()
            .filter(|f| f.kind == FactKind::Env && f.name == "OPENAI_API_KEY")
            .map(|f| f.offset)
            .max()
            .unwrap();
        assert!(text[r..].starts_with("OPENAI_API_KEY}"));
        assert!(f.iter().any(|f| f.name == "services.api.image"));
    }

    #[test]
    fn kubernetes_secret_is_decoded_and_list_items_are_objects() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  data:\n    OPENAI_API_KEY: c2stdGVzdA==\n- apiVersion: serving.kserve.io/v1beta1\n  kind: InferenceService\n  spec:\n    predictor:\n      model:\n        modelFormat:\n          name: huggingface\n";
        let t = yaml::parse(text).unwrap();
        let f = facts(&t, text);
        let d = f.iter().find(|f| f.kind == FactKind::Decoded).unwrap();
        assert_eq!(
            (d.value.as_str(), d.raw.as_str()),
            ("sk-test", "c2stdGVzdA==")
        );
        assert!(text[d.offset..].starts_with("OPENAI_API_KEY"));
        let isvc = f.iter().find(|f| f.name == "InferenceService").unwrap();
        assert!(isvc.attrs.contains(&(
            "spec.predictor.model.modelFormat.name".into(),
            "huggingface".into()
        )));
    }

    #[test]
    fn mcp_servers_one_fact_each() {
        let text = "{\"mcpServers\": {\"github\": {\"command\": \"npx\", \"args\": [\"-y\", \"@modelcontextprotocol/server-github\"], \"env\": {\"GITHUB_PERSONAL_ACCESS_TOKEN\": \"${env:GH}\"}}, \"docs\": {\"url\": \"https://mcp.example.com/sse\", \"headers\": {\"Authorization\": \"Bearer ${DOCS_TOKEN}\"}}}}";
        let t = super::super::json::parse(text).unwrap();
        let f = facts(&t, text);
        let keys = names(&f, FactKind::Key);
        assert_eq!(
            keys,
            vec![
                "mcpServers=",
                "mcpServers.github=npx -y @modelcontextprotocol/server-github",
                "mcpServers.docs=https://mcp.example.com/sse",
                "headers.Authorization=Bearer ${DOCS_TOKEN}",
            ]
        );
        let env = names(&f, FactKind::Env);
        assert!(env.contains(&"GITHUB_PERSONAL_ACCESS_TOKEN=${env:GH}".to_string()));
        assert!(env.contains(&"DOCS_TOKEN=".to_string()));
    }

    #[test]
    fn nested_aliases_are_bounded() {
        // Nine levels of ten aliases each would be 10^9 nodes if expanded.
        let mut text = String::from("a0: &a0 [x, y]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let t = yaml::parse(&text).unwrap();
        let f = facts(&t, &text);
        assert!(f.len() < MAX_FACTS);
    }

    #[test]
    fn base64_only_when_it_is_text() {
        assert_eq!(decode_base64("aGVsbG8="), Some("hello".into()));
        assert_eq!(decode_base64("AAECAw=="), None);
        assert_eq!(decode_base64("not base64!"), None);
    }
}
