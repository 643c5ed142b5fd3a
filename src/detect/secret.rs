//! Secret filtering: what makes a regex capture named `secret` a credential worth
//! reporting rather than a placeholder, a reference or a sample.
//!
//! Applied to every `secret` capture of every rule, so rules stay short: a rule
//! states the shape (and, for ambiguous shapes, its context), this module rejects
//! placeholders (`sk-xxxx…`, `your-api-key`, `<OPENAI_API_KEY>`, `${VAR}`),
//! repeated or sequential characters, and values under the rule's entropy floor.

/// Shannon entropy of `bytes`, in bits per byte.
pub fn entropy(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let n = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// Words that mark a value as a stand-in (compared lowercase).
const PLACEHOLDER_WORDS: &[&str] = &[
    "xxxx",
    "****",
    "....",
    "…",
    "your",
    "example",
    "placeholder",
    "changeme",
    "change_me",
    "dummy",
    "sample",
    "redacted",
    "insert",
    "replace",
    "fake",
    "<",
    ">",
    "${",
    "{{",
    "%s",
    "0000000000",
    "1234567890",
    "abcdefghij",
    "qwerty",
];

/// True when `value` looks like a placeholder rather than a real credential.
pub fn is_placeholder(value: &[u8]) -> bool {
    let lower = value.to_ascii_lowercase();
    let text = String::from_utf8_lossy(&lower);
    if PLACEHOLDER_WORDS.iter().any(|w| text.contains(w)) {
        return true;
    }
    // One character repeated (`aaaaaaaa`) or long runs of one character.
    let mut run = 1;
    for w in value.windows(2) {
        if w[0] == w[1] {
            run += 1;
            if run >= 8 {
                return true;
            }
        } else {
            run = 1;
        }
    }
    // Too few distinct characters to be random.
    let mut seen = [false; 256];
    let distinct = value
        .iter()
        .filter(|&&b| !std::mem::replace(&mut seen[b as usize], true))
        .count();
    distinct < 6.min(value.len()) || is_camel_case_name(value)
}

/// A name written in CamelCase words (`BedrockMistralChatCompleteConfig`): every
/// capital followed by at least two lower-case letters, no digits. A context rule's
/// generic shape (32 or 40 alphanumerics) matches such a name under a provider's key;
/// random text almost never reads this way.
fn is_camel_case_name(value: &[u8]) -> bool {
    let mut words = 0;
    let mut lower_run = 0;
    for (i, &b) in value.iter().enumerate() {
        match b {
            b'A'..=b'Z' => {
                if i > 0 && lower_run < 2 {
                    return false;
                }
                words += 1;
                lower_run = 0;
            }
            b'a'..=b'z' if i > 0 => lower_run += 1,
            _ => return false,
        }
    }
    words >= 3 && lower_run >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_names_are_not_keys() {
        assert!(is_placeholder(b"BedrockMistralChatCompleteConfig"));
        for key in [
            &b"avYS6bFESbzwYj4jY1bq2qmVOKswu9Td"[..],
            b"QwErTyUiOpAsDfGhJkLzXcVbNmQwErTy",
            b"KqmvRtbLwnXsyPzdHfGcJvTkWmBnQrSx",
        ] {
            assert!(!is_camel_case_name(key), "{}", String::from_utf8_lossy(key));
        }
    }

    #[test]
    fn entropy_of_random_and_flat_values() {
        assert_eq!(entropy(b"aaaa"), 0.0);
        assert!((entropy(b"ab") - 1.0).abs() < 1e-9);
        assert!(entropy(b"q8Xz2LmN4vB7cR1tY6uW0pK3") > 4.0);
    }

    #[test]
    fn placeholders_are_recognised() {
        for p in [
            &b"sk-xxxxxxxxxxxxxxxxxxxxxxxx"[..],
            b"your-api-key-here",
            b"<OPENAI_API_KEY>",
            b"${OPENAI_API_KEY}",
            b"sk-proj-EXAMPLEKEY1234",
            b"AAAAAAAAAAAAAAAAAAAAAAAA",
            b"sk-1234567890abcdef",
            b"ababababababab",
        ] {
            assert!(is_placeholder(p), "{}", String::from_utf8_lossy(p));
        }
        assert!(!is_placeholder(b"sk-proj-q8Xz2LmN4vB7cR1tY6uW0pK3"));
    }
}
