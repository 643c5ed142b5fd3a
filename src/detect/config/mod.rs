//! The config detector: structure-aware reading of configuration — env files,
//! YAML (compose, Kubernetes, Helm, CI, LiteLLM), JSON (MCP client configs, tfstate,
//! config-store exports), TOML, HCL (Terraform), `.properties` — into [`ConfigFact`]s
//! that rules match: variable names, container images, infrastructure resources, key
//! paths with their values, and base64 values decoded for the secret rules.
//!
//! Parsers are real parsers; a file one rejects is a counted skip with its message.
//! The readers (one file per format) only say what a file declares, where;
//! [`Detector::config`] matches those facts against the selected rules.
//! Every reader is bounded (nesting depth, alias expansions, facts per file), so a
//! hostile file costs a skip or a truncated list, never the scan.

mod ci;
pub mod env;
pub mod hcl;
pub mod json;
pub mod lines;
pub mod toml;
pub mod tree;
pub mod walk;
pub mod yaml;

use crate::detect::hit::{match_literal, push_at, BlobState, Place};
use crate::detect::outcome::{redact_all, redact_snippets, rule_cut};
use crate::detect::{pattern, BlobOutcome, Detector};
use crate::model::{redacted_snippet, Kind, Method};
use crate::prefilter::Selection;
use crate::rules::Rule;

/// What a fact is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FactKind {
    /// An environment variable declared or referenced (`name` is the variable).
    Env,
    /// A container image (`value` is the reference, e.g. `ollama/ollama:0.3`).
    Image,
    /// An infrastructure resource (`name` is its type, e.g. `aws_bedrockagent_agent`
    /// or `AWS::Bedrock::Agent`; `attrs` its scalar attributes).
    Resource,
    /// A key path with its scalar value (`value` is empty for a mapping or list).
    Key,
    /// A value that was base64 in the file, decoded (`value`); `raw` is the encoded
    /// text so that no snippet can show it.
    Decoded,
}

/// One thing a configuration file declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigFact {
    /// What it is.
    pub kind: FactKind,
    /// The variable name, resource type or dotted key path (`services.api.image`,
    /// `mcpServers.github`, `model_list[].litellm_params.model`).
    pub name: String,
    /// The scalar value, if any.
    pub value: String,
    /// For resources: scalar attributes (`kind` → `OpenAI`).
    pub attrs: Vec<(String, String)>,
    /// For decoded values: the encoded text as it stands in the file.
    pub raw: String,
    /// Byte offset in the file of the declaration.
    pub offset: usize,
}

impl ConfigFact {
    /// A fact with only a kind, a name, a value and an offset.
    pub fn new(
        kind: FactKind,
        name: impl Into<String>,
        value: impl Into<String>,
        offset: usize,
    ) -> Self {
        ConfigFact {
            kind,
            name: name.into(),
            value: value.into(),
            attrs: Vec::new(),
            raw: String::new(),
            offset,
        }
    }
}

pub use crate::source::filekind::ConfigFormat;

/// A link fact as evidence shows it, `key.path=value`, if the key holds one worth
/// showing: never an empty value (a mapping), and under an environment or headers block
/// only a URL — any other value there may be a password.
fn link_fact(name: &str, value: &str) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    let private = name.split('.').any(|seg| {
        matches!(
            seg.trim_end_matches("[]"),
            "env" | "environment" | "headers" | "variables" | "secrets"
        )
    });
    if private && !value.contains("://") {
        return None;
    }
    Some(format!("{name}={}", link_value(value)))
}

/// A value without what a URL in it may carry besides where it points: the
/// `user:password@` and the query (where tokens ride).
fn link_value(value: &str) -> String {
    let Some(i) = value.find("://") else {
        return value.to_string();
    };
    let (head, rest) = (&value[..i + 3], &value[i + 3..]);
    let end = rest.find(['?', '#', ' ']).unwrap_or(rest.len());
    let host_end = rest[..end].find('/').unwrap_or(end);
    let start = rest[..host_end].rfind('@').map_or(0, |at| at + 1);
    format!(
        "{head}{}{}",
        &rest[start..end],
        &rest[end..]
            .split_once(' ')
            .map_or(String::new(), |(_, t)| format!(" {t}"))
    )
}

