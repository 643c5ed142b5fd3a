//! Detectors: from a blob and the rules its prefilter selected, to evidence.
//!
//! [`Detector::scan`] is the one per-blob path used by scans and by `rules test`
//! alike: prefilter first, then only the detectors that a selected rule needs —
//! `code` (tree-sitter imports), `manifest` (declared dependencies), `pattern`
//! (regexes, secrets redacted at creation) and file-name rules. A detector never
//! prints, never fails the scan: trouble with one blob is a [`BlobSkip`].

pub mod code;
pub mod manifest;
pub mod pattern;
pub mod secret;

use std::time::Duration;

use crate::model::{locate, snippet, Evidence, Method};
use crate::rules::{Rule, RuleSet};
use crate::scan::{Prefilter, Selection};
use crate::source::limits::{DEFAULT_MAX_PARSE_SIZE, DEFAULT_PARSE_TIMEOUT_MS};
use crate::source::SkipReason;

use code::lang::{self, Lang, ParseFail};
use manifest::ManifestKind;

/// Limits of the detectors.
#[derive(Clone, Debug)]
pub struct DetectOptions {
    /// tree-sitter budget per file.
    pub parse_timeout: Duration,
    /// Largest file handed to tree-sitter.
    pub max_parse_size: usize,
}

impl Default for DetectOptions {
    fn default() -> Self {
        DetectOptions {
            parse_timeout: Duration::from_millis(DEFAULT_PARSE_TIMEOUT_MS),
            max_parse_size: DEFAULT_MAX_PARSE_SIZE,
        }
    }
}

/// A blob a detector could not handle fully; the rest of the scan goes on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlobSkip {
    /// Why.
    pub reason: SkipReason,
    /// The parser's message (never file contents).
    pub message: String,
}

/// What one blob yielded.
#[derive(Debug, Default)]
pub struct BlobOutcome {
    /// Evidence, in detection order.
    pub evidence: Vec<Evidence>,
    /// Partial skips.
    pub skips: Vec<BlobSkip>,
    /// The prefilter selected at least one rule.
    pub prefilter_hit: bool,
    /// tree-sitter ran.
    pub parsed: bool,
}

impl BlobOutcome {
    fn clear(&mut self) {
        self.evidence.clear();
        self.skips.clear();
        self.prefilter_hit = false;
        self.parsed = false;
    }
}

/// The compiled rules and prefilter; shared by all threads.
#[derive(Debug)]
pub struct Detector {
    rules: RuleSet,
    prefilter: Prefilter,
    opts: DetectOptions,
}

/// Per-thread scratch space.
#[derive(Debug, Default)]
pub struct Scratch {
    selection: Selection,
    rules: Vec<u32>,
}

impl Detector {
    /// Compiles the prefilter for `rules`.
    pub fn new(rules: RuleSet, opts: DetectOptions) -> Detector {
        let prefilter = Prefilter::new(&rules);
        Detector {
            rules,
            prefilter,
            opts,
        }
    }

    /// The rules this detector runs.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Scans one blob: `path` is repo-relative and `/`-separated, `bytes` its content.
    pub fn scan(&self, path: &str, bytes: &[u8], scratch: &mut Scratch, out: &mut BlobOutcome) {
        out.clear();
        let hit = self.prefilter.select(path, bytes, &mut scratch.selection);
        let manifest_kind = ManifestKind::from_path(path);
        if !hit && manifest_kind.is_none() {
            return;
        }
        out.prefilter_hit = hit;
        let all = self.rules.rules();
        scratch.rules.clear();
        scratch.rules.extend_from_slice(&scratch.selection.rules);
        // Deterministic order whatever the keyword order in the text.
        scratch.rules.sort_unstable();
        let selected: Vec<&Rule> = scratch.rules.iter().map(|&i| &all[i as usize]).collect();
        let by_name = &scratch.selection.by_name;

        // A rule with `files` and other matchers is scoped to those files; one with
        // `files` only is evidence by name.
        let in_scope = |i: u32, r: &Rule| r.files.is_empty() || by_name.contains(&i);
        let scoped: Vec<&Rule> = scratch
            .rules
            .iter()
            .zip(&selected)
            .filter(|(&i, r)| in_scope(i, r))
            .map(|(_, r)| *r)
            .collect();

        for (&i, rule) in scratch.rules.iter().zip(&selected) {
            if by_name.contains(&i) && rule.is_name_only() {
                out.evidence.push(Evidence {
                    path: path.to_string(),
                    line: 1,
                    column: 1,
                    rule_id: rule.id.clone(),
                    kind: rule.kind,
                    identifies: rule.identifies.clone(),
                    method: Method::File,
                    matched: path.rsplit('/').next().unwrap_or(path).to_string(),
                    snippet: String::new(),
                    secret: None,
                    in_test: false,
                });
            }
        }

        if let Some(lang) = Lang::from_path(path) {
            let family = lang.family();
            let wanted: Vec<&Rule> = scoped
                .iter()
                .copied()
                .filter(|r| !r.imports(family).is_empty())
                .collect();
            if !wanted.is_empty() {
                self.code(lang, path, bytes, &wanted, out);
            }
        }

        if let Some(kind) = manifest_kind {
            // A manifest is selected by its name: package names compare
            // case-insensitively on some registries (`Google_GenAI`), which a
            // case-sensitive keyword cannot see, so every package rule of the
            // ecosystem runs on it. Manifests are few and small.
            let eco = kind.ecosystem();
            let wanted: Vec<&Rule> = all
                .iter()
                .enumerate()
                .filter(|(i, r)| {
                    !r.packages(eco).is_empty()
                        && (r.files.is_empty() || by_name.contains(&(*i as u32)))
                })
                .map(|(_, r)| r)
                .collect();
            if !wanted.is_empty() {
                self.manifest(kind, path, bytes, &wanted, out);
            }
        }

        for rule in &scoped {
            if rule.regex.is_some() {
                pattern::run(rule, path, bytes, &mut out.evidence);
            }
        }
        dedup(&mut out.evidence);
    }

