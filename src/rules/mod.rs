//! Rule packs: the raw serde form ([`RuleSyntax`]), its validation into a compiled
//! [`Rule`], and the [`RuleSet`] every scan runs.
//!
//! All validation happens in `RuleSyntax` → `Rule`; a problem is a [`RuleError`] that
//! names the file, the rule id and the field. The built-in pack is every `rules/*.yaml`
//! file, embedded at build time so the binary needs nothing beside it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::{Ecosystem, Kind, LangFamily};

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// A problem in a rule pack; names the file, and the rule id when one could be read.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// The file could not be read.
    #[error("{file}: cannot read rule file: {source}")]
    Read {
        /// The file.
        file: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid YAML or lacks a top-level `rules:` list.
    #[error("{file}: {message}")]
    File {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// One rule is invalid.
    #[error("{file}: rule `{id}`: {field}: {message}")]
    Rule {
        /// The file.
        file: String,
        /// The rule id, or `#N` when the rule has no readable id.
        id: String,
        /// The offending field (`-` when serde could not tell).
        field: String,
        /// What is wrong and what to do.
        message: String,
    },
}

/// The raw, serde form of a rule pack file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackSyntax {
    rules: Vec<serde_yaml::Value>,
}

/// A built-in pack, as build.rs wrote it.
#[derive(Debug, Deserialize)]
struct PackJson {
    rules: Vec<serde_json::Value>,
}

/// The raw, serde form of one rule, exactly as written in YAML.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSyntax {
    /// See `rules/README.md` for every field.
    pub id: String,
    /// Human name.
    pub name: String,
    /// Evidence kind.
    pub kind: Kind,
    /// Canonical name of what the rule identifies.
    pub identifies: String,
    /// Prefilter keywords.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Matchers.
    #[serde(rename = "match")]
    pub matchers: MatchSyntax,
    /// What the evidence means.
    pub description: String,
    /// Reference URLs.
    #[serde(default)]
    pub references: Vec<String>,
    /// Texts that must be detected.
    #[serde(default)]
    pub examples: Vec<Example>,
    /// Texts that must not be detected.
    #[serde(default)]
    pub negative_examples: Vec<Example>,
}

/// The raw `match:` block.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchSyntax {
    /// Module names per language family.
    #[serde(default)]
    pub imports: BTreeMap<LangFamily, Vec<String>>,
    /// Package names per ecosystem.
    #[serde(default)]
    pub packages: BTreeMap<Ecosystem, Vec<String>>,
    /// Path globs.
    #[serde(default)]
    pub files: Vec<String>,
    /// A regex over the text.
    #[serde(default)]
    pub regex: Option<String>,
    /// Minimum Shannon entropy (bits per byte) of the `secret` capture.
    #[serde(default)]
    pub entropy: Option<f64>,
    /// Calls per language family: `qualified.name`, `qualified.name(arg-glob)`, or
    /// `*.method(arg-glob)` for any receiver.
    #[serde(default)]
    pub calls: BTreeMap<LangFamily, Vec<String>>,
    /// Host globs of provider endpoints (`api.openai.com`, `*.openai.azure.com`,
    /// `*:11434`), matched against URL string literals.
    #[serde(default)]
    pub endpoints: Vec<String>,
    /// A regex that a whole string literal must match to be a model id of this rule.
    #[serde(default)]
    pub models: Option<String>,
    /// Environment variable names (`*` globs) declared in env files, compose,
    /// Kubernetes, CI, or read by code (`os.environ["X"]`, `process.env.X`).
    #[serde(default)]
    pub env: Vec<String>,
    /// Container images (`*` globs, without tag or digest; a registry prefix is
    /// optional): `ollama/ollama`, `ghcr.io/berriai/litellm*`.
    #[serde(default)]
    pub images: Vec<String>,
    /// Infrastructure resource types, optionally with one attribute condition:
    /// `aws_bedrockagent_agent`, `AWS::Bedrock::Agent`,
    /// `azurerm_cognitive_account[kind=OpenAI]`.
    #[serde(default)]
    pub resources: Vec<String>,
    /// Configuration key paths (`*` globs over the dotted path): `spring.ai.openai.*`,
    /// `mcpServers.*`.
    #[serde(default)]
    pub keys: Vec<String>,
    /// Argument or property names (`model`, `azure_deployment`) whose string value is a
    /// deployment name of this rule's provider — only in a file that imports or calls
    /// that provider, and only when no model rule recognises the value.
    #[serde(default)]
    pub deployments: Vec<String>,
}

/// A rule example: a file path (which selects the detector) and its text.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// File path, e.g. `app.py` or `package.json`.
    pub path: String,
    /// File contents.
    pub text: String,
}

