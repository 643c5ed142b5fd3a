//! Snippet redaction (`model::redacted_snippet`): whatever the line and the known
//! secrets, no known value is shown past the prefix its redaction keeps, no token that
//! looks like a credential is shown whole, and the snippet stays bounded.
#![no_main]

use aiscout::model::{
    credential_like, redacted_snippet, FingerprintKey, Redacted, MAX_SNIPPET_CHARS,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte says where in the rest a known secret value sits and how long it is.
    let Some((&choice, line)) = data.split_first() else {
        return;
    };
    let mut secrets = Vec::new();
    if !line.is_empty() {
        let start = usize::from(choice) % line.len();
        let len = (usize::from(choice) / 7 % 48 + 12).min(line.len() - start);
        let value = line[start..start + len].to_vec();
        let red = Redacted::new(&value, &FingerprintKey::default());
        secrets.push((value, red));
    }
    let out = redacted_snippet(line, &secrets);
    assert!(out.chars().count() <= MAX_SNIPPET_CHARS + 1, "{out:?}");
    for (value, red) in &secrets {
        // Keys are printable ASCII. Anything else proves nothing here: invalid UTF-8
        // shows as U+FFFD whatever the bytes, and a `…` in a value reads like a mask.
        if !value.iter().all(u8::is_ascii_graphic) {
            continue;
        }
        let Ok(text) = std::str::from_utf8(value) else {
            continue;
        };
        let shown = red.shown.trim_end_matches('…').chars().count();
        // A value shorter than what a redaction may show proves nothing; nor does one
        // too uniform to be a key (its shown prefix next to the same characters around
        // it reads like more of it), nor a rest that the line holds elsewhere anyway.
        let mut seen = [false; 256];
        let distinct = value
            .iter()
            .filter(|&&b| !std::mem::replace(&mut seen[usize::from(b)], true))
            .count();
        let elsewhere = String::from_utf8_lossy(&remove_all(line, value)).into_owned();
        let rest: String = text.chars().skip(shown.max(Redacted::MAX_PREFIX)).collect();
        if rest.chars().count() >= 8 && distinct >= 6 {
            // The redaction itself is shown on purpose: text around it can read like
            // more of the value, so each piece between redactions is looked at alone.
            let pieces: Vec<&str> = out.split(red.shown.as_str()).collect();
            if !elsewhere.contains(rest.as_str()) {
                assert!(
                    !pieces.iter().any(|p| p.contains(rest.as_str())),
                    "{out:?} shows {rest:?}"
                );
            }
        }
    }
    // A lone ASCII token between spaces that looks like a credential is never shown whole.
    for token in line.split(|&b| b == b' ') {
        if token.len() >= 24 && token.is_ascii() && credential_like(token) && !line.contains(&b'\n')
        {
            let whole_line_token = line
                .split(|b| !(b.is_ascii_alphanumeric() || b"_-+/=.".contains(b)))
                .any(|t| t == token);
            let tail = String::from_utf8_lossy(&token[4..]);
            // Unless the line holds the same text outside this token.
            let elsewhere = String::from_utf8_lossy(&without_token(line, token)).into_owned();
            if whole_line_token && !elsewhere.contains(tail.as_ref()) {
                assert!(!out.contains(tail.as_ref()), "{out:?} shows {tail:?}");
            }
        }
    }
});

/// `line` without any occurrence of `value`.
fn remove_all(line: &[u8], value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(line.len());
    let mut i = 0;
    while i < line.len() {
        if !value.is_empty() && line[i..].starts_with(value) {
            i += value.len();
        } else {
            out.push(line[i]);
            i += 1;
        }
    }
    out
}

/// `line` without the whole tokens (runs of token characters) equal to `token`; the
/// same text inside a longer token stays.
fn without_token(line: &[u8], token: &[u8]) -> Vec<u8> {
    let is_token = |b: u8| b.is_ascii_alphanumeric() || b"_-+/=.".contains(&b);
    let mut out = Vec::with_capacity(line.len());
    let mut i = 0;
    while i < line.len() {
        let run = line[i..]
            .iter()
            .take_while(|&&b| is_token(b) == is_token(line[i]))
            .count();
        if !(is_token(line[i]) && &line[i..i + run] == token) {
            out.extend_from_slice(&line[i..i + run]);
        }
        i += run;
    }
    out
}
