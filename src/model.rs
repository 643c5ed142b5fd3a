//! The evidence model: one typed record per hit, shared by every stage after `detect/`.
//!
//! Invariant: a secret value never lives in an [`Evidence`]. Detectors hand the raw
//! match to [`Redacted::new`] at the moment they find it and keep only the result, so
//! no reporter, log line or error message downstream can print the value.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

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
}

impl Kind {
    /// Every kind, in declaration order.
    pub const ALL: [Kind; 10] = [
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
        }
    }
}

/// A secret value after redaction: a short prefix and a fingerprint, never the value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Redacted {
    /// At most [`Redacted::MAX_PREFIX`] leading characters, and never more than a
    /// quarter of the value, followed by `…`.
    pub shown: String,
    /// Hex of a domain-separated SHA-256 of the value (first 16 bytes); what baselines store.
    pub fingerprint: String,
}

impl Redacted {
    /// Longest prefix ever shown.
    pub const MAX_PREFIX: usize = 8;

    /// Redacts `value`. Call this at the point of detection and drop `value`.
    pub fn new(value: &[u8]) -> Self {
        let text = String::from_utf8_lossy(value);
        let chars: Vec<char> = text.chars().collect();
        // A quarter at most: short values keep almost nothing, long keys show their
        // provider prefix (`sk-proj-`), which is what a reader needs to triage.
        let keep = (chars.len() / 4).min(Self::MAX_PREFIX);
        let mut shown: String = chars[..keep].iter().collect();
        shown.push('…');
        let mut hasher = Sha256::new();
        // NOTE: a fixed domain tag, not yet a per-organisation key (issue #8 decides).
        hasher.update(b"aiscout-fingerprint-v1\0");
        hasher.update(value);
        let digest = hasher.finalize();
        Redacted {
            shown,
            fingerprint: hex(&digest[..16]),
        }
    }
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
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

/// Longest snippet kept, in characters.
pub const MAX_SNIPPET_CHARS: usize = 160;

/// Builds the snippet for `line_text`: trimmed, capped at [`MAX_SNIPPET_CHARS`], and with
/// the byte range `secret` (relative to `line_text`) replaced by its redaction.
pub fn snippet(line_text: &[u8], secret: Option<(std::ops::Range<usize>, &Redacted)>) -> String {
    let text = match secret {
        Some((range, red)) => {
            let mut buf = Vec::with_capacity(line_text.len());
            buf.extend_from_slice(&line_text[..range.start]);
            buf.extend_from_slice(red.shown.as_bytes());
            buf.extend_from_slice(&line_text[range.end..]);
            String::from_utf8_lossy(&buf).into_owned()
        }
        None => String::from_utf8_lossy(line_text).into_owned(),
    };
    let trimmed = text.trim();
    if trimmed.chars().count() > MAX_SNIPPET_CHARS {
        let mut s: String = trimmed.chars().take(MAX_SNIPPET_CHARS).collect();
        s.push('…');
        s
    } else {
        trimmed.to_string()
    }
}

/// 1-based line and column of byte `offset` in `text`, and the byte range of that line.
pub fn locate(text: &[u8], offset: usize) -> (u32, u32, std::ops::Range<usize>) {
    let offset = offset.min(text.len());
    let line_start = text[..offset]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line_end = text[offset..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |i| offset + i);
    let line = text[..line_start].iter().filter(|&&b| b == b'\n').count() + 1;
    (
        line as u32,
        (offset - line_start + 1) as u32,
        line_start..line_end,
    )
}

/// The byte range of 1-based `line` in `text` (empty at the end if out of range).
pub fn line_range(text: &[u8], line: u32) -> std::ops::Range<usize> {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].iter().position(|&b| b == b'\n') {
            Some(i) => start += i + 1,
            None => return text.len()..text.len(),
        }
    }
    let end = text[start..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |i| start + i);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_only_a_short_prefix() {
        let key = b"sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH";
        let r = Redacted::new(key);
        assert_eq!(r.shown, "sk-proj-…");
        assert_eq!(r.fingerprint.len(), 32);
        let short = Redacted::new(b"abcd1234");
        assert_eq!(short.shown, "ab…");
        assert_ne!(r.fingerprint, short.fingerprint);
    }

    #[test]
    fn snippet_replaces_the_secret_range() {
        let red = Redacted::new(b"SECRETSECRETSECRET");
        let s = snippet(b"  key = \"SECRETSECRETSECRET\"  ", Some((9..27, &red)));
        assert!(!s.contains("SECRETSECRET"), "{s}");
        assert!(s.starts_with("key = \"SECR…\""), "{s}");
    }

    #[test]
    fn locate_is_one_based() {
        let text = b"a\nbcd\ne";
        assert_eq!(locate(text, 3), (2, 2, 2..5));
        assert_eq!(locate(text, 0), (1, 1, 0..1));
        assert_eq!(line_range(text, 3), 6..7);
        assert_eq!(line_range(text, 9), 7..7);
    }
}