/// A compiled module-name pattern.
#[derive(Clone, Debug)]
pub struct ModulePattern {
    /// The module name, without a trailing `*`.
    pub name: String,
    /// Ends in `*`: any module starting with `name` matches.
    pub prefix: bool,
    /// `module:Name` form: only an import of `Name` from `module` matches.
    pub imported: Option<String>,
}

impl ModulePattern {
    fn parse(raw: &str) -> Result<Self, String> {
        // A lone `:` separates `module:Name`; `::` is part of a Rust path.
        let lone_colon = raw
            .char_indices()
            .find(|&(i, c)| c == ':' && !raw[..i].ends_with(':') && !raw[i + 1..].starts_with(':'));
        let (module, imported) = match lone_colon.map(|(i, _)| (&raw[..i], &raw[i + 1..])) {
            Some((m, n)) if !n.is_empty() && !n.contains('*') => (m, Some(n.to_string())),
            Some(_) => return Err(format!("`{raw}`: after `:` give one imported name")),
            None => (raw, None),
        };
        let (name, prefix) = match module.strip_suffix('*') {
            Some(n) => (n, true),
            None => (module, false),
        };
        if name.is_empty() || name.contains('*') || name.contains(char::is_whitespace) {
            return Err(format!(
                "`{raw}`: a module pattern is a name, optionally ending in `*`"
            ));
        }
        if prefix && imported.is_some() {
            return Err(format!("`{raw}`: `*` and `:Name` cannot be combined"));
        }
        Ok(ModulePattern {
            name: name.to_string(),
            prefix,
            imported,
        })
    }

    /// Does an import of `module` (naming `imported`, for `from m import x`) match?
    /// `sep` is the submodule separator of the language (`.`, `/` or `::`).
    pub fn matches(&self, module: &str, imported: Option<&str>, sep: &str) -> bool {
        if let Some(want) = &self.imported {
            // `from m import Name`, or `import m.Name`.
            return (module == self.name && imported == Some(want.as_str()))
                || (module.len() == self.name.len() + sep.len() + want.len()
                    && module.starts_with(&self.name)
                    && module[self.name.len()..].starts_with(sep)
                    && module.ends_with(want.as_str()));
        }
        if self.prefix {
            return module.starts_with(&self.name);
        }
        module == self.name
            || (module.len() > self.name.len()
                && module.starts_with(&self.name)
                && module[self.name.len()..].starts_with(sep))
    }
}

/// A value built on first use from its source text (a regex), once per process.
pub struct Lazy<T> {
    src: String,
    cell: std::sync::OnceLock<Result<T, String>>,
    build: fn(&str) -> Result<T, String>,
}

impl<T> fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Lazy({:?})", self.src)
    }
}

impl<T> Lazy<T> {
    fn new(src: &str, build: fn(&str) -> Result<T, String>) -> Self {
        Lazy {
            src: src.to_string(),
            cell: std::sync::OnceLock::new(),
            build,
        }
    }

    /// The value, built now if it was not yet; `None` when its source is invalid.
    pub fn get(&self) -> Option<&T> {
        self.check().ok()
    }

    /// The value, or why it cannot be built.
    pub fn check(&self) -> Result<&T, String> {
        self.cell
            .get_or_init(|| (self.build)(&self.src))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The source text.
    pub fn as_str(&self) -> &str {
        &self.src
    }
}

fn build_bytes_regex(src: &str) -> Result<regex::bytes::Regex, String> {
    regex::bytes::RegexBuilder::new(src)
        .size_limit(8 << 20)
        .build()
        .map_err(|e| e.to_string())
}

fn build_str_regex(src: &str) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(src)
        .size_limit(8 << 20)
        .build()
        .map_err(|e| e.to_string())
}

/// A compiled call pattern.
#[derive(Clone, Debug)]
pub struct CallPattern {
    /// The qualified callee (`boto3.client`), or the method name after `*.`.
    pub callee: String,
    /// `*.method`: any receiver.
    pub any_receiver: bool,
    /// A glob (`*` wildcard) the first string argument must match.
    pub first_arg: Option<String>,
}

impl CallPattern {
    fn parse(raw: &str) -> Result<Self, String> {
        let (callee, arg) = match raw.split_once('(') {
            Some((c, rest)) => {
                let arg = rest
                    .strip_suffix(')')
                    .ok_or_else(|| format!("`{raw}`: close the argument with `)`"))?;
                (
                    c,
                    Some(arg.trim_matches(|c| c == '"' || c == '\'').to_string()),
                )
            }
            None => (raw, None),
        };
        let (callee, any_receiver) = match callee.strip_prefix("*.") {
            Some(m) => (m, true),
            None => (callee, false),
        };
        if callee.is_empty() || callee.contains(char::is_whitespace) || callee.contains('*') {
            return Err(format!(
                "`{raw}`: a call pattern is `name.path`, `name.path(arg)` or `*.method(arg)`"
            ));
        }
        Ok(CallPattern {
            callee: callee.to_string(),
            any_receiver,
            first_arg: arg,
        })
    }