    fn manifest(
        &self,
        kind: ManifestKind,
        path: &str,
        bytes: &[u8],
        wanted: &[&Rule],
        out: &mut BlobOutcome,
    ) {
        let eco = kind.ecosystem();
        let text = String::from_utf8_lossy(bytes);
        match manifest::dependencies(kind, &text) {
            Ok(deps) => {
                for dep in deps {
                    for rule in wanted {
                        if rule.packages(eco).iter().any(|p| p.matches(&dep.name)) {
                            let method = if dep.locked {
                                Method::Lockfile
                            } else {
                                Method::Dependency
                            };
                            push_at(
                                out,
                                rule,
                                path,
                                text.as_bytes(),
                                dep.offset,
                                method,
                                &dep.name,
                            );
                        }
                    }
                }
            }
            Err(message) => out.skips.push(BlobSkip {
                reason: SkipReason::MalformedManifest,
                message,
            }),
        }
    }

    fn code(&self, lang: Lang, path: &str, bytes: &[u8], wanted: &[&Rule], out: &mut BlobOutcome) {
        if bytes.len() > self.opts.max_parse_size {
            out.skips.push(BlobSkip {
                reason: SkipReason::ParseTooLarge,
                message: format!("{} bytes exceed the parse limit", bytes.len()),
            });
            return;
        }
        out.parsed = true;
        let tree = match lang::parse(lang, bytes, self.opts.parse_timeout) {
            Ok(t) => t,
            Err(ParseFail::Timeout) => {
                out.skips.push(BlobSkip {
                    reason: SkipReason::ParseTimeout,
                    message: format!("parse exceeded {:?}", self.opts.parse_timeout),
                });
                return;
            }
            Err(ParseFail::Grammar) => {
                out.skips.push(BlobSkip {
                    reason: SkipReason::ParseTimeout,
                    message: "grammar could not be loaded".into(),
                });
                return;
            }
        };
        let family = lang.family();
        let sep = family.separator();
        let imports = code::imports(lang, &tree, bytes);
        for import in &imports {
            let full = import
                .name
                .as_ref()
                .map(|n| format!("{}.{n}", import.module));
            for rule in wanted {
                let hit = rule.imports(family).iter().any(|p| {
                    p.matches(&import.module, import.name.as_deref(), sep)
                        || full.as_deref().is_some_and(|f| p.matches(f, None, sep))
                });
                if hit {
                    let matched = full.as_deref().unwrap_or(&import.module);
                    push_at(
                        out,
                        rule,
                        path,
                        bytes,
                        import.offset,
                        Method::Import,
                        matched,
                    );
                }
            }
        }
    }
}

fn push_at(
    out: &mut BlobOutcome,
    rule: &Rule,
    path: &str,
    text: &[u8],
    offset: usize,
    method: Method,
    matched: &str,
) {
    let (line, column, span) = locate(text, offset);
    out.evidence.push(Evidence {
        path: path.to_string(),
        line,
        column,
        rule_id: rule.id.clone(),
        kind: rule.kind,
        identifies: rule.identifies.clone(),
        method,
        matched: matched.to_string(),
        snippet: snippet(&text[span], None),
        secret: None,
        in_test: false,
    });
}

/// One evidence per rule and line: `from x import a, b` is one import of `x`.
fn dedup(evidence: &mut Vec<Evidence>) {
    evidence.sort_by(|a, b| (a.line, &a.rule_id, a.column).cmp(&(b.line, &b.rule_id, b.column)));
    evidence.dedup_by(|b, a| a.line == b.line && a.rule_id == b.rule_id);
}
