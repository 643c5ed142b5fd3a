//! Detectors: from a blob and the rules its prefilter selected, to evidence.
//!
//! [`Detector::scan`] is the one per-blob path used by scans and by `rules test`
//! alike: prefilter first, then only the detectors that a selected rule needs —
//! `code` (tree-sitter imports), `manifest` (declared dependencies), `pattern`
//! (regexes, secrets redacted at creation) and file-name rules. A detector never
//! prints, never fails the scan: trouble with one blob is a [`Skip`].

pub mod check;
pub mod code;
pub mod config;
pub mod literals;
pub mod manifest;
pub mod pattern;
pub mod secret;

use std::time::Duration;

use crate::model::{
    locate, redacted_snippet, Evidence, FileClass, FingerprintKey, Kind, LineIndex, Method, Skip,
    SkipReason, INDEX_LINES_FROM,
};
use crate::prefilter::{Prefilter, Selection};
use crate::rules::{Rule, RuleSet};
use crate::source::limits::{
    DEFAULT_MAX_EVIDENCE_PER_FILE, DEFAULT_MAX_PARSE_SIZE, DEFAULT_PARSE_TIMEOUT_MS,
};

use crate::source::filekind::FileKind;
use code::lang::{self, Lang, ParseFail};

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
}

impl Default for DetectOptions {
    fn default() -> Self {
        DetectOptions {
            parse_timeout: Duration::from_millis(DEFAULT_PARSE_TIMEOUT_MS),
            max_parse_size: DEFAULT_MAX_PARSE_SIZE,
            max_evidence: DEFAULT_MAX_EVIDENCE_PER_FILE,
            fingerprint_key: FingerprintKey::default(),
        }
    }
}

/// What one blob yielded.
#[derive(Debug, Default)]
pub struct BlobOutcome {
    /// Evidence, in detection order.
    pub evidence: Vec<Evidence>,
    /// Partial skips.
    pub skips: Vec<Skip>,
    /// The prefilter selected at least one rule.
    pub prefilter_hit: bool,
    /// tree-sitter ran.
    pub parsed: bool,
    /// Evidence dropped by an inline `aiscout:allow`.
    pub suppressed: u64,
    /// Over the evidence cap: what was dropped, and the (rule, method) pairs already
    /// represented, so a new one is still let in.
    capped: Option<Capped>,
}

/// The state of a blob that went over [`DetectOptions::max_evidence`].
#[derive(Debug, Default)]
struct Capped {
    /// Past twice the cap: only new (rule, method) pairs are let in.
    over: bool,
    dropped: u64,
    /// Matches a rule's regex did not report past its per-rule cap.
    rules_cut: Vec<String>,
    seen: std::collections::BTreeSet<(String, Method)>,
}

impl BlobOutcome {
    fn clear(&mut self) {
        self.evidence.clear();
        self.skips.clear();
        self.prefilter_hit = false;
        self.parsed = false;
        self.suppressed = 0;
        self.capped = None;
    }

