//! Detectors: from a blob and the rules its prefilter selected, to evidence.
//!
//! [`Detector::detect`] is the one per-blob path used by scans and by `rules test`
//! alike: prefilter first, then only the detectors that a selected rule needs —
//! `code` (tree-sitter imports), `manifest` (declared dependencies), `pattern`
//! (regexes, secrets redacted at creation) and file-name rules. A detector never
//! prints, never fails the scan: trouble with one blob is a [`Skip`].

pub mod check;
pub mod code;
pub mod config;
mod gate;
mod hit;
pub mod literals;
pub mod live;
pub mod manifest;
mod outcome;
pub mod pattern;
pub mod secret;

pub use outcome::BlobOutcome;

use std::time::Duration;

use crate::model::{
    Evidence, FileClass, FingerprintKey, Kind, Lang, Method, Redacted, Skip, SkipReason,
};
use crate::prefilter::{Prefilter, Selection};
use crate::rules::{Rule, RuleSet};
use crate::source::limits::{
    DEFAULT_MAX_EVIDENCE_PER_FILE, DEFAULT_MAX_PARSE_SIZE, DEFAULT_PARSE_TIMEOUT_MS,
};

use crate::source::filekind::FileKind;
use hit::{match_literal, BlobState, Place};
use outcome::{cap_evidence, dedup, redact_snippets, rule_cut, suppress};

/// Limits of the detectors.
#[derive(Clone, Debug)]
pub struct DetectOptions {
    /// tree-sitter budget per file.
    pub parse_timeout: Duration,
    /// Largest file handed to tree-sitter.
    pub max_parse_size: usize,
    /// Most evidence kept per file (owner evidence aside); the rest is dropped and
    /// counted as an `evidence_cap` skip.
    pub max_evidence: usize,
    /// Fingerprints secrets; its `Debug` shows only the key id.
    pub fingerprint_key: FingerprintKey,
    /// Honour inline `aiscout:allow` suppressions. Off for untrusted repositories: a
    /// comment in the scanned code must not hide a key or an agent from the scan.
    pub inline_allow: bool,
}

impl Default for DetectOptions {
    fn default() -> Self {
        DetectOptions {
            parse_timeout: Duration::from_millis(DEFAULT_PARSE_TIMEOUT_MS),
            max_parse_size: DEFAULT_MAX_PARSE_SIZE,
            max_evidence: DEFAULT_MAX_EVIDENCE_PER_FILE,
            fingerprint_key: FingerprintKey::default(),
            inline_allow: true,
        }
    }
}
/// The compiled rules and prefilter; shared by all threads.
#[derive(Debug)]
pub struct Detector {
    rules: RuleSet,
    /// Built on the first blob: a rescan that finds everything in `--cache` (or a hook
    /// with nothing staged) never pays for compiling the keyword automaton.
    prefilter: std::sync::OnceLock<Prefilter>,
    /// The secret rules' keywords alone (history blobs, vendored code), built when
    /// first needed.
    secret_prefilter: std::sync::OnceLock<Prefilter>,
    /// Which manifests are worth parsing, built when the first one is met.
    package_gate: std::sync::OnceLock<manifest::PackageGate>,
    opts: DetectOptions,
}

/// Per-thread scratch space.
#[derive(Debug, Default)]
pub struct Scratch {
    selection: Selection,
    rules: Vec<u32>,
    /// The last folder whose name the secret rules found clean (see
    /// [`Detector::detect_name`]).
    clean_dir: String,
}

impl Detector {
    /// A detector for `rules` (the prefilter is compiled when first needed).
    pub fn new(rules: RuleSet, opts: DetectOptions) -> Detector {
        Detector {
            rules,
            prefilter: std::sync::OnceLock::new(),
            secret_prefilter: std::sync::OnceLock::new(),
            package_gate: std::sync::OnceLock::new(),
            opts,
        }
    }

    fn prefilter(&self) -> &Prefilter {
        self.prefilter.get_or_init(|| Prefilter::new(&self.rules))
    }

    /// The prefilter of the secret rules alone, for blobs read for keys only.
    fn secret_prefilter(&self) -> &Prefilter {
        self.secret_prefilter
            .get_or_init(|| Prefilter::of(&self.rules, |r| r.kind == Kind::Secret))
    }

    /// The rules this detector runs.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Everything an outcome of [`Detector::detect`] depends on besides the blob and its
    /// path: the scanner version, the compiled rules and every detector option (all of
    /// `DetectOptions`, through its `Debug` form, so a new option is included without
    /// touching this). `scan --cache` trusts no entry recorded under another identity.
    pub fn cache_identity(&self) -> String {
        cache_identity(env!("CARGO_PKG_VERSION"), &self.rules.digest(), &self.opts)
    }

