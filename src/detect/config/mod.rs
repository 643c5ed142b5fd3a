//! The config detector: structure-aware reading of configuration — env files,
//! YAML (compose, Kubernetes, Helm, CI, LiteLLM), JSON (MCP client configs, tfstate,
//! config-store exports), TOML, HCL (Terraform), `.properties` — into [`ConfigFact`]s
//! that rules match: variable names, container images, infrastructure resources, key
//! paths with their values, and base64 values decoded for the secret rules.
//!
//! Parsers are real parsers; a file one rejects is a counted skip with its message.
//! Nothing here matches rules or prints: it only says what the file declares, where.

pub mod env;

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

/// The configuration formats read structurally.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigFormat {
    /// `.env`, `.env.*`, `*.env`, `.envrc`.
    Env,
}

impl ConfigFormat {
    /// The format of `path` (repo-relative, `/`-separated), by name.
    pub fn from_path(path: &str) -> Option<ConfigFormat> {
        let name = path.rsplit('/').next().unwrap_or(path);
        if name == ".env" || name.starts_with(".env.") || name.ends_with(".env") || name == ".envrc"
        {
            return Some(ConfigFormat::Env);
        }
        None
    }
}

/// Every fact of a configuration file, or the parser's message.
pub fn facts(format: ConfigFormat, text: &[u8]) -> Result<Vec<ConfigFact>, String> {
    match format {
        ConfigFormat::Env => Ok(env::facts(text)),
    }
}
