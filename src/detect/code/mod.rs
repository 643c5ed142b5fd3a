//! The code detector: what tree-sitter shows a file really does — its imports, and,
//! for Python, JavaScript/TypeScript, Ruby and PHP, the calls made through imported
//! names (aliases followed; in Ruby, through constant paths) and the string literals
//! with their syntactic context.
//!
//! Only files whose extension has a grammar, and only when the prefilter selected a
//! rule that needs the parse, are parsed. Words in comments and docstrings are never
//! imports, calls or literals: extraction walks syntax nodes only. The extractors (one
//! file per language) say what the code does; [`Detector::code`] matches that against
//! the selected rules.

pub mod csharp;
pub mod go;
pub mod java;
pub mod javascript;
pub mod kotlin;
pub mod lang;
pub mod notebook;
pub mod php;
pub mod python;
pub mod ruby;
pub mod rust;

use crate::detect::hit::{match_literal, push_at, BlobState, Place};
use crate::detect::{BlobOutcome, Detector};
use crate::model::{Method, Skip, SkipReason};
use crate::rules::Rule;
use lang::{Lang, ParseFail};

/// Every import in `tree`, parsed from `src` as `lang`. The one dispatch from a
/// language to its extractor.
pub fn imports(lang: Lang, tree: &tree_sitter::Tree, src: &[u8]) -> Vec<Import> {
    match lang {
        Lang::Python => python::imports(tree, src),
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => javascript::imports(tree, src),
        Lang::Go => go::imports(tree, src),
        Lang::Java => java::imports(tree, src),
        Lang::Kotlin => kotlin::imports(tree, src),
        Lang::CSharp => csharp::imports(tree, src),
        Lang::Rust => rust::imports(tree, src),
        Lang::Ruby => ruby::imports(tree, src),
        Lang::Php => php::imports(tree, src),
    }
}

/// One import found in code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The module as written (`openai`, `llama_index.core`, `@langchain/openai`).
    pub module: String,
    /// For `from m import x`: `x` (one `Import` per imported name).
    pub name: Option<String>,
    /// Byte offset of the module name in the source.
    pub offset: usize,
}

/// Calls and literals of a file, beyond its imports (the languages of
/// [`Lang::has_facts`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// Calls and `new` expressions of dotted names, resolved through imports where
    /// their root is imported.
    pub calls: Vec<Call>,
    /// String literals (not docstrings), with where they stand.
    pub strings: Vec<StrLit>,
}

/// A call or `new` of a dotted name: `oa.OpenAI()` after `import openai as oa` is a
/// call of `openai.OpenAI`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// The callee's qualified name when its root is an imported name, aliases
    /// resolved: module, then members joined by the family separator
    /// (`openai.OpenAI`, `@ai-sdk/openai/createOpenAI`).
    pub qualified: Option<String>,
    /// The callee as written, for receivers that are not imports (`session.client`).
    pub written: String,
    /// The first positional argument when it is a plain string literal (in PHP also a
    /// class constant, its class resolved: `Prism\Prism\Enums\Provider::Anthropic`).
    pub first_arg: Option<String>,
    /// Byte offset of the callee.
    pub offset: usize,
}

/// Where a string literal stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StrContext {
    /// A positional argument of a call.
    Argument,
    /// The value of a keyword argument, object property, dict key or assignment
    /// target with this name (`base_url=`, `{ baseURL: … }`, `API_URL = …`).
    Named(String),
    /// Anywhere else (a list element, a comparison, a return value).
    Other,
}

/// A string literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StrLit {
    /// Its value, without quotes (escape sequences left as written).
    pub value: String,
    /// Where it stands.
    pub context: StrContext,
    /// Byte offset of the value's first character.
    pub offset: usize,
}

/// Calls and literals of `tree`, for the languages that have them.
pub fn facts(lang: Lang, tree: &tree_sitter::Tree, src: &[u8]) -> Facts {
    match lang {
        Lang::Python => python::facts(tree, src),
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => javascript::facts(tree, src),
        Lang::Ruby => ruby::facts(tree, src),
        Lang::Php => php::facts(tree, src),
        _ => Facts::default(),
    }
}

/// Resolves `written` (`a.b.c`) through `bindings` (local name → qualified name),
/// joining members with `sep`. `None` when the root is not an imported name.
pub(crate) fn resolve(
    written: &str,
    bindings: &std::collections::HashMap<String, String>,
    sep: &str,
) -> Option<String> {
    let (root, rest) = match written.split_once('.') {
        Some((r, rest)) => (r, Some(rest)),
        None => (written, None),
    };
    let base = bindings.get(root)?;
    Some(match rest {
        Some(rest) => format!("{base}{sep}{}", rest.replace('.', sep)),
        None => base.clone(),
    })
}