    /// Scans one blob: `path` is repo-relative and `/`-separated, `bytes` its content,
    /// `kind` what the file classifier said about it. Vendored third-party code (a
    /// virtualenv, `node_modules`, `vendor/`) is read for keys only: its imports, calls
    /// and tracing are the library's own, never an agent or a control of the project
    /// (a `.venv` with LangSmith installed made the project "monitored"), and a key
    /// left there is still a leak.
    pub fn detect(
        &self,
        kind: &FileKind,
        path: &str,
        bytes: &[u8],
        scratch: &mut Scratch,
        out: &mut BlobOutcome,
    ) {
        self.detect_in(kind, path, bytes, scratch, out, kind.vendored);
    }

    /// Like [`Detector::detect`], but only for keys: what a history blob is read for
    /// (the code and configuration that make units are the scanned tree's). A key
    /// hidden in an encoded value still costs the configuration's reader.
    pub fn detect_secrets(
        &self,
        kind: &FileKind,
        path: &str,
        bytes: &[u8],
        scratch: &mut Scratch,
        out: &mut BlobOutcome,
    ) {
        self.detect_in(kind, path, bytes, scratch, out, true);
    }

    fn detect_in(
        &self,
        kind: &FileKind,
        path: &str,
        bytes: &[u8],
        scratch: &mut Scratch,
        out: &mut BlobOutcome,
        secrets_only: bool,
    ) {
        self.detect_content(kind, path, bytes, scratch, out, secrets_only);
        self.detect_name(kind, path, scratch, out);
    }

    /// A key in a file or directory name is a finding, and the name is shown redacted
    /// in every evidence of the file: the path is printed in every format. Only a name
    /// with a credential-looking part is run through the secret rules.
    ///
    /// A folder's name is judged once, not once per file in it: a cargo registry's
    /// `index.crates.io-1949cf8c6b5b557f` looks like a key and ran every secret rule
    /// over each of the registry's paths (15% of a scan). A folder the rules find clean
    /// leaves only the file's own name to judge (keys never span a `/`).
    fn detect_name(
        &self,
        kind: &FileKind,
        path: &str,
        scratch: &mut Scratch,
        out: &mut BlobOutcome,
    ) {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let dir_clean = dir == scratch.clean_dir
            || !crate::model::name_looks_secret(dir)
            || (self.name_secrets(kind, dir).0.is_empty() && {
                scratch.clean_dir.clear();
                scratch.clean_dir.push_str(dir);
                true
            });
        if dir_clean && !crate::model::name_looks_secret(name) {
            return;
        }
        let (secrets, mut found) = self.name_secrets(kind, path);
        if secrets.is_empty() {
            return;
        }
        leave_to_provider_rules(&mut found, self.rules.rules());
        let shown = outcome::redact_all(path.as_bytes(), &secrets);
        for e in &mut found {
            e.method = Method::File;
            e.snippet = shown.clone();
            e.file = kind.class;
        }
        out.evidence.extend(found);
        for e in &mut out.evidence {
            if e.path == path {
                e.path = shown.clone();
            }
        }
        for s in &mut out.skips {
            s.message = outcome::redact_all(s.message.as_bytes(), &secrets);
        }
        dedup(&mut out.evidence);
    }

    /// The secret rules over a path (or a part of one).
    fn name_secrets(
        &self,
        kind: &FileKind,
        path: &str,
    ) -> (Vec<(Vec<u8>, Redacted)>, Vec<Evidence>) {
        let (mut secrets, mut found) = (Vec::new(), Vec::new());
        for rule in self.rules.rules().iter().filter(|r| r.kind == Kind::Secret) {
            pattern::run(
                rule,
                path,
                kind.test,
                path.as_bytes(),
                &self.opts.fingerprint_key,
                &mut secrets,
                &mut found,
            );
        }
        (secrets, found)
    }