    /// Does a call of `qualified` (resolved through imports, if it was) written as
    /// `written`, with first string argument `first_arg`, match? `sep` joins members.
    pub fn matches(
        &self,
        qualified: Option<&str>,
        written: &str,
        first_arg: Option<&str>,
        sep: &str,
    ) -> bool {
        let callee_ok = if self.any_receiver {
            let last = written.rsplit('.').next().unwrap_or(written);
            last == self.callee
        } else {
            let want = self.callee.replace('.', sep);
            qualified.is_some_and(|q| q == want || q == self.callee)
        };
        callee_ok
            && match (&self.first_arg, first_arg) {
                (None, _) => true,
                (Some(glob), Some(arg)) => wildcard(glob, arg),
                (Some(_), None) => false,
            }
    }
}

/// A compiled endpoint host pattern.
#[derive(Clone, Debug)]
pub struct HostPattern {
    /// Lowercase host glob (`*` matches any run of characters).
    pub host: String,
    /// Required port, if the pattern names one.
    pub port: Option<String>,
}

impl HostPattern {
    fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim().to_ascii_lowercase();
        if raw.is_empty() || raw.contains('/') || raw.contains(char::is_whitespace) {
            return Err(format!(
                "`{raw}`: an endpoint is a host glob, optionally with `:port`"
            ));
        }
        let (host, port) = match raw.rsplit_once(':') {
            Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() => {
                (h.to_string(), Some(p.to_string()))
            }
            _ => (raw.clone(), None),
        };
        Ok(HostPattern { host, port })
    }

    /// Does the URL `url` point at this host?
    pub fn matches_url(&self, url: &str) -> bool {
        let Some((host, port)) = url_host(url) else {
            return false;
        };
        wildcard(&self.host, &host)
            && self
                .port
                .as_deref()
                .is_none_or(|p| port.as_deref() == Some(p))
    }
}

/// Host (lowercase) and port of an `http(s)://` or `ws(s)://` URL.
pub fn url_host(url: &str) -> Option<(String, Option<String>)> {
    let rest = ["https://", "http://", "wss://", "ws://"]
        .iter()
        .find_map(|s| {
            url.get(..s.len())
                .filter(|p| p.eq_ignore_ascii_case(s))
                .map(|_| &url[s.len()..])
        })?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => (h, Some(p.to_string())),
        _ => (authority, None),
    };
    if host.is_empty() {
        return None;
    }
    Some((host.to_ascii_lowercase(), port))
}

/// `*`-only glob matching over the whole of `text`.
pub fn wildcard(glob: &str, text: &str) -> bool {
    let parts: Vec<&str> = glob.split('*').collect();
    if parts.len() == 1 {
        return glob == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first)
        || !text[first.len()..].ends_with(last)
        || text.len() < first.len() + last.len()
    {
        return false;
    }
    let mut pos = first.len();
    let end = text.len() - last.len();
    for mid in &parts[1..parts.len() - 1] {
        match text[pos..end].find(mid) {
            Some(i) => pos += i + mid.len(),
            None => return false,
        }
    }
    true
}

impl ModulePattern {
    /// Does a call of the qualified name `q` (`openai.OpenAI`, `agents.Runner.run`) go
    /// through a module this pattern names?
    pub fn matches_call(&self, q: &str, sep: &str) -> bool {
        match &self.imported {
            Some(want) => {
                let base = format!("{}{sep}{want}", self.name);
                q == base || (q.starts_with(&base) && q[base.len()..].starts_with(sep))
            }
            None => self.matches(q, None, sep),
        }
    }
}

/// A compiled package-name pattern (already normalised for its ecosystem).
#[derive(Clone, Debug)]
pub struct PackagePattern {
    /// Normalised name without a trailing `*`.
    pub name: String,
    /// Ends in `*`.
    pub prefix: bool,
}

impl PackagePattern {
    fn parse(raw: &str, eco: Ecosystem) -> Result<Self, String> {
        let (name, prefix) = match raw.strip_suffix('*') {
            Some(n) => (n, true),
            None => (raw, false),
        };
        if name.is_empty() || name.contains('*') || name.contains(char::is_whitespace) {
            return Err(format!(
                "`{raw}`: a package pattern is a name, optionally ending in `*`"
            ));
        }
        Ok(PackagePattern {
            name: normalize_package(name, eco),
            prefix,
        })
    }

    /// Does the (already normalised) package `name` match?
    pub fn matches(&self, name: &str) -> bool {
        if self.prefix {
            name.starts_with(&self.name)
        } else {
            name == self.name
        }
    }
}