/// Walks `tree` in pre-order without recursion (deeply nested input cannot overflow
/// the stack). `visit` gets each node and its ancestors (nearest last) and returns
/// whether to descend into it. The one tree walk of every extractor: `Node::parent`
/// would walk down from the root each time, quadratic on deep trees.
pub(crate) fn preorder<'t>(
    tree: &'t tree_sitter::Tree,
    mut visit: impl FnMut(tree_sitter::Node<'t>, &[tree_sitter::Node<'t>]) -> bool,
) {
    let mut cursor = tree.walk();
    let mut ancestors: Vec<tree_sitter::Node<'t>> = Vec::new();
    loop {
        let node = cursor.node();
        if visit(node, &ancestors) && cursor.goto_first_child() {
            ancestors.push(node);
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            ancestors.pop();
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// The UTF-8 text of `node` (empty when it is not UTF-8).
pub(crate) fn text<'a>(node: tree_sitter::Node, src: &'a [u8]) -> &'a str {
    std::str::from_utf8(&src[node.byte_range()]).unwrap_or("")
}

/// Strips the quotes of a string literal's text.
pub(crate) fn unquote(text: &str) -> Option<&str> {
    let t = text.trim();
    // Python prefixes (r, b, u, f) never appear on module names we care about.
    for q in ["\"\"\"", "'''", "\"", "'", "`"] {
        if t.len() >= 2 * q.len() && t.starts_with(q) && t.ends_with(q) {
            let inner = &t[q.len()..t.len() - q.len()];
            if q == "`" && inner.contains("${") {
                return None;
            }
            return Some(inner);
        }
    }
    None
}

impl Detector {
    /// Runs the code detector on each code cell of a Jupyter notebook; evidence names
    /// the cell and the line within it. `!pip install x` / `%pip install x` lines are
    /// dependencies.
    pub(in crate::detect) fn notebook(
        &self,
        state: &mut BlobState,
        bytes: &[u8],
        scoped: &[&Rule],
        out: &mut BlobOutcome,
    ) {
        let cells = match notebook::code_cells(bytes) {
            Ok(c) => c,
            Err(message) => {
                out.skips.push(Skip {
                    reason: SkipReason::MalformedManifest,
                    message: format!("notebook: {message}"),
                });
                return;
            }
        };
        let family = Lang::Python.family();
        let wanted: Vec<&Rule> = scoped
            .iter()
            .copied()
            .filter(|r| {
                !r.imports(family).is_empty()
                    || !r.calls(family).is_empty()
                    || r.wants_literals()
                    || !r.env.is_empty()
            })
            .collect();
        let pip: Vec<&Rule> = scoped
            .iter()
            .copied()
            .filter(|r| !r.packages(crate::model::Ecosystem::Pypi).is_empty())
            .collect();
        for cell in cells {
            state.cell = Some(cell.index);
            for (name, offset) in &cell.pip_installs {
                let norm = crate::rules::normalize_package(name, crate::model::Ecosystem::Pypi);
                for rule in &pip {
                    if rule
                        .packages(crate::model::Ecosystem::Pypi)
                        .iter()
                        .any(|p| p.matches(&norm))
                    {
                        push_at(
                            state,
                            out,
                            rule,
                            cell.source.as_bytes(),
                            *offset,
                            Method::Dependency,
                            &norm,
                        );
                    }
                }
            }
            if !wanted.is_empty() {
                self.code(Lang::Python, state, cell.source.as_bytes(), &wanted, out);
            }
        }
        state.cell = None;
    }

    /// Parses code with tree-sitter and matches its imports, calls, environment
    /// variable names and string literals against `wanted`.
    pub(in crate::detect) fn code(
        &self,
        lang: Lang,
        state: &BlobState,
        bytes: &[u8],
        wanted: &[&Rule],
        out: &mut BlobOutcome,
    ) {
        if bytes.len() > self.opts.max_parse_size {
            out.skips.push(Skip {
                reason: SkipReason::ParseTooLarge,
                message: format!("{} bytes exceed the parse limit", bytes.len()),
            });
            return;
        }
        if crate::detect::literals::is_minified(state.path, bytes) {
            // A vendored, minified bundle lists every provider it supports; it is not
            // where this repository's own use lives.
            out.skips.push(Skip {
                reason: SkipReason::Minified,
                message: "minified or bundled code is not parsed".into(),
            });
            return;
        }
        out.parsed = true;
        let tree = match lang::parse(lang, bytes, self.opts.parse_timeout) {
            Ok(t) => t,
            Err(ParseFail::Timeout) => {
                out.skips.push(Skip {
                    reason: SkipReason::ParseTimeout,
                    message: format!("parse exceeded {:?}", self.opts.parse_timeout),
                });
                return;
            }
            Err(ParseFail::Grammar) => {
                out.skips.push(Skip {
                    reason: SkipReason::ParseTimeout,
                    message: "grammar could not be loaded".into(),
                });
                return;
            }
        };
        let family = lang.family();
        let sep = family.separator();
        let import_sep = family.import_separator();
        for import in imports(lang, &tree, bytes) {
            let full = import
                .name
                .as_ref()
                .map(|n| format!("{}{import_sep}{n}", import.module));
            for rule in wanted {
                let hit = rule.imports(family).iter().any(|p| {
                    p.matches(&import.module, import.name.as_deref(), import_sep)
                        || full
                            .as_deref()
                            .is_some_and(|f| p.matches(f, None, import_sep))
                });
                if hit {
                    let matched = full.as_deref().unwrap_or(&import.module);
                    push_at(
                        state,
                        out,
                        rule,
                        bytes,
                        import.offset,
                        Method::Import,
                        matched,
                    );
                }
            }
        }
        if !lang.has_facts() {
            return;
        }
        let facts = facts(lang, &tree, bytes);
        for call in &facts.calls {
            for rule in wanted {
                let through_import = call
                    .qualified
                    .as_deref()
                    .is_some_and(|q| rule.imports(family).iter().any(|p| p.matches_call(q, sep)));
                let by_pattern = rule.calls(family).iter().any(|p| {
                    p.matches(
                        call.qualified.as_deref(),
                        &call.written,
                        call.first_arg.as_deref(),
                        sep,
                    )
                });
                if through_import || by_pattern {
                    let matched = call.qualified.as_deref().unwrap_or(&call.written);
                    push_at(state, out, rule, bytes, call.offset, Method::Call, matched);
                }
            }
        }
        let env_rules: Vec<&Rule> = wanted
            .iter()
            .copied()
            .filter(|r| !r.env.is_empty())
            .collect();
        for lit in facts
            .strings
            .iter()
            .filter(|l| looks_like_env_name(&l.value))
        {
            for rule in &env_rules {
                if rule
                    .env
                    .iter()
                    .any(|g| crate::rules::wildcard(g, &lit.value))
                {
                    push_at(
                        state,
                        out,
                        rule,
                        bytes,
                        lit.offset,
                        Method::Config,
                        &lit.value,
                    );
                }
            }
        }
        let literal_rules: Vec<&Rule> = wanted
            .iter()
            .copied()
            .filter(|r| r.wants_literals())
            .collect();
        if literal_rules.is_empty() {
            return;
        }
        // Deployment names: `model="support-prod"` next to an AzureOpenAI client.
        let deployment_rules: Vec<&Rule> = literal_rules
            .iter()
            .copied()
            .filter(|r| {
                !r.deployments.is_empty()
                    && out.evidence.iter().any(|e| {
                        e.kind == crate::model::Kind::Provider
                            && e.identifies == r.identifies
                            && matches!(e.method, Method::Call | Method::Import)
                    })
            })
            .collect();
        // Only in a file with an Azure client: otherwise every string of every parsed
        // file would be run through every model regex for nothing.
        let model_rules: Vec<&Rule> = if deployment_rules.is_empty() {
            Vec::new()
        } else {
            self.rules
                .rules()
                .iter()
                .filter(|r| r.models.is_some())
                .collect()
        };
        for lit in facts
            .strings
            .iter()
            .filter(|_| !deployment_rules.is_empty())
        {
            if let StrContext::Named(n) = &lit.context {
                let is_model_id = model_rules.iter().any(|r| {
                    r.models
                        .as_ref()
                        .and_then(|m| m.get())
                        .is_some_and(|m| m.is_match(&lit.value))
                });
                if !is_model_id
                    && !lit.value.is_empty()
                    && lit.value.len() <= 128
                    && !lit.value.contains(char::is_whitespace)
                {
                    for rule in deployment_rules
                        .iter()
                        .filter(|r| r.deployments.iter().any(|d| d == n))
                    {
                        push_at(
                            state,
                            out,
                            rule,
                            bytes,
                            lit.offset,
                            Method::Literal,
                            &lit.value,
                        );
                    }
                }
            }
        }
        for lit in &facts.strings {
            let place = Place {
                url: match &lit.context {
                    StrContext::Argument => true,
                    StrContext::Named(n) => crate::detect::literals::is_url_name(n),
                    StrContext::Other => false,
                },
                value: lit.context != StrContext::Other,
            };
            match_literal(
                state,
                bytes,
                &literal_rules,
                &lit.value,
                lit.offset,
                place,
                out,
            );
        }
    }
}

/// `OPENAI_API_KEY`-shaped: upper-case letters, digits and `_`, with at least one `_`.
fn looks_like_env_name(s: &str) -> bool {
    s.len() >= 4
        && s.contains('_')
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && s.starts_with(|c: char| c.is_ascii_uppercase())
}
