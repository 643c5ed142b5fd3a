//! Evidence: one typed record per hit of one rule, and the vocabulary it is told in
//! (what it is about, how it was found). Shared by every stage after `detect/`.
//!
//! Invariant: a secret value never lives in an [`Evidence`]; only its [`Redacted`] form.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{FileClass, Redacted};

/// What a piece of evidence is about; also the `kind` of the rule that produced it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An LLM / AI API provider or its SDK.
    Provider,
    /// An agent or LLM-application framework, or an MCP SDK.
    Framework,
    /// A tool an agent can call.
    Tool,
    /// Monitoring / tracing of LLM calls.
    Monitoring,
    /// Offline evaluation.
    Eval,
    /// Containment: guardrails, approvals, limits, kill switches.
    Guardrail,
    /// A source that names an owner.
    Owner,
    /// A credential.
    Secret,
    /// A model identifier.
    Model,
    /// An MCP server used (configured in a client) or served (defined in code).
    Mcp,
    /// A third-party AI action that a CI workflow runs, with the permissions and
    /// secrets it is given: AI in CI, not an agent of the repository.
    Ci,
    /// A fact about how units reach each other: an endpoint, card, package, port or
    /// service a unit serves or calls, or an agent it hands off to. Never makes a unit
    /// on its own; `inventory::links` matches these facts into links between units.
    Link,
}

impl Kind {
    /// Every kind, in declaration order.
    pub const ALL: [Kind; 12] = [
        Kind::Provider,
        Kind::Framework,
        Kind::Tool,
        Kind::Monitoring,
        Kind::Eval,
        Kind::Guardrail,
        Kind::Owner,
        Kind::Secret,
        Kind::Model,
        Kind::Mcp,
        Kind::Ci,
        Kind::Link,
    ];

    /// The lowercase name used in rule files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Provider => "provider",
            Kind::Framework => "framework",
            Kind::Tool => "tool",
            Kind::Monitoring => "monitoring",
            Kind::Eval => "eval",
            Kind::Guardrail => "guardrail",
            Kind::Owner => "owner",
            Kind::Secret => "secret",
            Kind::Model => "model",
            Kind::Mcp => "mcp",
            Kind::Ci => "ci",
            Kind::Link => "link",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a detector came to the evidence; says how sure it is. Declared from the
/// strongest (code that calls it) to the weakest (a pattern in text).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// A call or `new` through an imported name, or a client construction.
    Call,
    /// A real import / require / dynamic import in parsed code.
    Import,
    /// A provider endpoint URL passed to code or set in configuration.
    Endpoint,
    /// Configuration that names it: an environment variable, a container image, an
    /// infrastructure resource, a configuration key.
    Config,
    /// A dependency declared in a manifest (may be unused).
    Dependency,
    /// A package pinned in a lockfile (transitive unless also declared).
    Lockfile,
    /// The file's name or path alone (e.g. an eval config file).
    File,
    /// A model id in a string literal or configuration value.
    Literal,
    /// A regex over the file's text.
    Pattern,
    /// A manifest that publishes this very package: the directory is the source of
    /// that SDK or framework, not a use of it.
    Package,
}

impl Method {
    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Call => "call",
            Method::Import => "import",
            Method::Endpoint => "endpoint",
            Method::Config => "config",
            Method::Literal => "literal",
            Method::Dependency => "dependency",
            Method::Lockfile => "lockfile",
            Method::File => "file",
            Method::Pattern => "pattern",
            Method::Package => "package",
        }
    }
}

/// One hit of one rule at one place.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Evidence {
    /// Path relative to the repository root, `/`-separated.
    pub path: String,
    /// For notebooks: the 1-based code cell, and `line` is the line within it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<u32>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in bytes.
    pub column: u32,
    /// The rule that fired.
    pub rule_id: String,
    /// What kind of thing this is evidence of.
    pub kind: Kind,
    /// The canonical name of what it names (`openai`, `langchain`).
    pub identifies: String,
    /// For governance evidence: the kind of control it is (`llm-tracing`,
    /// `platform-evaluator`, `loop-limit`, …; `declared` for a setting that only an
    /// example env file names).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// How it was found.
    pub method: Method,
    /// What matched: the module, package or file name (never a secret value).
    pub matched: String,
    /// The source line, trimmed and capped; secrets inside it already redacted.
    pub snippet: String,
    /// Present only for secrets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<Redacted>,
    /// In test code or fixtures (`tests/`, `*_test.go`, `*.spec.ts`, …).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_test: bool,
    /// With `--history`: where this finding entered the repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<HistoryInfo>,
    /// Accepted in the baseline given with `--baseline`: reported, never fails a policy.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub baselined: bool,
    /// What the file classifier said about its file (language, ecosystem, role), set
    /// when the evidence is made. Not serialized: a reader of saved evidence sets it
    /// again from the path through the same classifier.
    #[serde(skip)]
    pub file: FileClass,
}

/// Where a finding entered a repository's history.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct HistoryInfo {
    /// The first commit (oldest first over all refs) whose change added it.
    pub commit: String,
    /// Author date of that commit, `YYYY-MM-DD`.
    pub date: String,
    /// The path it had in that commit.
    pub path: String,
    /// Still present in the tree of `HEAD`.
    pub at_head: bool,
}
