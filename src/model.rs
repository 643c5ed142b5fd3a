//! The evidence model: one typed record per hit, shared by every stage after `detect/`.
//!
//! Invariant: a secret value never lives in an [`Evidence`]. Detectors hand the raw
//! match to [`Redacted::new`] at the moment they find it and keep only the result, so
//! no reporter, log line or error message downstream can print the value. The
//! [`FingerprintKey`] that fingerprints it is never printed either: only its id.

use std::fmt;

use hmac::{Hmac, Mac};
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

/// The key of the keyed secret fingerprint (HMAC-SHA256): an organisation's secret, so
/// that holding a report does not let anyone confirm a guessed or leaked key by hashing
/// it (docs/fingerprints.md). Cheap to clone; its `Debug` shows only [`Self::id`].
#[derive(Clone)]
pub struct FingerprintKey {
    /// The HMAC state after absorbing the key: the key itself is not kept.
    mac: Hmac<Sha256>,
    id: String,
}

/// Why a fingerprint key was refused. The messages never contain the key.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    /// Nothing left after the trailing line ending.
    #[error("the fingerprint key is empty")]
    Empty,
    /// Too short to resist guessing.
    #[error(
        "the fingerprint key is {len} bytes; use at least {min} random bytes (e.g. `openssl rand -hex 32`)",
        min = FingerprintKey::MIN_LEN
    )]
    TooShort {
        /// Its length in bytes.
        len: usize,
    },
}

impl FingerprintKey {
    /// The id of the built-in key.
    pub const DEFAULT_ID: &'static str = "default";

    /// Shortest key accepted: 16 bytes, 128 bits when random.
    pub const MIN_LEN: usize = 16;

    /// The built-in key. Unkeyed in effect: it is public, so anyone holding a report
    /// made with it can confirm a guessed key. Set a key for reports that leave the team.
    const DEFAULT_KEY: &'static [u8] = b"aiscout-default-fingerprint-key (public: not a secret)";

    /// Domain tag hashed before the value, so a fingerprint can never equal any other
    /// HMAC made with the same key.
    const TAG: &'static [u8] = b"aiscout-fingerprint-v2\0";

    /// A key from its bytes (a key file's contents or `AISCOUT_FINGERPRINT_KEY`); one
    /// trailing line ending (`\n` or `\r\n`) is not part of it, so `echo KEY > file` and
    /// `echo -n KEY > file` give the same key.
    pub fn new(key: &[u8]) -> Result<Self, KeyError> {
        let key = key
            .strip_suffix(b"\n")
            .map(|k| k.strip_suffix(b"\r").unwrap_or(k))
            .unwrap_or(key);
        if key.is_empty() {
            return Err(KeyError::Empty);
        }
        if key.len() < Self::MIN_LEN {
            return Err(KeyError::TooShort { len: key.len() });
        }
        let mut h = Sha256::new();
        h.update(b"aiscout-key-id\0");
        h.update(key);
        Ok(Self::with_id(key, hex(&h.finalize()[..4])))
    }

    fn with_id(key: &[u8], id: String) -> Self {
        FingerprintKey {
            mac: Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length"),
            id,
        }
    }

    /// What reports record about the key: `default`, or the first 8 hex digits of
    /// SHA-256(`aiscout-key-id\0` ‖ key). Names the key without revealing it.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Hex of the first 16 bytes of HMAC-SHA256(key, `aiscout-fingerprint-v2\0` ‖ value).
    pub fn fingerprint(&self, value: &[u8]) -> String {
        let mut mac = self.mac.clone();
        mac.update(Self::TAG);
        mac.update(value);
        hex(&mac.finalize().into_bytes()[..16])
    }
}

impl Default for FingerprintKey {
    /// The built-in, public key ([`FingerprintKey::DEFAULT_ID`]).
    fn default() -> Self {
        Self::with_id(Self::DEFAULT_KEY, Self::DEFAULT_ID.to_string())
    }
}

impl fmt::Debug for FingerprintKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FingerprintKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// A secret value after redaction: a short prefix and a fingerprint, never the value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Redacted {
    /// At most [`Redacted::MAX_PREFIX`] leading characters, and never more than a
    /// quarter of the value, followed by `…`.
    pub shown: String,
    /// [`FingerprintKey::fingerprint`] of the value; what baselines store. Comparable
    /// only between reports made with the same key (`scanner.fingerprint_key_id`).
    pub fingerprint: String,
}

impl Redacted {
    /// Longest prefix ever shown.
    pub const MAX_PREFIX: usize = 8;