    fn detect_content(
        &self,
        kind: &FileKind,
        path: &str,
        bytes: &[u8],
        scratch: &mut Scratch,
        out: &mut BlobOutcome,
        secrets_only: bool,
    ) {
        out.clear();
        let prefilter = if secrets_only {
            self.secret_prefilter()
        } else {
            self.prefilter()
        };
        let hit = prefilter.select(path, bytes, &mut scratch.selection);
        let manifest_kind = kind.manifest.filter(|_| !secrets_only);
        // A Kubernetes Secret or a Consul export hides its values in base64, where no
        // keyword can be seen: it is read even without a keyword hit.
        let encoded = kind.holds_encoded_values(bytes);
        // Every test file is read for live-output tests: a test that evaluates the model
        // names no AI keyword, it calls the project's own code.
        let test_lang = kind
            .lang
            .filter(|_| kind.test && !kind.vendored && !secrets_only)
            .filter(|l| {
                matches!(
                    l,
                    Lang::Python
                        | Lang::JavaScript
                        | Lang::TypeScript
                        | Lang::Tsx
                        | Lang::Java
                        | Lang::Kotlin
                        | Lang::Go
                )
            });
        if !hit && manifest_kind.is_none() && !encoded {
            if let Some(lang) = test_lang {
                if let Some(mut e) = live::candidate(path, lang, bytes, false) {
                    e.file = kind.class;
                    out.evidence.push(e);
                    if self.opts.inline_allow {
                        suppress(bytes, out);
                    }
                }
            }
            return;
        }
        out.prefilter_hit = hit;
        let all = self.rules.rules();
        scratch.rules.clear();
        scratch.rules.extend_from_slice(&scratch.selection.rules);
        // Deterministic order whatever the keyword order in the text.
        scratch.rules.sort_unstable();
        let by_name = &scratch.selection.by_name;
        // A rule with `files` and other matchers is scoped to those files; one with
        // `files` only is evidence by name.
        let scoped: Vec<&Rule> = scratch
            .rules
            .iter()
            .map(|&i| (i, &all[i as usize]))
            .filter(|(i, r)| r.files.is_empty() || by_name.contains(i))
            .filter(|(_, r)| !secrets_only || r.kind == Kind::Secret)
            .map(|(_, r)| r)
            .collect();
        let mut state = BlobState {
            path,
            cell: None,
            secrets: Vec::new(),
            in_test: kind.test,
            max_evidence: self.opts.max_evidence,
            inline_allow: self.opts.inline_allow,
            lines: Default::default(),
            decoded: Default::default(),
        };

        // Secret rules first, then other regexes: every later snippet of this blob is
        // redacted against the secrets found (evidence is sorted by `dedup` whatever
        // the order it is found in).
        let key = &self.opts.fingerprint_key;
        let (secret_rules, other_rules): (Vec<&Rule>, Vec<&Rule>) = scoped
            .iter()
            .copied()
            .filter(|r| r.regex.is_some() && r.regex_may_match(bytes))
            .partition(|r| r.kind == Kind::Secret);
        for rule in secret_rules.into_iter().chain(other_rules) {
            if pattern::run(
                rule,
                path,
                state.in_test,
                bytes,
                key,
                &mut state.secrets,
                &mut out.evidence,
            ) {
                rule_cut(out, rule);
            }
        }
        if !state.secrets.is_empty() {
            leave_to_provider_rules(&mut out.evidence, all);
            // A secret's own snippet was made before a later secret rule found another
            // value on its line.
            redact_snippets(bytes, &mut out.evidence, &state.secrets);
        }

        for rule in scoped.iter().filter(|r| r.is_name_only()) {
            out.evidence.push(Evidence {
                path: path.to_string(),
                cell: None,
                line: 1,
                column: 1,
                rule_id: rule.id.clone(),
                kind: rule.kind,
                identifies: rule.identifies.clone(),
                category: rule.category.clone(),
                method: Method::File,
                matched: path.rsplit('/').next().unwrap_or(path).to_string(),
                snippet: String::new(),
                secret: None,
                in_test: false,
                history: None,
                baselined: false,
                file: FileClass::default(),
            });
        }

        if kind.notebook {
            self.notebook(&mut state, bytes, &scoped, out);
        } else if let Some(lang) = kind.lang {
            let family = lang.family();
            let wanted: Vec<&Rule> = scoped
                .iter()
                .copied()
                .filter(|r| {
                    !r.imports(family).is_empty()
                        || !r.calls(family).is_empty()
                        || (lang.has_facts() && (r.wants_literals() || !r.env.is_empty()))
                })
                .collect();
            if !wanted.is_empty() && gate::code(lang, bytes, &wanted) {
                self.code(lang, &state, bytes, &wanted, out);
            }
            if !lang.has_facts() {
                // Its parse gives imports only: a provider's or a proxy's base URL
                // (Helicone's `oai.helicone.ai`) is found in its string literals.
                let by_url: Vec<&Rule> = scoped
                    .iter()
                    .copied()
                    .filter(|r| !r.endpoints.is_empty())
                    .collect();
                if !by_url.is_empty() {
                    let place = Place {
                        url: true,
                        value: false,
                    };
                    for tok in literals::quoted(bytes) {
                        match_literal(&state, bytes, &by_url, tok.value, tok.offset, place, out);
                    }
                }
            }
        } else if let Some(format) = kind.config {
            let wanted: Vec<&Rule> = scoped
                .iter()
                .copied()
                // Secret rules already ran on the raw text; in the facts they only
                // see decoded values, which only an encoded file has. A secret
                // keyword in an ordinary YAML file does not cost a parse.
                .filter(|r| {
                    r.wants_config() || r.wants_literals() || (encoded && r.regex.is_some())
                })
                .collect();
            if encoded || (!wanted.is_empty() && gate::config(bytes, &wanted)) {
                match config::facts(format, bytes) {
                    Ok(facts) => self.config(&mut state, bytes, &facts, &wanted, out),
                    Err(message) => out.skips.push(Skip {
                        reason: SkipReason::MalformedConfig,
                        message,
                    }),
                }
            }
        } else if kind.config_text {
            let wanted: Vec<&Rule> = scoped
                .iter()
                .copied()
                .filter(|r| r.wants_literals())
                .collect();
            if !wanted.is_empty() {
                for tok in literals::tokens(bytes) {
                    let place = Place {
                        url: true,
                        value: true,
                    };
                    match_literal(&state, bytes, &wanted, tok.value, tok.offset, place, out);
                }
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
            let gate = self
                .package_gate
                .get_or_init(|| manifest::PackageGate::new(&self.rules));
            if !wanted.is_empty() && gate.may_declare(eco, bytes) {
                self.manifest(&state, kind, bytes, &wanted, out);
            }
        }
        if let Some(lang) = test_lang {
            // The test calls a model itself: it constructs or calls a provider's client.
            let calls_ai = out
                .evidence
                .iter()
                .any(|e| e.kind == Kind::Provider && e.method == Method::Call);
            out.evidence
                .extend(live::candidate(path, lang, bytes, calls_ai));
        }
        if self.opts.inline_allow {
            suppress(bytes, out);
        }
        dedup(&mut out.evidence);
        cap_evidence(out, self.opts.max_evidence);
        // An example env file only lists what a developer may set: a monitoring switch
        // there is declared, not shown to be on.
        let template = kind.config == Some(config::ConfigFormat::EnvTemplate);
        for e in &mut out.evidence {
            e.file = kind.class;
            if template && e.kind == Kind::Monitoring {
                e.category = Some("declared".into());
            }
        }
    }
}

/// A value a provider's rule reports is that rule's: a generic rule's report of the
/// same value (same fingerprint) is dropped, so a key is never counted twice.
fn leave_to_provider_rules(evidence: &mut Vec<Evidence>, rules: &[Rule]) {
    let generic: std::collections::HashSet<&str> = rules
        .iter()
        .filter(|r| r.generic)
        .map(|r| r.id.as_str())
        .collect();
    if !evidence
        .iter()
        .any(|e| generic.contains(e.rule_id.as_str()))
    {
        return;
    }
    let claimed: std::collections::HashSet<String> = evidence
        .iter()
        .filter(|e| !generic.contains(e.rule_id.as_str()))
        .filter_map(|e| e.secret.as_ref().map(|s| s.fingerprint.clone()))
        .collect();
    evidence.retain(|e| {
        !generic.contains(e.rule_id.as_str())
            || e.secret
                .as_ref()
                .is_none_or(|s| !claimed.contains(&s.fingerprint))
    });
}

/// [`Detector::cache_identity`], with the version as a parameter so a test can vary it.
fn cache_identity(version: &str, rules_digest: &str, opts: &DetectOptions) -> String {
    format!("aiscout {version}; rules {rules_digest}; {opts:?}")
}

#[cfg(test)]
mod cache_identity_tests {
    use super::*;

    /// Issue #7: a cache entry is trusted only under the same version, rules and
    /// options; each one alone changes the identity.
    #[test]
    fn identity_changes_with_version_rules_and_options() {
        let opts = DetectOptions::default();
        let base = cache_identity("1.0.0", "abc", &opts);
        assert_eq!(base, cache_identity("1.0.0", "abc", &opts));
        assert_ne!(base, cache_identity("1.0.1", "abc", &opts));
        assert_ne!(base, cache_identity("1.0.0", "abd", &opts));
        let other = DetectOptions {
            max_parse_size: opts.max_parse_size / 2,
            ..opts.clone()
        };
        assert_ne!(base, cache_identity("1.0.0", "abc", &other));
        // Issue 14: an untrusted scan must not reuse what a trusted one cached, where
        // an inline `aiscout:allow` dropped the finding.
        let untrusted = DetectOptions {
            inline_allow: false,
            ..opts.clone()
        };
        assert_ne!(base, cache_identity("1.0.0", "abc", &untrusted));
        let d = Detector::new(RuleSet::builtin().expect("built-in rules"), opts);
        assert!(d.cache_identity().contains(env!("CARGO_PKG_VERSION")));
        assert!(d.cache_identity().contains(&d.rules().digest()));
    }
}