/// Normalises a package name the way its ecosystem compares names (PEP 503 for PyPI).
pub fn normalize_package(name: &str, eco: Ecosystem) -> String {
    match eco {
        Ecosystem::Pypi => {
            let mut out = String::with_capacity(name.len());
            let mut last_sep = false;
            for c in name.chars() {
                if matches!(c, '-' | '_' | '.') {
                    if !last_sep {
                        out.push('-');
                    }
                    last_sep = true;
                } else {
                    out.push(c.to_ascii_lowercase());
                    last_sep = false;
                }
            }
            out
        }
        Ecosystem::Npm | Ecosystem::Go | Ecosystem::Maven => name.to_string(),
        Ecosystem::Nuget => name.to_ascii_lowercase(),
        Ecosystem::Cargo => name.to_ascii_lowercase().replace('_', "-"),
    }
}

/// A validated, compiled rule.
#[derive(Debug)]
pub struct Rule {
    /// Unique dotted id.
    pub id: String,
    /// Human name.
    pub name: String,
    /// Evidence kind.
    pub kind: Kind,
    /// Canonical name of what it identifies.
    pub identifies: String,
    /// Prefilter keywords.
    pub keywords: Vec<String>,
    /// Module patterns per language family.
    pub imports: BTreeMap<LangFamily, Vec<ModulePattern>>,
    /// Package patterns per ecosystem.
    pub packages: BTreeMap<Ecosystem, Vec<PackagePattern>>,
    /// Path globs, as written.
    pub files: Vec<String>,
    /// Path globs, compiled.
    pub file_globs: Option<GlobSet>,
    /// Text regex (compiled on first use for the built-in pack).
    pub regex: Option<Lazy<regex::bytes::Regex>>,
    /// Minimum entropy of the `secret` capture.
    pub entropy: Option<f64>,
    /// Call patterns per language family.
    pub calls: BTreeMap<LangFamily, Vec<CallPattern>>,
    /// Endpoint host patterns.
    pub endpoints: Vec<HostPattern>,
    /// Model-id regex over whole string literals.
    pub models: Option<Lazy<regex::Regex>>,
    /// Environment variable globs.
    pub env: Vec<String>,
    /// Container image globs.
    pub images: Vec<String>,
    /// Resource types with an optional `(attribute, value)` condition.
    pub resources: Vec<(String, Option<(String, String)>)>,
    /// Configuration key-path globs.
    pub keys: Vec<String>,
    /// Argument names that carry a deployment name of this rule's provider.
    pub deployments: Vec<String>,
    /// What the evidence means.
    pub description: String,
    /// Reference URLs.
    pub references: Vec<String>,
    /// Positive examples.
    pub examples: Vec<Example>,
    /// Negative examples.
    pub negative_examples: Vec<Example>,
    /// The pack file it came from (`builtin:providers.yaml` or a path).
    pub source: String,
}

impl Rule {
    /// Import patterns for `lang`.
    pub fn imports(&self, lang: LangFamily) -> &[ModulePattern] {
        self.imports.get(&lang).map_or(&[], Vec::as_slice)
    }

    /// Package patterns for `eco`.
    pub fn packages(&self, eco: Ecosystem) -> &[PackagePattern] {
        self.packages.get(&eco).map_or(&[], Vec::as_slice)
    }

    /// Call patterns for `lang`.
    pub fn calls(&self, lang: LangFamily) -> &[CallPattern] {
        self.calls.get(&lang).map_or(&[], Vec::as_slice)
    }

    /// True when the rule matches by file name alone (only `match.files`).
    pub fn is_name_only(&self) -> bool {
        self.imports.is_empty()
            && self.packages.is_empty()
            && self.regex.is_none()
            && self.calls.is_empty()
            && self.endpoints.is_empty()
            && self.models.is_none()
            && self.deployments.is_empty()
            && !self.wants_config()
    }

    /// True when the rule matches configuration facts (env, images, resources, keys).
    pub fn wants_config(&self) -> bool {
        !self.env.is_empty()
            || !self.images.is_empty()
            || !self.resources.is_empty()
            || !self.keys.is_empty()
    }

    /// True when the rule looks at string literals (endpoints or model ids).
    pub fn wants_literals(&self) -> bool {
        !self.endpoints.is_empty() || self.models.is_some() || !self.deployments.is_empty()
    }