    /// Redacts `value`, fingerprinting it with `key`. Call this at the point of
    /// detection and drop `value`.
    pub fn new(value: &[u8], key: &FingerprintKey) -> Self {
        // A quarter at most: short values keep almost nothing, long keys show their
        // provider prefix (`sk-proj-`), which is what a reader needs to triage. Only
        // the prefix is decoded: a value can be as long as its file.
        let chars = lossy_chars(value).count();
        let keep = (chars / 4).min(Self::MAX_PREFIX);
        let mut shown: String = lossy_chars(value).take(keep).collect();
        shown.push('…');
        Redacted {
            shown,
            fingerprint: key.fingerprint(value),
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

/// The snippet of `line_text`: trimmed and capped at [`MAX_SNIPPET_CHARS`], with every
/// occurrence of every `secrets` value (raw bytes, with their redactions) replaced by
/// its redaction before the line is cut, so a value straddling the cut is never half
/// shown. Memory is bounded by the snippet, not the line: a 50 MiB minified line used
/// to be copied twice per evidence (splice, then lossy UTF-8), 105 MB of a 168 MB peak.
pub fn redacted_snippet(line_text: &[u8], secrets: &[(Vec<u8>, Redacted)]) -> String {
    // Where no value can start, no value is compared: a file of thousands of keys
    // makes thousands of snippets against thousands of values.
    let mut first = [false; 256];
    for (value, _) in secrets {
        if let Some(&b) = value.first() {
            first[usize::from(b)] = true;
        }
    }
    bounded_snippet(line_text, |at| {
        if !line_text.get(at).is_some_and(|&b| first[usize::from(b)]) {
            return None;
        }
        secrets
            .iter()
            .find(|(value, _)| {
                !value.is_empty() && line_text.get(at..).is_some_and(|t| t.starts_with(value))
            })
            .map(|(value, red)| (value.len(), red.shown.as_str()))
    })
}

/// The snippet of `line` as if `replace` had been applied to it first and then the
/// result decoded as lossy UTF-8, trimmed and cut at [`MAX_SNIPPET_CHARS`] — without
/// building any of those intermediate strings. `replace(at)` says whether a replacement
/// (bytes to skip, text to show) starts at byte `at`.
fn bounded_snippet<'r>(line: &[u8], replace: impl Fn(usize) -> Option<(usize, &'r str)>) -> String {
    let mut chars = SnippetChars {
        line,
        at: 0,
        shown: "".chars(),
        replaced_at: None,
        replace,
    }
    .skip_while(|c| c.is_whitespace());
    let mut s: String = chars.by_ref().take(MAX_SNIPPET_CHARS).collect();
    // Stops at the first non-blank character: no second pass over a long line.
    if chars.any(|c| !c.is_whitespace()) {
        s.push('…');
    } else {
        s.truncate(s.trim_end().len());
    }
    s
}

/// The characters of a line after replacements, decoded lazily as
/// [`String::from_utf8_lossy`] would.
struct SnippetChars<'a, 'r, F> {
    line: &'a [u8],
    at: usize,
    /// The rest of a replacement being emitted.
    shown: std::str::Chars<'r>,
    /// Where the last replacement started: an empty one is made once, not forever.
    replaced_at: Option<usize>,
    replace: F,
}

impl<'r, F: Fn(usize) -> Option<(usize, &'r str)>> Iterator for SnippetChars<'_, 'r, F> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        loop {
            if let Some(c) = self.shown.next() {
                return Some(c);
            }
            // A replacement may also start at the very end (an empty range there).
            if self.at > self.line.len() {
                return None;
            }
            match (self.replace)(self.at).filter(|_| self.replaced_at != Some(self.at)) {
                Some((skip, shown)) => {
                    self.replaced_at = Some(self.at);
                    self.at += skip;
                    self.shown = shown.chars();
                }
                None if self.at == self.line.len() => return None,
                None => break,
            }
        }
        // One character, never decoded across the start of a replacement (a match
        // that begins inside a multi-byte sequence still hides all of its bytes).
        let width = match self.line[self.at] {
            0x00..=0x7f => 1,
            _ => 4,
        };
        let mut end = self.line.len().min(self.at + width);
        if let Some(q) = (self.at + 1..end).find(|&q| (self.replace)(q).is_some()) {
            end = q;
        }
        let (c, len) = first_lossy_char(&self.line[self.at..end]);
        self.at += len;
        Some(c)
    }
}

/// The first character of `bytes` as lossy UTF-8 decoding sees it, and its length.
fn first_lossy_char(bytes: &[u8]) -> (char, usize) {
    let chunk = bytes
        .utf8_chunks()
        .next()
        .expect("called on a non-empty slice");
    match chunk.valid().chars().next() {
        Some(c) => (c, c.len_utf8()),
        None => (char::REPLACEMENT_CHARACTER, chunk.invalid().len()),
    }
}

