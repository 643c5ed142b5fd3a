//! From a rule's raw form to a compiled [`Rule`]: every validation, each failure a
//! [`RuleError`] naming the file, the rule id and the field.

use std::collections::BTreeMap;
use std::fmt;

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::patterns::{CallPattern, HostPattern, ModulePattern, PackagePattern};
use super::syntax::{Example, RuleSyntax};
use super::window::TextRegex;
use crate::model::{Ecosystem, Kind, LangFamily};

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

/// A regex compiled from its source text on first use, once per process (the built-in
/// pack has hundreds; the pre-commit hook needs a handful).
pub struct LazyRegex<T> {
    src: String,
    cell: std::sync::OnceLock<Result<T, String>>,
    build: fn(&str) -> Result<T, String>,
}

impl<T> fmt::Debug for LazyRegex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LazyRegex({:?})", self.src)
    }
}

impl<T> LazyRegex<T> {
    fn new(src: &str, build: fn(&str) -> Result<T, String>) -> Self {
        LazyRegex {
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

/// Text regexes are ASCII-aware only (`\b`, `\w`, `(?i)`, `.` per byte): the names,
/// keys and calls they look for are ASCII, and a Unicode word boundary makes the
/// regex engine leave its DFA for the slow PikeVM at every non-ASCII byte of the text.
fn build_bytes_regex(src: &str) -> Result<TextRegex, String> {
    regex::bytes::RegexBuilder::new(src)
        .unicode(false)
        .size_limit(8 << 20)
        .build()
        .map(|re| TextRegex::new(re, src))
        .map_err(|e| e.to_string())
}

fn build_str_regex(src: &str) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(src)
        .size_limit(8 << 20)
        .build()
        .map_err(|e| e.to_string())
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
    /// The kind of control a governance rule's evidence is (see [`CATEGORIES`]).
    pub category: Option<String>,
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
    pub regex: Option<LazyRegex<TextRegex>>,
    /// Literals the regex needs one of, searchers built once.
    pub requires: Vec<memchr::memmem::Finder<'static>>,
    /// Minimum entropy of the `secret` capture.
    pub entropy: Option<f64>,
    /// A fallback secret rule (`match.generic`).
    pub generic: bool,
    /// Call patterns per language family.
    pub calls: BTreeMap<LangFamily, Vec<CallPattern>>,
    /// Endpoint host patterns.
    pub endpoints: Vec<HostPattern>,
    /// Model-id regex over whole string literals.
    pub models: Option<LazyRegex<regex::Regex>>,
    /// Environment variable globs.
    pub env: Vec<String>,
    /// Container image globs.
    pub images: Vec<String>,
    /// Resource types with an optional `(attribute, value)` condition.
    pub resources: Vec<(String, Option<(String, String)>)>,
    /// Configuration key-path globs.
    pub keys: Vec<String>,
    /// CI actions a workflow step runs, lowercase.
    pub actions: Vec<String>,
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

    /// Does `text` hold a literal the rule's regex needs (or does it need none)?
    pub fn regex_may_match(&self, text: &[u8]) -> bool {
        self.requires.is_empty() || self.requires.iter().any(|f| f.find(text).is_some())
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
            || !self.actions.is_empty()
    }

    /// True when the rule looks at string literals (endpoints or model ids).
    pub fn wants_literals(&self) -> bool {
        !self.endpoints.is_empty() || self.models.is_some() || !self.deployments.is_empty()
    }

    /// Validates and compiles one rule of the pack `file`. `eager`: compile its regexes
    /// now (user packs, so a bad one names its file and rule) rather than on first use
    /// (the built-in pack, whose tests compile them all, keeping start-up cheap).
    pub(super) fn from_syntax(syn: RuleSyntax, file: &str, eager: bool) -> Result<Rule, RuleError> {
        let fail = |field: &str, message: String| RuleError::Rule {
            file: file.to_string(),
            id: syn.id.clone(),
            field: field.to_string(),
            message,
        };
        check_header(&syn, &fail)?;
        check_category(&syn, &fail)?;
        let m = &syn.matchers;
        let imports = per_key(
            &m.imports,
            |p, _| ModulePattern::parse(p),
            |l| format!("match.imports.{}", lang_key(l)),
            &fail,
        )?;
        let packages = per_key(
            &m.packages,
            PackagePattern::parse,
            |e| format!("match.packages.{}", eco_key(e)),
            &fail,
        )?;
        let calls = per_key(
            &m.calls,
            |p, _| CallPattern::parse(p),
            |l| format!("match.calls.{}", lang_key(l)),
            &fail,
        )?;
        let endpoints = m
            .endpoints
            .iter()
            .map(|p| HostPattern::parse(p))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| fail("match.endpoints", e))?;
        let resources = m
            .resources
            .iter()
            .map(|r| parse_resource(r).map_err(|e| fail("match.resources", e)))
            .collect::<Result<Vec<_>, _>>()?;
        check_name_globs(&syn, &fail)?;
        let file_globs = compile_file_globs(&m.files, &fail)?;
        let (regex, models) = compile_regexes(&syn, eager, &fail)?;
        if !m.requires.is_empty() && regex.is_none() {
            return Err(fail("match.requires", "qualifies a regex; give one".into()));
        }
        if m.requires.iter().any(String::is_empty) {
            return Err(fail(
                "match.requires",
                "an empty literal is always present".into(),
            ));
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
            && m.actions.is_empty()
            && m.deployments.is_empty()
        {
            return Err(fail("match", "has no matcher".into()));
        }
        check_proof(&syn, &fail)?;
        Ok(Rule {
            id: syn.id,
            name: syn.name,
            kind: syn.kind,
            identifies: syn.identifies,
            category: syn.category,
            keywords: syn.keywords,
            imports,
            packages,
            files: syn.matchers.files,
            file_globs,
            regex,
            requires: syn
                .matchers
                .requires
                .iter()
                .map(|l| memchr::memmem::Finder::new(l.as_bytes()).into_owned())
                .collect(),
            entropy: syn.matchers.entropy,
            generic: syn.matchers.generic,
            calls,
            endpoints,
            models,
            env: syn.matchers.env,
            images: syn.matchers.images,
            resources,
            keys: syn.matchers.keys,
            actions: syn
                .matchers
                .actions
                .iter()
                .map(|a| a.to_ascii_lowercase())
                .collect(),
            deployments: syn.matchers.deployments,
            description: syn.description.trim().to_string(),
            references: syn.references,
            examples: syn.examples,
            negative_examples: syn.negative_examples,
            source: file.to_string(),
        })
    }
}

/// Makes the error of one field of the rule being compiled.
type Fail<'a> = dyn Fn(&str, String) -> RuleError + 'a;

/// The id, the names and the keywords: what every rule needs whatever it matches.
fn check_header(syn: &RuleSyntax, fail: &Fail) -> Result<(), RuleError> {
    if !valid_id(&syn.id) {
        return Err(fail(
            "id",
            "must be lowercase and dotted, `kind.subject[.variant]` (a-z, 0-9, `-`, `_`)".into(),
        ));
    }
    if !syn.id.starts_with(&format!("{}.", syn.kind.as_str())) {
        // Ids name what is found; starting with the kind keeps `rules list` scannable.
        return Err(fail(
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
            return Err(fail(field, "must not be empty".into()));
        }
    }
    if syn.identifies != syn.identifies.to_lowercase() {
        return Err(fail("identifies", "must be lowercase".into()));
    }
    if syn.keywords.iter().any(|k| k.is_empty()) {
        return Err(fail(
            "keywords",
            "an empty keyword would match every file".into(),
        ));
    }
    if syn.keywords.is_empty() && syn.matchers.files.is_empty() {
        return Err(fail(
            "keywords",
            "give at least one keyword (or `match.files`), or the rule never runs".into(),
        ));
    }
    Ok(())
}

/// The kinds of control a governance rule can name in `category`, per rule kind, so a
/// reviewer can weigh one piece of evidence against another (a CI eval suite against a
/// smoke test, LLM-aware tracing against generic APM). Every governance rule names one.
pub const CATEGORIES: [(Kind, &[&str]); 3] = [
    // `declared` is not a rule's: it is what any monitoring evidence becomes in an
    // example env file.
    (
        Kind::Monitoring,
        &["llm-tracing", "platform-tracing", "otel-genai", "generic"],
    ),
    (
        Kind::Eval,
        &[
            "eval-framework",
            "platform-evaluator",
            "eval-config",
            "eval-script",
            "ci-job",
            "live-output-test",
        ],
    ),
    (
        Kind::Guardrail,
        &[
            "guardrail",
            "human-approval",
            "loop-limit",
            "budget-limit",
            "timeout",
            "kill-switch",
        ],
    ),
];

/// A governance rule names one of its kind's categories; no other rule names any.
fn check_category(syn: &RuleSyntax, fail: &Fail) -> Result<(), RuleError> {
    let allowed = CATEGORIES
        .iter()
        .find(|(k, _)| *k == syn.kind)
        .map(|(_, c)| *c);
    match (allowed, syn.category.as_deref()) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err(fail(
            "category",
            format!(
                "only monitoring, eval and guardrail rules have one, not {}",
                syn.kind
            ),
        )),
        (Some(list), None) => Err(fail(
            "category",
            format!(
                "a {} rule names its category: one of {}",
                syn.kind,
                list.join(", ")
            ),
        )),
        (Some(list), Some(c)) if !list.contains(&c) => Err(fail(
            "category",
            format!("`{c}` is not one of {}", list.join(", ")),
        )),
        (Some(_), Some(_)) => Ok(()),
    }
}

/// Parses each list of a per-language or per-ecosystem matcher; empty lists are dropped.
fn per_key<K: Copy + Ord, P>(
    raw: &BTreeMap<K, Vec<String>>,
    parse: impl Fn(&str, K) -> Result<P, String>,
    field: impl Fn(K) -> String,
    fail: &Fail,
) -> Result<BTreeMap<K, Vec<P>>, RuleError> {
    let mut out = BTreeMap::new();
    for (&key, list) in raw {
        let pats = list
            .iter()
            .map(|p| parse(p, key))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| fail(&field(key), e))?;
        if !pats.is_empty() {
            out.insert(key, pats);
        }
    }
    Ok(out)
}

/// `type` or `type[attribute=value]`.
fn parse_resource(r: &str) -> Result<(String, Option<(String, String)>), String> {
    let parsed = match r.split_once('[') {
        Some((ty, cond)) => {
            let (k, v) = cond
                .strip_suffix(']')
                .and_then(|c| c.split_once('='))
                .ok_or_else(|| format!("`{r}`: write `type[attribute=value]`"))?;
            (
                ty.to_string(),
                Some((k.trim().to_string(), v.trim().to_string())),
            )
        }
        None => (r.to_string(), None),
    };
    if parsed.0.is_empty() || parsed.0.contains(char::is_whitespace) {
        return Err(format!("`{r}`: a resource type has no spaces"));
    }
    Ok(parsed)
}

/// Environment, image and key-path globs: names with optional `*`.
fn check_name_globs(syn: &RuleSyntax, fail: &Fail) -> Result<(), RuleError> {
    let m = &syn.matchers;
    for (field, globs) in [
        ("match.env", &m.env),
        ("match.images", &m.images),
        ("match.keys", &m.keys),
        ("match.actions", &m.actions),
    ] {
        if globs
            .iter()
            .any(|g| g.is_empty() || g.contains(char::is_whitespace))
        {
            return Err(fail(
                field,
                "a pattern is a name with optional `*`, no spaces".into(),
            ));
        }
    }
    Ok(())
}

fn compile_file_globs(files: &[String], fail: &Fail) -> Result<Option<GlobSet>, RuleError> {
    if files.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for g in files {
        b.add(Glob::new(g).map_err(|e| fail("match.files", format!("`{g}`: {e}")))?);
    }
    Ok(Some(
        b.build().map_err(|e| fail("match.files", e.to_string()))?,
    ))
}

/// A text regex and a model-id regex. A secret rule's regex needs a `secret` capture so
/// the value can be redacted, and `entropy` applies to that capture only.
#[allow(clippy::type_complexity)]
fn compile_regexes(
    syn: &RuleSyntax,
    eager: bool,
    fail: &Fail,
) -> Result<
    (
        Option<LazyRegex<TextRegex>>,
        Option<LazyRegex<regex::Regex>>,
    ),
    RuleError,
> {
    let m = &syn.matchers;
    let models = m
        .models
        .as_ref()
        .map(|r| LazyRegex::new(r, build_str_regex));
    if let (true, Some(l)) = (eager, &models) {
        l.check().map_err(|e| fail("match.models", e))?;
    }
    let regex = m
        .regex
        .as_ref()
        .map(|r| LazyRegex::new(r, build_bytes_regex));
    let compiled = match (&regex, eager) {
        (Some(l), true) => Some(l.check().map_err(|e| fail("match.regex", e))?),
        _ => None,
    };
    if m.generic && syn.kind != Kind::Secret {
        return Err(fail("match.generic", "applies to secret rules".into()));
    }
    if let Some(e) = m.entropy {
        if !(0.0..=8.0).contains(&e) {
            return Err(fail(
                "match.entropy",
                "bits per byte: between 0 and 8".into(),
            ));
        }
        if regex.is_none()
            || compiled.is_some_and(|re| !re.re.capture_names().any(|n| n == Some("secret")))
        {
            return Err(fail(
                "match.entropy",
                "applies to a regex with a `secret` capture".into(),
            ));
        }
    }
    if let Some(re) = compiled {
        let has_secret = re.re.capture_names().any(|n| n == Some("secret"));
        if syn.kind == Kind::Secret && !has_secret {
            return Err(fail(
                "match.regex",
                "a secret rule needs a named capture `(?P<secret>…)` so the value can be redacted"
                    .into(),
            ));
        }
    }
    Ok((regex, models))
}

/// A reference, and examples both ways: every rule carries its proof.
fn check_proof(syn: &RuleSyntax, fail: &Fail) -> Result<(), RuleError> {
    if syn.references.is_empty() {
        return Err(fail("references", "give at least one reference URL".into()));
    }
    if syn.examples.is_empty() {
        return Err(fail(
            "examples",
            "give at least one positive example".into(),
        ));
    }
    if syn.negative_examples.is_empty() {
        return Err(fail(
            "negative_examples",
            "give at least one negative example".into(),
        ));
    }
    Ok(())
}

fn lang_key(l: LangFamily) -> &'static str {
    match l {
        LangFamily::Python => "python",
        LangFamily::JavaScript => "javascript",
        LangFamily::Go => "go",
        LangFamily::Java => "java",
        LangFamily::CSharp => "csharp",
        LangFamily::Rust => "rust",
        LangFamily::Ruby => "ruby",
        LangFamily::Php => "php",
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
        Ecosystem::Rubygems => "rubygems",
        Ecosystem::Composer => "composer",
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

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {})", self.id, self.kind, self.identifies)
    }
}

#[cfg(test)]
mod tests {
    use super::build_bytes_regex;

    /// Text regexes are ASCII-aware (issue 13): a word boundary next to a non-ASCII
    /// letter is a boundary, and a non-ASCII letter in the pattern matches itself.
    #[test]
    fn text_regexes_are_ascii_aware() {
        let re = build_bytes_regex(r"\bopenai\b").unwrap().re;
        assert!(re.is_match("éopenai".as_bytes()));
        assert!(!re.is_match(b"xopenai"));
        let re = build_bytes_regex("clé (?i:api)").unwrap().re;
        assert!(re.is_match("la clé API".as_bytes()));
    }
}