    /// Whether a new evidence of `rule_id` by `method` is kept. Below twice the cap
    /// (dedup merges some) everything is; above it only the first of each rule and
    /// method, so the blob's memory and work stay bounded but every provider it names
    /// still reaches the inventory. [`cap_evidence`] then trims to the cap.
    fn admit(&mut self, cap: usize, rule_id: &str, method: Method) -> bool {
        let over = self.capped.as_ref().is_some_and(|c| c.over);
        if !over && self.evidence.len() < cap.saturating_mul(2) {
            return true;
        }
        let evidence = &self.evidence;
        let c = self.capped.get_or_insert_with(Capped::default);
        if !c.over {
            c.over = true;
            c.seen = evidence
                .iter()
                .map(|e| (e.rule_id.clone(), e.method))
                .collect();
        }
        if c.seen.insert((rule_id.to_string(), method)) {
            true
        } else {
            c.dropped += 1;
            false
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
    opts: DetectOptions,
}

/// Per-thread scratch space.
#[derive(Debug, Default)]
pub struct Scratch {
    selection: Selection,
    rules: Vec<u32>,
}

impl Detector {
    /// A detector for `rules` (the prefilter is compiled when first needed).
    pub fn new(rules: RuleSet, opts: DetectOptions) -> Detector {
        Detector {
            rules,
            prefilter: std::sync::OnceLock::new(),
            opts,
        }
    }

    fn prefilter(&self) -> &Prefilter {
        self.prefilter.get_or_init(|| Prefilter::new(&self.rules))
    }

    /// The rules this detector runs.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Everything an outcome of [`Detector::scan`] depends on besides the blob and its
    /// path: the scanner version, the compiled rules and every detector option (all of
    /// `DetectOptions`, through its `Debug` form, so a new option is included without
    /// touching this). `scan --cache` trusts no entry recorded under another identity.
    pub fn cache_identity(&self) -> String {
        cache_identity(env!("CARGO_PKG_VERSION"), &self.rules.digest(), &self.opts)
    }

    /// Scans one blob: `path` is repo-relative and `/`-separated, `bytes` its content,
    /// `kind` what the file classifier said about it.
    pub fn scan(
        &self,
        kind: &FileKind,
        path: &str,
        bytes: &[u8],
        scratch: &mut Scratch,
        out: &mut BlobOutcome,
    ) {
        out.clear();
        let hit = self.prefilter().select(path, bytes, &mut scratch.selection);
        let manifest_kind = kind.manifest;
        // A Kubernetes Secret or a Consul export hides its values in base64, where no
        // keyword can be seen: it is read even without a keyword hit.
        let encoded = kind.holds_encoded_values(bytes);
        if !hit && manifest_kind.is_none() && !encoded {
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
            .map(|(_, r)| r)
            .collect();
        let mut ctx = Ctx {
            path,
            cell: None,
            secrets: Vec::new(),
            in_test: kind.test,
            max_evidence: self.opts.max_evidence,
            lines: Default::default(),
        };

        // Secret rules first, then other regexes: every later snippet of this blob is
        // redacted against the secrets found (evidence is sorted by `dedup` whatever
        // the order it is found in).
        let key = &self.opts.fingerprint_key;
        let (secret_rules, other_rules): (Vec<&Rule>, Vec<&Rule>) = scoped
            .iter()
            .copied()
            .filter(|r| r.regex.is_some())
            .partition(|r| r.kind == Kind::Secret);
        for rule in secret_rules.into_iter().chain(other_rules) {
            if pattern::run(
                rule,
                path,
                ctx.in_test,
                bytes,
                key,
                &mut ctx.secrets,
                &mut out.evidence,
            ) {
                rule_cut(out, rule);
            }
        }
        if !ctx.secrets.is_empty() {
            // A secret's own snippet was made before a later secret rule found another
            // value on its line.
            redact_snippets(bytes, &mut out.evidence, &ctx.secrets);
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
            self.notebook(&mut ctx, bytes, &scoped, out);
        } else if let Some(lang) = kind.lang {
            let family = lang.family();
            let wanted: Vec<&Rule> = scoped
                .iter()
                .copied()
                .filter(|r| {
                    !r.imports(family).is_empty()
                        || !r.calls(family).is_empty()
                        || (lang.has_facts() && r.wants_literals())
                })
                .collect();
            if !wanted.is_empty() {
                self.code(lang, &ctx, bytes, &wanted, out);
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
            if !wanted.is_empty() || encoded {
                match config::facts(format, bytes) {
                    Ok(facts) => self.config(&mut ctx, bytes, &facts, &wanted, out),
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
                    match_literal(&ctx, bytes, &wanted, tok.value, tok.offset, true, out);
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
            if !wanted.is_empty() {
                self.manifest(&ctx, kind, bytes, &wanted, out);
            }
        }
        suppress(bytes, out);
        dedup(&mut out.evidence);
        cap_evidence(out, self.opts.max_evidence);
        for e in &mut out.evidence {
            e.file = kind.class;
        }
    }

    fn manifest(
        &self,
        ctx: &Ctx,
        kind: manifest::ManifestKind,
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
                                ctx,
                                out,
                                rule,
                                text.as_bytes(),
                                dep.offset,
                                method,
                                &dep.name,
                            );
                        }
                    }
                }
            }
            Err(message) => out.skips.push(Skip {
                reason: SkipReason::MalformedManifest,
                message,
            }),
        }
    }