/// The characters of `bytes` decoded as lossy UTF-8, without allocating.
fn lossy_chars(bytes: &[u8]) -> impl Iterator<Item = char> + '_ {
    bytes.utf8_chunks().flat_map(|chunk| {
        let bad = (!chunk.invalid().is_empty()).then_some(char::REPLACEMENT_CHARACTER);
        chunk.valid().chars().chain(bad)
    })
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

/// From this size on, a text with several findings is located through a [`LineIndex`].
pub const INDEX_LINES_FROM: usize = 16 * 1024;

/// The line starts of one text, for many [`locate`]s on it: each is then a binary
/// search instead of a count of every newline before the offset.
#[derive(Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text` (one pass).
    pub fn new(text: &[u8]) -> LineIndex {
        LineIndex {
            starts: std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', text).map(|i| i + 1))
                .collect(),
        }
    }

    /// [`locate`] in the `text` this index was made from.
    pub fn locate(&self, text: &[u8], offset: usize) -> (u32, u32, std::ops::Range<usize>) {
        let offset = offset.min(text.len());
        // `starts[0] == 0 <= offset`, so the line exists.
        let i = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[i];
        let end = self.starts.get(i + 1).map_or(text.len(), |&s| s - 1);
        ((i + 1) as u32, (offset - start + 1) as u32, start..end)
    }
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

    fn key(text: &str) -> FingerprintKey {
        FingerprintKey::new(text.as_bytes()).unwrap()
    }

    #[test]
    fn redaction_keeps_only_a_short_prefix() {
        let k = FingerprintKey::default();
        let secret = b"sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH";
        let r = Redacted::new(secret, &k);
        assert_eq!(r.shown, "sk-proj-…");
        assert_eq!(r.fingerprint.len(), 32);
        let short = Redacted::new(b"abcd1234", &k);
        assert_eq!(short.shown, "ab…");
        assert_ne!(r.fingerprint, short.fingerprint);
        assert_eq!(Redacted::new("é€😀x".as_bytes(), &k).shown, "é…");
        assert_eq!(
            Redacted::new(b"\xff\xfe\xfdabcde", &k).shown,
            "\u{fffd}\u{fffd}…"
        );
    }

    // Issue #8: fingerprints are keyed, so a report does not confirm a guessed key.
    #[test]
    fn issue_8_fingerprints_are_keyed() {
        let value = b"sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH";
        let (a, b) = (key("org-key-one-0123456789"), key("org-key-two-0123456789"));
        assert_eq!(
            a.fingerprint(value),
            key("org-key-one-0123456789").fingerprint(value)
        );
        assert_eq!(
            Redacted::new(value, &a),
            Redacted::new(value, &a),
            "same value, same key"
        );
        assert_ne!(a.fingerprint(value), b.fingerprint(value), "another key");
        assert_ne!(a.fingerprint(value), a.fingerprint(b"sk-proj-other"));
        let default = FingerprintKey::default();
        assert_ne!(default.fingerprint(value), a.fingerprint(value));
        // The v1 scheme: unkeyed, domain-separated SHA-256.
        let mut v1 = Sha256::new();
        v1.update(b"aiscout-fingerprint-v1\0");
        v1.update(value);
        assert_ne!(default.fingerprint(value), hex(&v1.finalize()[..16]));
    }

    #[test]
    fn a_key_is_named_by_its_id_and_never_shown() {
        let text = "correct-horse-battery-staple-42";
        let k = key(text);
        assert_eq!(k.id().len(), 8);
        assert!(k.id().bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(k.id(), key(&format!("{text}\n")).id(), "a trailing newline");
        assert_eq!(k.id(), key(&format!("{text}\r\n")).id());
        assert_ne!(k.id(), key(&format!("{text} ")).id());
        assert_eq!(FingerprintKey::default().id(), "default");
        let debug = format!("{k:?}");
        assert!(debug.contains(k.id()) && !debug.contains(text), "{debug}");
        assert_eq!(FingerprintKey::new(b"").unwrap_err(), KeyError::Empty);
        assert_eq!(FingerprintKey::new(b"\n").unwrap_err(), KeyError::Empty);
        let short = FingerprintKey::new(b"hunter2\n").unwrap_err();
        assert_eq!(short, KeyError::TooShort { len: 7 });
        assert!(!short.to_string().contains("hunter2"));
    }

    /// The snippet before it was bounded: splice, lossy copy, trim, cut.
    fn old_snippet(line: &[u8], secret: Option<(std::ops::Range<usize>, &Redacted)>) -> String {
        let text = match secret {
            Some((range, red)) => {
                let mut buf = line[..range.start].to_vec();
                buf.extend_from_slice(red.shown.as_bytes());
                buf.extend_from_slice(&line[range.end..]);
                String::from_utf8_lossy(&buf).into_owned()
            }
            None => String::from_utf8_lossy(line).into_owned(),
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

    /// The snippet with only the byte range `secret` replaced: what the old code did,
    /// through the bounded path.
    fn snippet(line_text: &[u8], secret: Option<(std::ops::Range<usize>, &Redacted)>) -> String {
        let (range, shown) = match secret {
            Some((range, red)) => (range, Some(red.shown.as_str())),
            None => (0..0, None),
        };
        bounded_snippet(line_text, |at| {
            shown
                .filter(|_| at == range.start)
                .map(|s| (range.len(), s))
        })
    }

    #[test]
    fn snippet_is_unchanged_by_bounding_it() {
        let red = Redacted::new(b"SECRETSECRETSECRET", &FingerprintKey::default());
        let long = format!("  {}  ", "a".repeat(500));
        let cases: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"   ".to_vec(),
            b"  x = 1  ".to_vec(),
            long.clone().into_bytes(),
            "\u{a0} é\u{2003}".repeat(100).into_bytes(),
            [
                &b"\xff\xc3 caf\xc3\xa9 \xe2\x82"[..],
                &[b'z'; 200],
                b"\xf0\x9f",
            ]
            .concat(),
            format!("{}y{}", " ".repeat(300), " ".repeat(300)).into_bytes(),
            "x".repeat(MAX_SNIPPET_CHARS).into_bytes(),
            format!("{}  \t", "x".repeat(MAX_SNIPPET_CHARS)).into_bytes(),
            format!("{} y", "x".repeat(MAX_SNIPPET_CHARS)).into_bytes(),
        ];
        for line in &cases {
            assert_eq!(snippet(line, None), old_snippet(line, None), "{line:?}");
            for start in [0, 1.min(line.len()), line.len() / 2, line.len()] {
                for len in [0, 1, 3, 40] {
                    let range = start..(start + len).min(line.len());
                    assert_eq!(
                        snippet(line, Some((range.clone(), &red))),
                        old_snippet(line, Some((range.clone(), &red))),
                        "{line:?} {range:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn snippet_replaces_the_secret_range() {
        let red = Redacted::new(b"SECRETSECRETSECRET", &FingerprintKey::default());
        let secrets = [(b"SECRETSECRETSECRET".to_vec(), red)];
        let s = redacted_snippet(b"  key = \"SECRETSECRETSECRET\"  ", &secrets);
        assert!(!s.contains("SECRETSECRET"), "{s}");
        assert!(s.starts_with("key = \"SECR…\""), "{s}");
    }

    #[test]
    fn a_redacted_snippet_never_shows_part_of_a_value_it_cuts() {
        let k = FingerprintKey::default();
        let value = "Q".repeat(300);
        let secrets = vec![(
            value.clone().into_bytes(),
            Redacted::new(value.as_bytes(), &k),
        )];
        let line = format!("{} k={value} and more", "a ".repeat(60));
        let s = redacted_snippet(line.as_bytes(), &secrets);
        assert!(!s.contains("QQQQQQQQQ"), "{s}");
        assert!(s.contains("QQQQQQQQ…"), "{s}");
        // A value that begins inside a multi-byte character is hidden too.
        let odd = b"\x82\xacTOKENTOKENTOKEN".to_vec();
        let secrets = vec![(odd.clone(), Redacted::new(&odd, &k))];
        let s = redacted_snippet(&[&b"x \xe2"[..], &odd, b" y"].concat(), &secrets);
        assert!(!s.contains("TOKENTOKEN"), "{s}");
    }

    #[test]
    fn a_snippet_of_a_50_mib_line_reads_only_its_start() {
        let mut line = vec![b' '; 1024];
        line.resize(50 << 20, b'a');
        let s = redacted_snippet(&line, &[]);
        assert_eq!(s.chars().count(), MAX_SNIPPET_CHARS + 1);
        assert!(s.ends_with('…'));
    }

    #[test]
    fn line_index_agrees_with_locate_everywhere() {
        for text in [
            &b""[..],
            b"\n",
            b"a",
            b"ab\ncd\n\nef",
            b"\n\nx\n",
            "é\nü\r\nz".as_bytes(),
        ] {
            let index = LineIndex::new(text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    index.locate(text, offset),
                    locate(text, offset),
                    "{text:?} at {offset}"
                );
            }
        }
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
