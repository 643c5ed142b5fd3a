//! The raw serde form of rule packs, exactly as written in YAML: nothing here is
//! validated (that is `compile`'s job), so every field of `rules/README.md` is here and
//! nothing else (`deny_unknown_fields`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{Ecosystem, Kind, LangFamily};

/// A user's pack, read from YAML. Each rule stays a JSON value until `set` turns it
/// into a [`RuleSyntax`], so that an error can name the rule's id.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PackSyntax {
    pub(super) rules: Vec<serde_json::Value>,
}

/// A built-in pack, as build.rs wrote it.
#[derive(Debug, Deserialize)]
pub(super) struct PackJson {
    pub(super) rules: Vec<serde_json::Value>,
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
    /// For governance rules (monitoring, eval, guardrail): what kind of control the
    /// evidence is (`llm-tracing`, `platform-evaluator`, `loop-limit`, …).
    #[serde(default)]
    pub category: Option<String>,
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
    /// Literals of which the regex needs at least one (case-sensitive): the regex runs
    /// only on a text that holds one. For a regex whose keyword is an ordinary word
    /// (`timeout`) and whose match starts at a line start, where no literal of its own
    /// can lead the search.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Minimum Shannon entropy (bits per byte) of the `secret` capture.
    #[serde(default)]
    pub entropy: Option<f64>,
    /// A fallback for keys no provider rule knows: the `secret` capture must look
    /// random (`model::credential_like`), and a value another rule reports is left to it.
    #[serde(default)]
    pub generic: bool,
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
    /// CI actions (`owner/repo` or `owner/repo/path`, case-insensitive) that a workflow
    /// step runs (`uses: owner/repo@ref` in GitHub Actions, a composite action's
    /// steps). The evidence also names the job's permissions and the secrets it passes.
    #[serde(default)]
    pub actions: Vec<String>,
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