    fn from_syntax(syn: RuleSyntax, file: &str, eager: bool) -> Result<Rule, RuleError> {
        let err = |field: &str, message: String| RuleError::Rule {
            file: file.to_string(),
            id: syn.id.clone(),
            field: field.to_string(),
            message,
        };
        if !valid_id(&syn.id) {
            return Err(err(
                "id",
                "must be lowercase and dotted, `kind.subject[.variant]` (a-z, 0-9, `-`, `_`)"
                    .into(),
            ));
        }
        if !syn.id.starts_with(&format!("{}.", syn.kind.as_str())) {
            // Ids name what is found; starting with the kind keeps `rules list` scannable.
            return Err(err(
                "id",
                format!("must start with its kind, `{}.`", syn.kind.as_str()),
            ));
        }
        for (field, value) in [
            ("name", &syn.name),
            ("identifies", &syn.identifies),
            ("description", &syn.description),
        ] {
            if value.trim().is_empty() {
                return Err(err(field, "must not be empty".into()));
            }
        }
        if syn.identifies != syn.identifies.to_lowercase() {
            return Err(err("identifies", "must be lowercase".into()));
        }
        if syn.keywords.iter().any(|k| k.is_empty()) {
            return Err(err(
                "keywords",
                "an empty keyword would match every file".into(),
            ));
        }
        let m = &syn.matchers;
        if syn.keywords.is_empty() && m.files.is_empty() {
            return Err(err(
                "keywords",
                "give at least one keyword (or `match.files`), or the rule never runs".into(),
            ));
        }
        let mut imports = BTreeMap::new();
        for (lang, raw) in &m.imports {
            let pats = raw
                .iter()
                .map(|p| ModulePattern::parse(p))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| err(&format!("match.imports.{}", lang_key(*lang)), e))?;
            if !pats.is_empty() {
                imports.insert(*lang, pats);
            }
        }
        let mut packages = BTreeMap::new();
        for (eco, raw) in &m.packages {
            let pats = raw
                .iter()
                .map(|p| PackagePattern::parse(p, *eco))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| err(&format!("match.packages.{}", eco_key(*eco)), e))?;
            if !pats.is_empty() {
                packages.insert(*eco, pats);
            }
        }
        let mut calls = BTreeMap::new();
        for (lang, raw) in &m.calls {
            let pats = raw
                .iter()
                .map(|p| CallPattern::parse(p))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| err(&format!("match.calls.{}", lang_key(*lang)), e))?;
            if !pats.is_empty() {
                calls.insert(*lang, pats);
            }
        }
        let endpoints = m
            .endpoints
            .iter()
            .map(|p| HostPattern::parse(p))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| err("match.endpoints", e))?;
        let models = m.models.as_ref().map(|r| Lazy::new(r, build_str_regex));
        if let (true, Some(l)) = (eager, &models) {
            l.check().map_err(|e| err("match.models", e))?;
        }
        let mut resources = Vec::new();
        for r in &m.resources {
            let parsed = match r.split_once('[') {
                Some((ty, cond)) => {
                    let cond = cond
                        .strip_suffix(']')
                        .and_then(|c| c.split_once('='))
                        .ok_or_else(|| {
                            err(
                                "match.resources",
                                format!("`{r}`: write `type[attribute=value]`"),
                            )
                        })?;
                    (
                        ty.to_string(),
                        Some((cond.0.trim().to_string(), cond.1.trim().to_string())),
                    )
                }
                None => (r.clone(), None),
            };
            if parsed.0.is_empty() || parsed.0.contains(char::is_whitespace) {
                return Err(err(
                    "match.resources",
                    format!("`{r}`: a resource type has no spaces"),
                ));
            }
            resources.push(parsed);
        }
        for (field, globs) in [
            ("match.env", &m.env),
            ("match.images", &m.images),
            ("match.keys", &m.keys),
        ] {
            if globs
                .iter()
                .any(|g| g.is_empty() || g.contains(char::is_whitespace))
            {
                return Err(err(
                    field,
                    "a pattern is a name with optional `*`, no spaces".into(),
                ));
            }
        }
        let file_globs = if m.files.is_empty() {
            None
        } else {
            let mut b = GlobSetBuilder::new();
            for g in &m.files {
                b.add(Glob::new(g).map_err(|e| err("match.files", format!("`{g}`: {e}")))?);
            }
            Some(b.build().map_err(|e| err("match.files", e.to_string()))?)
        };
        let regex = m.regex.as_ref().map(|r| Lazy::new(r, build_bytes_regex));
        // User packs are compiled now, so a bad regex is an error naming the file and
        // rule; the built-in pack compiles each regex on first use (its tests compile
        // them all), which keeps start-up cheap for the pre-commit hook.
        let compiled = match (&regex, eager) {
            (Some(l), true) => Some(l.check().map_err(|e| err("match.regex", e))?),
            _ => None,
        };
        if let Some(e) = m.entropy {
            if !(0.0..=8.0).contains(&e) {
                return Err(err(
                    "match.entropy",
                    "bits per byte: between 0 and 8".into(),
                ));
            }
            if regex.is_none()
                || compiled.is_some_and(|re| !re.capture_names().any(|n| n == Some("secret")))
            {
                return Err(err(
                    "match.entropy",
                    "applies to a regex with a `secret` capture".into(),
                ));
            }
        }
        if let Some(re) = compiled {
            let has_secret = re.capture_names().any(|n| n == Some("secret"));
            if syn.kind == Kind::Secret && !has_secret {
                return Err(err(
                    "match.regex",
                    "a secret rule needs a named capture `(?P<secret>…)` so the value can be redacted".into(),
                ));
            }
        }
        if imports.is_empty()
            && packages.is_empty()
            && calls.is_empty()
            && endpoints.is_empty()
            && models.is_none()
            && file_globs.is_none()
            && regex.is_none()
            && m.env.is_empty()
            && m.images.is_empty()
            && resources.is_empty()
            && m.keys.is_empty()
            && m.deployments.is_empty()
        {
            return Err(err("match", "has no matcher".into()));
        }
        if syn.references.is_empty() {
            return Err(err("references", "give at least one reference URL".into()));
        }
        if syn.examples.is_empty() {
            return Err(err("examples", "give at least one positive example".into()));
        }
        if syn.negative_examples.is_empty() {
            return Err(err(
                "negative_examples",
                "give at least one negative example".into(),
            ));
        }
        Ok(Rule {
            id: syn.id,
            name: syn.name,
            kind: syn.kind,
            identifies: syn.identifies,
            keywords: syn.keywords,
            imports,
            packages,
            files: syn.matchers.files,
            file_globs,
            regex,
            entropy: syn.matchers.entropy,
            calls,
            endpoints,
            models,
            env: syn.matchers.env.clone(),
            images: syn.matchers.images.clone(),
            resources,
            keys: syn.matchers.keys.clone(),
            deployments: syn.matchers.deployments.clone(),
            description: syn.description.trim().to_string(),
            references: syn.references,
            examples: syn.examples,
            negative_examples: syn.negative_examples,
            source: file.to_string(),
        })
    }
}