/// Every fact of a configuration file, or the parser's message. Decoded facts come
/// first, so that every later snippet of the file can be redacted against them.
pub fn facts(format: ConfigFormat, text: &[u8]) -> Result<Vec<ConfigFact>, String> {
    match format {
        ConfigFormat::Env => return Ok(env::facts(text)),
        ConfigFormat::EnvTemplate => {
            let mut facts = env::facts(text);
            facts.retain(|f| {
                !f.value.is_empty() && !crate::detect::secret::is_placeholder(f.value.as_bytes())
            });
            return Ok(facts);
        }
        _ => {}
    }
    let text = std::str::from_utf8(text)
        .map_err(|e| format!("not UTF-8 text (invalid byte at {})", e.valid_up_to()))?;
    let mut facts = match format {
        ConfigFormat::Env | ConfigFormat::EnvTemplate => env::facts(text.as_bytes()),
        ConfigFormat::Yaml => walk::facts(&yaml::parse(text)?, text),
        ConfigFormat::Json => walk::facts(&json::parse(text)?, text),
        ConfigFormat::Toml => walk::facts(&toml::parse(text)?, text),
        ConfigFormat::Hcl => hcl::facts(text)?,
        ConfigFormat::Properties => lines::properties(text),
        ConfigFormat::Dockerfile => lines::dockerfile(text),
        ConfigFormat::Jenkinsfile => lines::jenkinsfile(text),
    };
    facts.sort_by_key(|f| f.kind != FactKind::Decoded);
    Ok(facts)
}

