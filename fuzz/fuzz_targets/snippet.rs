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
        let shown = red.shown.trim_end_matches('…').len();
        // A value shorter than what a redaction may show proves nothing.
        if let Some(rest) = value
            .get(shown.max(Redacted::MAX_PREFIX)..)
            .filter(|r| r.len() >= 8)
        {
            let rest = String::from_utf8_lossy(rest);
            assert!(!out.contains(rest.as_ref()), "{out:?} shows {rest:?}");
        }
    }
    // A lone ASCII token between spaces that looks like a credential is never shown whole.
    for token in line.split(|&b| b == b' ') {
        if token.len() >= 24 && token.is_ascii() && credential_like(token) && !line.contains(&b'\n')
        {
            let whole_line_token = line
                .split(|b| !(b.is_ascii_alphanumeric() || b"_-+/=.".contains(b)))
                .any(|t| t == token);
            if whole_line_token {
                let tail = String::from_utf8_lossy(&token[4..]);
                assert!(!out.contains(tail.as_ref()), "{out:?} shows {tail:?}");
            }
        }
    }
});