fn lang_key(l: LangFamily) -> &'static str {
    match l {
        LangFamily::Python => "python",
        LangFamily::JavaScript => "javascript",
        LangFamily::Go => "go",
        LangFamily::Java => "java",
        LangFamily::CSharp => "csharp",
        LangFamily::Rust => "rust",
    }
}

fn eco_key(e: Ecosystem) -> &'static str {
    match e {
        Ecosystem::Pypi => "pypi",
        Ecosystem::Npm => "npm",
        Ecosystem::Go => "go",
        Ecosystem::Maven => "maven",
        Ecosystem::Nuget => "nuget",
        Ecosystem::Cargo => "cargo",
    }
}

fn valid_id(id: &str) -> bool {
    let mut parts = id.split('.');
    let first_ok = parts
        .next()
        .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()));
    let rest: Vec<&str> = parts.collect();
    first_ok
        && !rest.is_empty()
        && rest.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        })
}

/// Every rule a scan runs, in a stable order (by id).
#[derive(Debug, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    /// The built-in pack (every `rules/*.yaml` of the source tree).
    pub fn builtin() -> Result<RuleSet, RuleError> {
        let mut set = RuleSet::default();
        for (name, text) in BUILTIN_RULES {
            set.add_builtin(&format!("builtin:{name}"), text)?;
        }
        set.finish()?;
        Ok(set)
    }

    /// The built-in pack plus every `*.yaml`/`*.yml` under each of `dirs`.
    pub fn with_dirs(dirs: &[PathBuf]) -> Result<RuleSet, RuleError> {
        let mut set = RuleSet::default();
        for (name, text) in BUILTIN_RULES {
            set.add_builtin(&format!("builtin:{name}"), text)?;
        }
        for dir in dirs {
            set.add_dir(dir)?;
        }
        set.finish()?;
        Ok(set)
    }

    /// Only the packs under `dirs`, without the built-in one.
    pub fn only_dirs(dirs: &[PathBuf]) -> Result<RuleSet, RuleError> {
        let mut set = RuleSet::default();
        for dir in dirs {
            set.add_dir(dir)?;
        }
        set.finish()?;
        Ok(set)
    }

    fn add_dir(&mut self, dir: &Path) -> Result<(), RuleError> {
        let mut files: Vec<PathBuf> = Vec::new();
        if dir.is_file() {
            files.push(dir.to_path_buf());
        } else {
            let entries = std::fs::read_dir(dir).map_err(|source| RuleError::Read {
                file: dir.display().to_string(),
                source,
            })?;
            for entry in entries.flatten() {
                let p = entry.path();
                if matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("yaml") | Some("yml")
                ) {
                    files.push(p);
                }
            }
        }
        files.sort();
        for f in files {
            let name = f.display().to_string();
            let text = std::fs::read_to_string(&f).map_err(|source| RuleError::Read {
                file: name.clone(),
                source,
            })?;
            self.add_pack(&name, &text)?;
        }
        Ok(())
    }

    /// Parses one pack file's text and adds its rules.
    pub fn add_pack(&mut self, file: &str, text: &str) -> Result<(), RuleError> {
        let pack: PackSyntax = serde_yaml::from_str(text).map_err(|e| RuleError::File {
            file: file.to_string(),
            message: format!("not a rule pack (expected a top-level `rules:` list): {e}"),
        })?;
        let values = pack
            .rules
            .into_iter()
            .map(|v| serde_json::to_value(v).unwrap_or(serde_json::Value::Null))
            .collect();
        self.add_values(file, values, true)
    }

    /// Adds a built-in pack, converted to JSON at build time (parsing 800 KB of YAML on
    /// every start cost the pre-commit hook ~40 ms).
    fn add_builtin(&mut self, file: &str, json: &str) -> Result<(), RuleError> {
        let pack: PackJson = serde_json::from_str(json).map_err(|e| RuleError::File {
            file: file.to_string(),
            message: format!("not a rule pack: {e}"),
        })?;
        self.add_values(file, pack.rules, false)
    }

    fn add_values(
        &mut self,
        file: &str,
        values: Vec<serde_json::Value>,
        eager: bool,
    ) -> Result<(), RuleError> {
        for (i, value) in values.into_iter().enumerate() {
            let id = value
                .get("id")
                .and_then(|v| v.as_str())
                .map_or_else(|| format!("#{}", i + 1), str::to_string);
            let syn: RuleSyntax = serde_json::from_value(value).map_err(|e| {
                let message = e.to_string();
                RuleError::Rule {
                    file: file.to_string(),
                    id: id.clone(),
                    field: field_of(&message),
                    message,
                }
            })?;
            self.rules.push(Rule::from_syntax(syn, file, eager)?);
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), RuleError> {
        self.rules.sort_by(|a, b| a.id.cmp(&b.id));
        for pair in self.rules.windows(2) {
            if pair[0].id == pair[1].id {
                return Err(RuleError::Rule {
                    file: pair[1].source.clone(),
                    id: pair[1].id.clone(),
                    field: "id".into(),
                    message: format!("duplicate id, also defined in {}", pair[0].source),
                });
            }
        }
        Ok(())
    }

    /// The rules, sorted by id.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// True when there is no rule.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Every distinct keyword, sorted.
    pub fn keywords(&self) -> BTreeSet<&str> {
        self.rules
            .iter()
            .flat_map(|r| r.keywords.iter().map(String::as_str))
            .collect()
    }

    /// A digest of the compiled rules, so an inventory says which rules made it.
    pub fn digest(&self) -> String {
        let mut h = Sha256::new();
        for r in &self.rules {
            h.update(r.id.as_bytes());
            h.update([0]);
            h.update(r.source.as_bytes());
            h.update([0]);
            h.update(
                format!(
                    "{:?}",
                    (&r.keywords, &r.files, r.regex.as_ref().map(|x| x.as_str()))
                )
                .as_bytes(),
            );
            h.update(
                format!(
                    "{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}",
                    r.env,
                    r.images,
                    r.resources,
                    r.keys,
                    r.imports,
                    r.packages,
                    r.calls,
                    r.endpoints,
                    r.models.as_ref().map(|m| m.as_str()),
                    r.entropy
                )
                .as_bytes(),
            );
        }
        crate::model::hex(&h.finalize()[..8])
    }
}

