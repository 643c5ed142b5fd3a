//! The config detector: structure-aware reading of configuration — env files,
//! YAML (compose, Kubernetes, Helm, CI, LiteLLM), JSON (MCP client configs, tfstate,
//! config-store exports), TOML, HCL (Terraform), `.properties` — into [`ConfigFact`]s
//! that rules match: variable names, container images, infrastructure resources, key
//! paths with their values, and base64 values decoded for the secret rules.
//!
//! Parsers are real parsers; a file one rejects is a counted skip with its message.
//! Nothing here matches rules or prints: it only says what the file declares, where.
//! Every reader is bounded (nesting depth, alias expansions, facts per file), so a
//! hostile file costs a skip or a truncated list, never the scan.

pub mod env;
pub mod hcl;
pub mod json;
pub mod lines;
pub mod toml;
pub mod tree;
pub mod walk;
pub mod yaml;

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
    use crate::rules::RuleSet;

    /// Issue 5: a key stored base64 in a Kubernetes Secret is found, at its key's line,
    /// and neither the key nor its base64 text reaches any evidence.
    #[test]
    fn issue_5_secret_data_is_decoded_found_and_never_shown() {
        // A synthetic key of the right shape: a fixed pseudo-random body, no real key.
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
        let key = format!("sk-proj-{}T3BlbkFJ{}", body(74), body(74));
        let b64 = base64::engine::general_purpose::STANDARD.encode(&key);
        let text = format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: llm\ndata:\n  OPENAI_API_KEY: {b64}\n"
        );
        let detector = Detector::new(RuleSet::builtin().unwrap(), DetectOptions::default());
        let mut out = BlobOutcome::default();
        detector.scan(
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