    /// Runs the code detector on each code cell of a Jupyter notebook; evidence names
    /// the cell and the line within it. `!pip install x` / `%pip install x` lines are
    /// dependencies.
    fn notebook(&self, ctx: &mut Ctx, bytes: &[u8], scoped: &[&Rule], out: &mut BlobOutcome) {
        let cells = match code::notebook::code_cells(bytes) {
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
                !r.imports(family).is_empty() || !r.calls(family).is_empty() || r.wants_literals()
            })
            .collect();
        let pip: Vec<&Rule> = scoped
            .iter()
            .copied()
            .filter(|r| !r.packages(crate::model::Ecosystem::Pypi).is_empty())
            .collect();
        for cell in cells {
            ctx.cell = Some(cell.index);
            for (name, offset) in &cell.pip_installs {
                let norm = crate::rules::normalize_package(name, crate::model::Ecosystem::Pypi);
                for rule in &pip {
                    if rule
                        .packages(crate::model::Ecosystem::Pypi)
                        .iter()
                        .any(|p| p.matches(&norm))
                    {
                        push_at(
                            ctx,
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
                self.code(Lang::Python, ctx, cell.source.as_bytes(), &wanted, out);
            }
        }
        ctx.cell = None;
    }

    fn code(&self, lang: Lang, ctx: &Ctx, bytes: &[u8], wanted: &[&Rule], out: &mut BlobOutcome) {
        if bytes.len() > self.opts.max_parse_size {
            out.skips.push(Skip {
                reason: SkipReason::ParseTooLarge,
                message: format!("{} bytes exceed the parse limit", bytes.len()),
            });
            return;
        }
        if literals::is_minified(ctx.path, bytes) {
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
        for import in code::imports(lang, &tree, bytes) {
            let full = import
                .name
                .as_ref()
                .map(|n| format!("{}{sep}{n}", import.module));
            for rule in wanted {
                let hit = rule.imports(family).iter().any(|p| {
                    p.matches(&import.module, import.name.as_deref(), sep)
                        || full.as_deref().is_some_and(|f| p.matches(f, None, sep))
                });
                if hit {
                    let matched = full.as_deref().unwrap_or(&import.module);
                    push_at(
                        ctx,
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
        let facts = code::facts(lang, &tree, bytes);
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
                    push_at(ctx, out, rule, bytes, call.offset, Method::Call, matched);
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
                        ctx,
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
            if let code::StrContext::Named(n) = &lit.context {
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
                            ctx,
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
            let url_ok = match &lit.context {
                code::StrContext::Argument => true,
                code::StrContext::Named(n) => literals::is_url_name(n),
                code::StrContext::Other => false,
            };
            match_literal(
                ctx,
                bytes,
                &literal_rules,
                &lit.value,
                lit.offset,
                url_ok,
                out,
            );
        }
    }
}

impl Detector {
    /// Matches configuration facts: variables, images, resources and key paths by the
    /// rules' config matchers, values by endpoint and model rules, and decoded base64
    /// values by the secret rules (the encoded text is redacted from every snippet).
    fn config(
        &self,
        ctx: &mut Ctx,
        bytes: &[u8],
        facts: &[config::ConfigFact],
        wanted: &[&Rule],
        out: &mut BlobOutcome,
    ) {
        use config::FactKind;
        let secrets_before = ctx.secrets.len();
        let literal_rules: Vec<&Rule> = wanted
            .iter()
            .copied()
            .filter(|r| r.wants_literals())
            .collect();
        for f in facts {
            let (globs_hit, url_ok): (Vec<&Rule>, bool) = match f.kind {
                FactKind::Env => (
                    wanted
                        .iter()
                        .copied()
                        .filter(|r| r.env.iter().any(|g| crate::rules::wildcard(g, &f.name)))
                        .collect(),
                    true,
                ),
                FactKind::Image => {
                    let image = image_name(&f.value);
                    (
                        wanted
                            .iter()
                            .copied()
                            .filter(|r| r.images.iter().any(|g| image_matches(g, &image)))
                            .collect(),
                        false,
                    )
                }
                FactKind::Resource => (
                    wanted
                        .iter()
                        .copied()
                        .filter(|r| {
                            r.resources.iter().any(|(ty, cond)| {
                                *ty == f.name
                                    && cond.as_ref().is_none_or(|(k, v)| {
                                        f.attrs
                                            .iter()
                                            .any(|(ak, av)| ak == k && av.eq_ignore_ascii_case(v))
                                    })
                            })
                        })
                        .collect(),
                    false,
                ),
                FactKind::Key => (
                    wanted
                        .iter()
                        .copied()
                        .filter(|r| r.keys.iter().any(|g| crate::rules::wildcard(g, &f.name)))
                        .collect(),
                    literals::is_url_name(f.name.rsplit(['.', ']']).next().unwrap_or(&f.name))
                        || f.value.starts_with("http"),
                ),
                FactKind::Decoded => {
                    self.decoded(ctx, bytes, f, wanted, out);
                    continue;
                }
            };
            let matched = match f.kind {
                FactKind::Image => f.value.clone(),
                _ => f.name.clone(),
            };
            for rule in globs_hit {
                push_at(ctx, out, rule, bytes, f.offset, Method::Config, &matched);
            }
            if !f.value.is_empty() && !literal_rules.is_empty() {
                if f.value.contains(char::is_whitespace) {
                    // A script or command line (`run:`, `args: --model x`): its tokens,
                    // each at its own position after the declaration. Tokens come in
                    // text order, so each search starts where the last one ended: a
                    // long text value (a recorded HTTP body) costs one pass, not one
                    // per token.
                    let mut cursor = f.offset;
                    for tok in literals::tokens(f.value.as_bytes()) {
                        let at = match find_after(bytes, cursor, tok.value) {
                            Some(at) => {
                                cursor = at + tok.value.len();
                                at
                            }
                            // Escaped or folded in the file: point at the last place known.
                            None => cursor,
                        };
                        let url_ok = url_ok || tok.value.starts_with("http");
                        match_literal(ctx, bytes, &literal_rules, tok.value, at, url_ok, out);
                    }
                } else {
                    // Point at the value itself when it stands on the declaration's line.
                    let line_end = bytes[f.offset..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(bytes.len(), |i| f.offset + i);
                    let at = memchr::memmem::find(&bytes[f.offset..line_end], f.value.as_bytes())
                        .map_or(f.offset, |i| f.offset + i);
                    match_literal(ctx, bytes, &literal_rules, &f.value, at, url_ok, out);
                }
            }
        }
        if ctx.secrets.len() > secrets_before {
            // A decoded secret was found after evidence of this blob was made: its
            // encoded text may stand in any earlier snippet of the same line.
            redact_snippets(bytes, &mut out.evidence, &ctx.secrets);
        }
    }

    /// Secret rules over a decoded base64 value; evidence points at its key's line.
    fn decoded(
        &self,
        ctx: &mut Ctx,
        bytes: &[u8],
        f: &config::ConfigFact,
        wanted: &[&Rule],
        out: &mut BlobOutcome,
    ) {
        let mut found = Vec::new();
        let mut secrets = Vec::new();
        // The keywords of a secret rule (`sk-proj-`, `T3BlbkFJ`) do not survive base64,
        // so the file's prefilter could not select it: select again on the decoded text.
        let mut sel = Selection::default();
        self.prefilter()
            .select(ctx.path, f.value.as_bytes(), &mut sel);
        let all = self.rules.rules();
        let mut rules: Vec<&Rule> = wanted.to_vec();
        rules.extend(
            sel.rules
                .iter()
                .filter(|&&i| all[i as usize].files.is_empty() || sel.by_name.contains(&i))
                .map(|&i| &all[i as usize]),
        );
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        rules.dedup_by(|a, b| a.id == b.id);
        let key = &self.opts.fingerprint_key;
        for rule in rules.iter().filter(|r| r.regex.is_some()) {
            if pattern::run(
                rule,
                ctx.path,
                ctx.in_test,
                f.value.as_bytes(),
                key,
                &mut secrets,
                &mut found,
            ) {
                rule_cut(out, rule);
            }
        }
        // A decoded URL or model id (a Consul value) is evidence at its line too.
        let literal_rules: Vec<&Rule> = rules
            .iter()
            .copied()
            .filter(|r| r.wants_literals())
            .collect();
        if found.is_empty() && !literal_rules.is_empty() && !f.value.contains(char::is_whitespace) {
            let url_ok = f.value.starts_with("http");
            match_literal(ctx, bytes, &literal_rules, &f.value, f.offset, url_ok, out);
        }
        if found.is_empty() {
            return;
        }
        if !f.raw.is_empty() {
            secrets.push((
                f.raw.as_bytes().to_vec(),
                crate::model::Redacted::new(f.raw.as_bytes(), key),
            ));
        }
        ctx.secrets.extend(secrets);
        let (line, column, span) = ctx.locate(bytes, f.offset);
        for mut e in found {
            if !out.admit(ctx.max_evidence, &e.rule_id, e.method) {
                continue;
            }
            e.line = line;
            e.column = column;
            e.snippet = redacted_snippet(&bytes[span.clone()], &ctx.secrets);
            e.matched = redact_all(e.matched.as_bytes(), &ctx.secrets);
            out.evidence.push(e);
        }
    }
}

/// Where `needle` next stands at or after `from` (within 64 KiB).
fn find_after(bytes: &[u8], from: usize, needle: &str) -> Option<usize> {
    let end = bytes.len().min(from.saturating_add(64 * 1024));
    memchr::memmem::find(&bytes[from.min(end)..end], needle.as_bytes()).map(|i| from + i)
}

/// `ghcr.io/berriai/litellm:main-v1` → `ghcr.io/berriai/litellm` (tag and digest off).
fn image_name(reference: &str) -> String {
    let r = reference.trim().trim_matches(|c| c == '"' || c == '\'');
    let r = r.split('@').next().unwrap_or(r);
    // A `:` after the last `/` is a tag; one before it is a registry port.
    match (r.rfind(':'), r.rfind('/')) {
        (Some(c), Some(s)) if c > s => r[..c].to_string(),
        (Some(c), None) => r[..c].to_string(),
        _ => r.to_string(),
    }
    .to_ascii_lowercase()
}

/// An image glob matches the name with or without a registry / `docker.io/library/`
/// prefix.
fn image_matches(glob: &str, image: &str) -> bool {
    let glob = glob.to_ascii_lowercase();
    if crate::rules::wildcard(&glob, image) {
        return true;
    }
    let mut rest = image;
    while let Some((_, tail)) = rest.split_once('/') {
        if crate::rules::wildcard(&glob, tail) {
            return true;
        }
        rest = tail;
    }
    false
}

/// `OPENAI_API_KEY`-shaped: upper-case letters, digits and `_`, with at least one `_`.
fn looks_like_env_name(s: &str) -> bool {
    s.len() >= 4
        && s.contains('_')
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && s.starts_with(|c: char| c.is_ascii_uppercase())
}

/// What every evidence of one blob shares.
struct Ctx<'a> {
    path: &'a str,
    cell: Option<u32>,
    /// Secret values found in this blob, held only while it is scanned, so that no
    /// snippet of any evidence can show them.
    secrets: Vec<(Vec<u8>, crate::model::Redacted)>,
    in_test: bool,
    /// [`DetectOptions::max_evidence`].
    max_evidence: usize,
    /// Line starts of the text findings are being placed in (the blob, or the current
    /// notebook cell), made on the first finding in a large text.
    lines: std::cell::RefCell<Option<Indexed>>,
}

/// A [`LineIndex`] with the text it was made for: address, length, notebook cell.
type Indexed = (usize, usize, Option<u32>, LineIndex);

impl Ctx<'_> {
    /// [`locate`], through a line index for large texts: a file with thousands of
    /// findings must not count its newlines once per finding.
    fn locate(&self, text: &[u8], offset: usize) -> (u32, u32, std::ops::Range<usize>) {
        if text.len() < INDEX_LINES_FROM {
            return locate(text, offset);
        }
        let mut lines = self.lines.borrow_mut();
        // The same text is the same address and length within one cell of one blob
        // (the blob outlives the scan of it; a cell's text, the scan of that cell).
        let key = (text.as_ptr() as usize, text.len(), self.cell);
        match &*lines {
            Some((p, n, c, index)) if (*p, *n, *c) == key => index.locate(text, offset),
            _ => {
                let index = LineIndex::new(text);
                let found = index.locate(text, offset);
                *lines = Some((key.0, key.1, key.2, index));
                found
            }
        }
    }
}

/// Endpoint and model-id rules on one literal (a string in code, or a token of a
/// configuration file). `url_ok`: the literal stands where a URL is used.
fn match_literal(
    ctx: &Ctx,
    text: &[u8],
    rules: &[&Rule],
    value: &str,
    offset: usize,
    url_ok: bool,
    out: &mut BlobOutcome,
) {
    for rule in rules {
        if url_ok && rule.endpoints.iter().any(|h| h.matches_url(value)) {
            let host = crate::rules::url_host(value)
                .map(|(h, _)| h)
                .unwrap_or_default();
            push_at(ctx, out, rule, text, offset, Method::Endpoint, &host);
        } else if rule
            .models
            .as_ref()
            .and_then(|m| m.get())
            .is_some_and(|m| m.is_match(value))
        {
            push_at(ctx, out, rule, text, offset, Method::Literal, value);
        }
    }
}

/// Drops evidence on a line marked `aiscout:allow` (an inline suppression).
fn suppress(bytes: &[u8], out: &mut BlobOutcome) {
    const MARK: &[u8] = b"aiscout:allow";
    // memmem, not a byte-by-byte window compare: this runs on every prefilter hit.
    if memchr::memmem::find(bytes, MARK).is_none() {
        return;
    }
    let before = out.evidence.len();
    out.evidence.retain(|e| {
        e.cell.is_some() || {
            let span = crate::model::line_range(bytes, e.line);
            !bytes[span].windows(MARK.len()).any(|w| w == MARK)
        }
    });
    out.suppressed += (before - out.evidence.len()) as u64;
}

fn push_at(
    ctx: &Ctx,
    out: &mut BlobOutcome,
    rule: &Rule,
    text: &[u8],
    offset: usize,
    method: Method,
    matched: &str,
) {
    // Before `locate`: a blob over the cap costs no more work per dropped hit.
    if !out.admit(ctx.max_evidence, &rule.id, method) {
        return;
    }
    let (line, column, span) = ctx.locate(text, offset);
    let line_text = &text[span];
    if ctx.cell.is_some() && line_text.windows(13).any(|w| w == b"aiscout:allow") {
        out.suppressed += 1;
        return;
    }
    out.evidence.push(Evidence {
        path: ctx.path.to_string(),
        cell: ctx.cell,
        line,
        column,
        rule_id: rule.id.clone(),
        kind: rule.kind,
        identifies: rule.identifies.clone(),
        method,
        matched: redact_all(matched.as_bytes(), &ctx.secrets),
        snippet: redacted_snippet(line_text, &ctx.secrets),
        secret: None,
        in_test: ctx.in_test && rule.kind == crate::model::Kind::Secret,
        history: None,
        baselined: false,
        file: FileClass::default(),
    });
}

/// Rebuilds the snippet of every evidence (with one) from its line of `bytes`,
/// redacting all `secrets`, and redacts its `matched`. Redacting the old snippet is not
/// enough: a snippet is cut at [`crate::model::MAX_SNIPPET_CHARS`], and a value not yet
/// known when it was cut can stand there in part (an OpenAI key after an Anthropic key
/// on one line showed 140 of its characters), where no search for the whole value
/// finds it. One pass over the blob, in line order; notebook cells are left alone.
fn redact_snippets(
    bytes: &[u8],
    evidence: &mut [Evidence],
    secrets: &[(Vec<u8>, crate::model::Redacted)],
) {
    let mut order: Vec<usize> = (0..evidence.len())
        .filter(|&i| evidence[i].cell.is_none())
        .collect();
    order.sort_by_key(|&i| evidence[i].line);
    let (mut line, mut start) = (1u32, 0usize);
    for i in order {
        let e = &mut evidence[i];
        e.matched = redact_all(e.matched.as_bytes(), secrets);
        while line < e.line {
            match memchr::memchr(b'\n', &bytes[start..]) {
                Some(p) => {
                    start += p + 1;
                    line += 1;
                }
                None => break,
            }
        }
        if line != e.line || e.snippet.is_empty() {
            continue;
        }
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |p| start + p);
        e.snippet = redacted_snippet(&bytes[start..end], secrets);
    }
}

/// `text` with every known secret value replaced by its redaction.
fn redact_all(text: &[u8], secrets: &[(Vec<u8>, crate::model::Redacted)]) -> String {
    let mut owned = text.to_vec();
    for (value, red) in secrets {
        if value.is_empty() {
            continue;
        }
        let mut i = 0;
        while let Some(pos) = owned[i..]
            .windows(value.len())
            .position(|w| w == value.as_slice())
        {
            let at = i + pos;
            owned.splice(at..at + value.len(), red.shown.bytes());
            i = at + red.shown.len();
        }
    }
    String::from_utf8_lossy(&owned).into_owned()
}

/// Notes that `rule`'s regex had more matches than its per-rule cap
/// ([`pattern::MAX_HITS_PER_RULE`]); reported with the evidence cap, never silent.
fn rule_cut(out: &mut BlobOutcome, rule: &Rule) {
    let c = out.capped.get_or_insert_with(Capped::default);
    if !c.rules_cut.contains(&rule.id) {
        c.rules_cut.push(rule.id.clone());
    }
}

/// Keeps at most `cap` evidence of the blob, owner evidence aside (CODEOWNERS'
/// last-match semantics need every line; owner rules have their own cap), and turns
/// what was dropped into one `evidence_cap` skip. What is kept, in this order: every
/// secret (a key must never be lost to a file's 10,000 model ids), then the first
/// evidence of each rule and method (so every provider and framework the file names
/// still reaches its unit), then the rest in file order.
fn cap_evidence(out: &mut BlobOutcome, cap: usize) {
    let counted = out
        .evidence
        .iter()
        .filter(|e| e.kind != Kind::Owner)
        .count();
    if counted <= cap && out.capped.is_none() {
        return;
    }
    let mut keep: Vec<bool> = out.evidence.iter().map(|e| e.kind == Kind::Owner).collect();
    let mut room = cap;
    let mut seen = std::collections::BTreeSet::new();
    for (i, e) in out.evidence.iter().enumerate() {
        if e.kind == Kind::Secret && room > 0 {
            keep[i] = true;
            room -= 1;
            seen.insert((e.rule_id.as_str(), e.method));
        }
    }
    for (i, e) in out.evidence.iter().enumerate() {
        if !keep[i] && room > 0 && seen.insert((e.rule_id.as_str(), e.method)) {
            keep[i] = true;
            room -= 1;
        }
    }
    for k in keep.iter_mut() {
        if !*k && room > 0 {
            *k = true;
            room -= 1;
        }
    }
    let before = out.evidence.len();
    let mut flags = keep.into_iter();
    out.evidence.retain(|_| flags.next().unwrap_or(true));
    let c = out.capped.take().unwrap_or_default();
    let dropped = c.dropped + (before - out.evidence.len()) as u64;
    let mut message = Vec::new();
    if dropped > 0 {
        message.push(format!(
            "{dropped} findings over the limit of {cap} per file dropped \
             (kept: secrets first, then the first finding of each rule)"
        ));
    }
    if !c.rules_cut.is_empty() {
        message.push(format!(
            "more than {} matches of {} not reported",
            pattern::MAX_HITS_PER_RULE,
            c.rules_cut.join(", ")
        ));
    }
    if !message.is_empty() {
        out.skips.push(Skip {
            reason: SkipReason::EvidenceCap,
            message: message.join("; "),
        });
    }
}

/// One evidence per rule and line: `from x import a, b` is one import of `x`. Secrets
/// are one per value: two keys on one (minified) line are two keys to rotate.
fn dedup(evidence: &mut Vec<Evidence>) {
    fn key(e: &Evidence) -> (Option<u32>, u32, &str, Method, Option<&str>, u32) {
        let fp = e.secret.as_ref().map(|s| s.fingerprint.as_str());
        (e.cell, e.line, &e.rule_id, e.method, fp, e.column)
    }
    evidence.sort_by(|a, b| key(a).cmp(&key(b)));
    evidence.dedup_by(|b, a| {
        a.cell == b.cell
            && a.line == b.line
            && a.rule_id == b.rule_id
            && a.method == b.method
            && key(a).4 == key(b).4
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
        let d = Detector::new(RuleSet::builtin().expect("built-in rules"), opts);
        assert!(d.cache_identity().contains(env!("CARGO_PKG_VERSION")));
        assert!(d.cache_identity().contains(&d.rules().digest()));
    }
}