impl Detector {
    /// Matches configuration facts: variables, images, resources and key paths by the
    /// rules' config matchers, values by endpoint and model rules, and decoded base64
    /// values by the secret rules (the encoded text is redacted from every snippet).
    pub(in crate::detect) fn config(
        &self,
        state: &mut BlobState,
        bytes: &[u8],
        facts: &[ConfigFact],
        wanted: &[&Rule],
        out: &mut BlobOutcome,
    ) {
        let secrets_before = state.secrets.len();
        let literal_rules: Vec<&Rule> = wanted
            .iter()
            .copied()
            .filter(|r| r.wants_literals())
            .collect();
        for f in facts {
            let (globs_hit, url_ok): (Vec<&Rule>, Option<bool>) = match f.kind {
                FactKind::Env => (
                    wanted
                        .iter()
                        .copied()
                        .filter(|r| r.env.iter().any(|g| crate::rules::wildcard(g, &f.name)))
                        .collect(),
                    Some(true),
                ),
                FactKind::Image => {
                    let image = image_name(&f.value);
                    (
                        wanted
                            .iter()
                            .copied()
                            .filter(|r| r.images.iter().any(|g| image_matches(g, &image)))
                            .collect(),
                        Some(false),
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
                    Some(false),
                ),
                FactKind::Key => (
                    wanted
                        .iter()
                        .copied()
                        .filter(|r| r.keys.iter().any(|g| crate::rules::wildcard(g, &f.name)))
                        .collect(),
                    // Decided below, only for a value some rule will look at.
                    None,
                ),
                FactKind::Decoded => {
                    self.decoded(state, bytes, f, wanted, out);
                    continue;
                }
            };
            let matched = match f.kind {
                FactKind::Image => f.value.clone(),
                _ => f.name.clone(),
            };
            for rule in globs_hit {
                // A link fact is its value: the URL, command or port the key holds,
                // with the key path that says whose it is (`services.api.ports[]=8000`).
                let matched = if rule.kind == Kind::Link {
                    match link_fact(&f.name, &f.value) {
                        Some(m) => m,
                        None => continue,
                    }
                } else {
                    matched.clone()
                };
                push_at(state, out, rule, bytes, f.offset, Method::Config, &matched);
            }
            if !f.value.is_empty() && !literal_rules.is_empty() {
                let url_ok = url_ok.unwrap_or_else(|| {
                    crate::detect::literals::is_url_name(
                        f.name.rsplit(['.', ']']).next().unwrap_or(&f.name),
                    ) || f.value.starts_with("http")
                });
                if f.value.contains(char::is_whitespace) {
                    // A script or command line (`run:`, `args: --model x`): its tokens,
                    // each at its own position after the declaration. Tokens come in
                    // text order, so each search starts where the last one ended: a
                    // long text value (a recorded HTTP body) costs one pass, not one
                    // per token.
                    let mut cursor = f.offset;
                    for tok in crate::detect::literals::tokens(f.value.as_bytes()) {
                        let at = match find_after(bytes, cursor, tok.value) {
                            Some(at) => {
                                cursor = at + tok.value.len();
                                at
                            }
                            // Escaped or folded in the file: point at the last place known.
                            None => cursor,
                        };
                        let url_ok = url_ok || tok.value.starts_with("http");
                        let place = Place {
                            url: url_ok,
                            value: true,
                        };
                        match_literal(state, bytes, &literal_rules, tok.value, at, place, out);
                    }
                } else {
                    // Point at the value itself when it stands on the declaration's line.
                    let line_end = bytes[f.offset..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(bytes.len(), |i| f.offset + i);
                    let at = memchr::memmem::find(&bytes[f.offset..line_end], f.value.as_bytes())
                        .map_or(f.offset, |i| f.offset + i);
                    // An item of a list (`enum: [openai:gpt-4o, …]`) is one name of a
                    // table, like a list element in code.
                    let place = Place {
                        url: url_ok,
                        value: !f.name.ends_with("[]"),
                    };
                    match_literal(state, bytes, &literal_rules, &f.value, at, place, out);
                }
            }
        }
        let actions: Vec<&Rule> = wanted
            .iter()
            .copied()
            .filter(|r| !r.actions.is_empty())
            .collect();
        if !actions.is_empty() {
            ci::actions(state, bytes, facts, &actions, out);
        }
        if state.secrets.len() > secrets_before {
            // A decoded secret was found after evidence of this blob was made: its
            // encoded text may stand in any earlier snippet of the same line.
            redact_snippets(bytes, &mut out.evidence, &state.secrets);
        }
    }

    /// Secret rules over a decoded base64 value; evidence points at its key's line.
    pub(in crate::detect) fn decoded(
        &self,
        state: &mut BlobState,
        bytes: &[u8],
        f: &ConfigFact,
        wanted: &[&Rule],
        out: &mut BlobOutcome,
    ) {
        let mut found = Vec::new();
        let mut secrets = Vec::new();
        // The keywords of a secret rule (`sk-proj-`, `T3BlbkFJ`) do not survive base64,
        // so the file's prefilter could not select it: select again on the decoded text.
        let mut sel = Selection::default();
        self.prefilter()
            .select(state.path, f.value.as_bytes(), &mut sel);
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
                state.path,
                state.in_test,
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
            let place = Place {
                url: f.value.starts_with("http"),
                value: true,
            };
            match_literal(state, bytes, &literal_rules, &f.value, f.offset, place, out);
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
        for (value, red) in secrets {
            if state.decoded.known.insert(red.fingerprint.clone()) {
                state.secrets.push((value, red));
            }
        }
        let (line, column, span) = state.locate(bytes, f.offset);
        for mut e in found {
            if let Some(fp) = e.secret.as_ref().map(|s| s.fingerprint.clone()) {
                // As in the pattern detector: past the per-rule cap only a repeat of a
                // value already reported is dropped, never a new key.
                let new = state.decoded.reported.insert((e.rule_id.clone(), fp));
                let n = state.decoded.per_rule.entry(e.rule_id.clone()).or_default();
                if *n >= pattern::MAX_HITS_PER_RULE && !new {
                    if let Some(rule) = rules.iter().find(|r| r.id == e.rule_id) {
                        rule_cut(out, rule);
                    }
                    continue;
                }
                *n += 1;
            }
            if !out.admit(state.max_evidence, e.kind, &e.rule_id, e.method) {
                continue;
            }
            e.line = line;
            e.column = column;
            e.snippet = redacted_snippet(&bytes[span.clone()], &state.secrets);
            e.matched = redact_all(e.matched.as_bytes(), &state.secrets);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_files_are_errors_not_panics() {
        for (format, text) in [
            (ConfigFormat::Yaml, "a: [1, 2\nb: {"),
            (ConfigFormat::Json, "{\"a\": [1, }"),
            (ConfigFormat::Hcl, "resource \"x\" \"y\" {\n  a = \n"),
            (ConfigFormat::Toml, "[a\nb = "),
            (ConfigFormat::Json, "\u{0}\u{ff}"),
        ] {
            assert!(facts(format, text.as_bytes()).is_err(), "{format:?}");
        }
        assert!(facts(ConfigFormat::Yaml, &[0xff, 0xfe]).is_err());
    }

    #[test]
    fn env_templates_keep_only_real_values() {
        let text = b"OPENAI_API_KEY=\nANTHROPIC_API_KEY=your-key-here\nOPENAI_MODEL=gpt-4o-mini\n";
        let f = facts(ConfigFormat::EnvTemplate, text).unwrap();
        let names: Vec<&str> = f.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, vec!["OPENAI_MODEL"]);
    }

    #[test]
    fn link_facts_show_urls_without_credentials_and_no_other_environment_value() {
        assert_eq!(
            link_fact(
                "mcpServers.t",
                "npx -y mcp-remote https://u:pw@t.example/sse?token=abc --x"
            ),
            Some("mcpServers.t=npx -y mcp-remote https://t.example/sse --x".into())
        );
        assert_eq!(
            link_fact("services.api.environment.DB_PASSWORD", "hunter2"),
            None
        );
        assert_eq!(
            link_fact(
                "services.api.environment[]",
                "RESEARCH_URL=http://research:8000"
            ),
            Some("services.api.environment[]=RESEARCH_URL=http://research:8000".into())
        );
        assert_eq!(link_fact("services.api.build", ""), None);
        assert_eq!(
            link_fact("services.api.ports[]", "8000:8000"),
            Some("services.api.ports[]=8000:8000".into())
        );
    }

    #[test]
    fn decoded_facts_come_first() {
        let text = b"apiVersion: v1\nkind: Secret\ndata:\n  OPENAI_API_KEY: c2stdGVzdA==\n";
        let f = facts(ConfigFormat::Yaml, text).unwrap();
        assert_eq!(f[0].kind, FactKind::Decoded);
    }
}

#[cfg(test)]
mod secret_tests {
    use base64::Engine;

    use crate::detect::{BlobOutcome, DetectOptions, Detector, Scratch};
    use crate::model::Kind;
    use crate::rules::RuleSet;

    /// A synthetic OpenAI project key: a fixed pseudo-random body, no real key.
    fn synthetic_key() -> String {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let mut body = |n: usize| -> String {
            (0..n)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    alphabet[(x % alphabet.len() as u64) as usize] as char
                })
                .collect()
        };
        format!("sk-proj-{}T3BlbkFJ{}", body(74), body(74))
    }

    fn run(secrets_only: bool, path: &str, text: &str) -> BlobOutcome {
        let detector = Detector::new(RuleSet::builtin().unwrap(), DetectOptions::default());
        let mut out = BlobOutcome::default();
        let kind = crate::source::filekind::FileKind::of(path);
        let (bytes, scratch) = (text.as_bytes(), &mut Scratch::default());
        if secrets_only {
            detector.detect_secrets(&kind, path, bytes, scratch, &mut out);
        } else {
            detector.detect(&kind, path, bytes, scratch, &mut out);
        }
        out
    }

    /// Issue 13: a history blob is read for keys only — no parse, no other evidence —
    /// and a key in an encoded value is still decoded and found.
    #[test]
    fn issue_13_history_blobs_are_read_for_keys_only() {
        let key = synthetic_key();
        let code = format!("import openai\nclient = openai.OpenAI(api_key=\"{key}\")\n");
        let full = run(false, "app/bot.py", &code);
        assert!(full.parsed && full.evidence.iter().any(|e| e.kind != Kind::Secret));
        let keys = run(true, "app/bot.py", &code);
        assert!(!keys.parsed);
        let kinds: Vec<Kind> = keys.evidence.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [Kind::Secret]);
        let b64 = base64::engine::general_purpose::STANDARD.encode(&key);
        let secret = format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: llm\ndata:\n  OPENAI_API_KEY: {b64}\n"
        );
        let decoded = run(true, "k8s/secret.yaml", &secret);
        assert!(decoded
            .evidence
            .iter()
            .any(|e| e.rule_id == "secret.openai.project"));
    }

    /// Issue 5: a key stored base64 in a Kubernetes Secret is found, at its key's line,
    /// and neither the key nor its base64 text reaches any evidence.
    #[test]
    fn issue_5_secret_data_is_decoded_found_and_never_shown() {
        let key = synthetic_key();
        let b64 = base64::engine::general_purpose::STANDARD.encode(&key);
        let text = format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: llm\ndata:\n  OPENAI_API_KEY: {b64}\n"
        );
        let detector = Detector::new(RuleSet::builtin().unwrap(), DetectOptions::default());
        let mut out = BlobOutcome::default();
        detector.detect(
            &crate::source::filekind::FileKind::of("k8s/secret.yaml"),
            "k8s/secret.yaml",
            text.as_bytes(),
            &mut Scratch::default(),
            &mut out,
        );
        let found = out
            .evidence
            .iter()
            .find(|e| e.rule_id == "secret.openai.project")
            .expect("the decoded key is found");
        assert_eq!(found.line, 6);
        for e in &out.evidence {
            for shown in [&e.snippet, &e.matched] {
                assert!(
                    !shown.contains(&key) && !shown.contains(&b64[..40]),
                    "{e:?}"
                );
            }
        }
    }
}