/// Pulls the field name out of a serde message such as "unknown field `foo`, expected …".
fn field_of(message: &str) -> String {
    for marker in ["unknown field `", "missing field `"] {
        if let Some(rest) = message.split(marker).nth(1) {
            if let Some(end) = rest.find('`') {
                return rest[..end].to_string();
            }
        }
    }
    "-".to_string()
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {})", self.id, self.kind, self.identifies)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r##"
rules:
  - id: provider.demo
    name: Demo
    kind: provider
    identifies: demo
    keywords: [demo]
    match:
      imports:
        python: [demo]
    description: d
    references: [https://example.com]
    examples:
      - path: a.py
        text: import demo
    negative_examples:
      - path: a.py
        text: "# demo"
"##;

    #[test]
    fn builtin_pack_loads() {
        let set = RuleSet::builtin().expect("built-in rules must load");
        assert!(!set.is_empty());
    }

    #[test]
    fn unknown_field_names_file_rule_and_field() {
        let bad = GOOD.replace("    description: d", "    descripton: d");
        let mut set = RuleSet::default();
        let e = set.add_pack("pack.yaml", &bad).unwrap_err().to_string();
        assert!(
            e.starts_with("pack.yaml: rule `provider.demo`: descripton:"),
            "{e}"
        );
    }

    #[test]
    fn unknown_field_in_match_is_reported() {
        let bad = GOOD.replace("      imports:", "      importz:");
        let mut set = RuleSet::default();
        let e = set.add_pack("p.yaml", &bad).unwrap_err().to_string();
        assert!(e.contains("rule `provider.demo`: importz"), "{e}");
    }

    #[test]
    fn invalid_yaml_names_the_file() {
        let mut set = RuleSet::default();
        let e = set
            .add_pack("p.yaml", "rules: [ {")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("p.yaml: not a rule pack"), "{e}");
    }

    #[test]
    fn bad_regex_and_bad_id_are_rejected() {
        let mut set = RuleSet::default();
        let bad = GOOD.replace(
            "        python: [demo]",
            "        python: [demo]\n      regex: '(unclosed'",
        );
        let e = set.add_pack("p.yaml", &bad).unwrap_err().to_string();
        assert!(e.contains("match.regex"), "{e}");
        let bad = GOOD.replace("provider.demo", "Provider.Demo");
        let e = set.add_pack("p.yaml", &bad).unwrap_err().to_string();
        assert!(e.contains(": id:"), "{e}");
    }

    #[test]
    fn secret_rule_needs_a_secret_capture() {
        let bad = GOOD
            .replace("kind: provider", "kind: secret")
            .replace("provider.demo", "secret.demo")
            .replace(
                "      imports:\n        python: [demo]",
                "      regex: 'demo[0-9]+'",
            );
        let mut set = RuleSet::default();
        let e = set.add_pack("p.yaml", &bad).unwrap_err().to_string();
        assert!(e.contains("named capture"), "{e}");
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let mut set = RuleSet::default();
        set.add_pack("a.yaml", GOOD).unwrap();
        set.add_pack("b.yaml", GOOD).unwrap();
        let e = set.finish().unwrap_err().to_string();
        assert!(e.contains("duplicate id"), "{e}");
    }

    #[test]
    fn module_patterns_match_submodules_not_lookalikes() {
        let p = ModulePattern::parse("openai").unwrap();
        assert!(p.matches("openai", None, "."));
        assert!(p.matches("openai.types", None, "."));
        assert!(!p.matches("openai_like", None, "."));
        assert!(!p.matches("openai/x", None, "."));
        let p = ModulePattern::parse("@langchain/*").unwrap();
        assert!(p.matches("@langchain/openai", None, "/"));
        assert!(!p.matches("langchain", None, "/"));
        let p = ModulePattern::parse("agents:Runner").unwrap();
        assert!(p.matches("agents", Some("Runner"), "."));
        assert!(!p.matches("agents", Some("Other"), "."));
        assert!(!p.matches("agents", None, "."));
        assert!(p.matches("agents.Runner", None, "."));
        assert!(!p.matches("agents.Runnerx", None, "."));
        let p = ModulePattern::parse("rig::providers::openai").unwrap();
        assert!(p.imported.is_none());
        assert!(p.matches("rig::providers::openai::Client", None, "::"));
    }

    #[test]
    fn call_patterns() {
        let p = CallPattern::parse("boto3.client(bedrock*)").unwrap();
        assert!(p.matches(
            Some("boto3.client"),
            "boto3.client",
            Some("bedrock-runtime"),
            "."
        ));
        assert!(!p.matches(Some("boto3.client"), "boto3.client", Some("s3"), "."));
        assert!(!p.matches(None, "session.client", Some("bedrock-runtime"), "."));
        let p = CallPattern::parse("*.client(bedrock-runtime)").unwrap();
        assert!(p.matches(None, "session.client", Some("bedrock-runtime"), "."));
        let p = CallPattern::parse("openai.OpenAI").unwrap();
        assert!(p.matches(Some("openai/OpenAI"), "OpenAI", None, "/"));
        assert!(CallPattern::parse("a b").is_err());
    }

    #[test]
    fn endpoint_patterns() {
        let p = HostPattern::parse("*.openai.azure.com").unwrap();
        assert!(p.matches_url("https://acme-eu.openai.azure.com/openai/deployments/x"));
        assert!(!p.matches_url("https://openai.azure.com.evil.io/"));
        assert!(!p.matches_url("not a url"));
        let p = HostPattern::parse("*:11434").unwrap();
        assert!(p.matches_url("http://localhost:11434/v1"));
        assert!(!p.matches_url("http://localhost:8080/v1"));
        let p = HostPattern::parse("bedrock-runtime.*.amazonaws.com").unwrap();
        assert!(p.matches_url("https://bedrock-runtime.us-east-1.amazonaws.com"));
        assert_eq!(
            url_host("https://u:p@Api.OpenAI.com:443/v1"),
            Some(("api.openai.com".into(), Some("443".into())))
        );
        assert!(wildcard("a*b*c", "axxbyyc"));
        assert!(!wildcard("a*b*c", "ac"));
    }

    #[test]
    fn pypi_names_are_pep503_normalised() {
        assert_eq!(
            normalize_package("Llama_Index.Core", Ecosystem::Pypi),
            "llama-index-core"
        );
        let p = PackagePattern::parse("llama-index*", Ecosystem::Pypi).unwrap();
        assert!(p.matches(&normalize_package(
            "llama_index_llms_openai",
            Ecosystem::Pypi
        )));
    }
}
