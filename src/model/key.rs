//! Redaction at birth: the keyed fingerprint of a secret value and its shown prefix.
//!
//! Detectors hand the raw match to [`Redacted::new`] the moment they find it and keep
//! only the result, so no reporter, log line or error message downstream can print the
//! value. The [`FingerprintKey`] that fingerprints it is never printed either: only
//! its id.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use serde::{Deserialize, Serialize};

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

/// The characters of `bytes` decoded as lossy UTF-8, without allocating.
pub(super) fn lossy_chars(bytes: &[u8]) -> impl Iterator<Item = char> + '_ {
    bytes.utf8_chunks().flat_map(|chunk| {
        let bad = (!chunk.invalid().is_empty()).then_some(char::REPLACEMENT_CHARACTER);
        chunk.valid().chars().chain(bad)
    })
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
}
