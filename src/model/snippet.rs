//! Where evidence stands in its text and what of that text it keeps: line and column
//! of an offset, and the snippet — trimmed, capped, and with every known secret value
//! replaced by its redaction before it is cut.

use super::Redacted;

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
        let known = line_text
            .get(at)
            .is_some_and(|&b| first[usize::from(b)])
            .then(|| {
                secrets.iter().find(|(value, _)| {
                    !value.is_empty() && line_text.get(at..).is_some_and(|t| t.starts_with(value))
                })
            })
            .flatten()
            .map(|(value, red)| {
                // The rest of a credential-looking token the value begins is hidden with
                // it: it is part of the same key-like text.
                let len = token_rest(line_text, at, at + value.len());
                (
                    cover(line_text, at, at + len, secrets) - at,
                    red.shown.as_str(),
                )
            });
        known.or_else(|| {
            credential_tail_at(line_text, at)
                .map(|len| (cover(line_text, at, at + len, secrets) - at, "…"))
        })
    })
}

/// Where a hidden span `at..end` must end so that no known value starting inside it
/// shows the part of it past its end (one replacement swallowing the start of
/// another value, which then is never replaced).
fn cover(line: &[u8], at: usize, mut end: usize, secrets: &[(Vec<u8>, Redacted)]) -> usize {
    loop {
        let past = secrets
            .iter()
            .filter(|(v, _)| !v.is_empty())
            .flat_map(|(v, _)| {
                // Only occurrences that start before `end`: the search stays near the
                // span on a 50 MiB line.
                let stop = (end + v.len() - 1).min(line.len());
                memchr::memmem::find_iter(&line[at..stop], v).map(move |p| at + p + v.len())
            })
            .max()
            .filter(|&e| e > end);
        match past {
            Some(e) => end = e,
            None => return end,
        }
    }
}

/// The length to hide from `at` when a known value spans `at..end`: up to the end of
/// the token it stands in when that token looks like a credential, else the value.
fn token_rest(line: &[u8], at: usize, end: usize) -> usize {
    let tail = line[end.min(line.len())..]
        .iter()
        .take_while(|&&b| token_byte(b))
        .count();
    if tail == 0 {
        return end - at;
    }
    let start = at
        - line[..at]
            .iter()
            .rev()
            .take(512)
            .take_while(|&&b| token_byte(b))
            .count();
    if credential_like(&line[start..end + tail]) {
        end + tail - at
    } else {
        end - at
    }
}

/// Characters a credential-looking token is made of (base64, base64url, JWT dots,
/// `sk-…` / `ghp_…` separators).
fn token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+' | b'/' | b'=' | b'.')
}

/// Characters of a masked token still shown, as a rule's redaction shows its prefix.
const TOKEN_SHOWN: usize = 4;

/// Redaction must not depend on a rule recognising the value (issue #14): a token no
/// rule claimed that looks like a credential is masked in every snippet. At byte `at`
/// that is [`TOKEN_SHOWN`] bytes into such a token, the length of the rest of it,
/// which the snippet shows as `…`.
fn credential_tail_at(line: &[u8], at: usize) -> Option<usize> {
    let start = at.checked_sub(TOKEN_SHOWN)?;
    if !line[start..at].iter().all(|&b| token_byte(b))
        || start.checked_sub(1).is_some_and(|p| token_byte(line[p]))
    {
        return None;
    }
    let end = line[at..]
        .iter()
        .position(|&b| !token_byte(b))
        .map_or(line.len(), |n| at + n);
    credential_like(&line[start..end]).then_some(end - at)
}

/// `text` (a path, a message) with every credential-looking token masked as a snippet
/// masks it, whole: not trimmed, not cut.
pub fn mask_credentials(text: &str) -> String {
    if !name_looks_secret(text) {
        return text.to_string();
    }
    // Path segments are masked one by one: a `/` ends a name, though base64 has it.
    text.split('/')
        .map(|segment| {
            let line = segment.as_bytes();
            SnippetChars {
                line,
                at: 0,
                shown: "".chars(),
                replaced_at: None,
                replace: |at| credential_tail_at(line, at).map(|len| (len, "…")),
            }
            .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Does a part of `path` (between separators) look like a key? A name can hold one.
pub fn name_looks_secret(path: &str) -> bool {
    path.as_bytes()
        .split(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+' | b'=' | b'.')))
        .any(|t| t.len() >= 20 && credential_like(t))
}

/// Does `token` look like a key rather than a word, a name, a path or a model id? At
/// least 20 letters and digits, both present, that switch between lower case, upper
/// case and digits as often as random text does: a random base62 value switches at
/// ~60% of its characters, lower-case hex or base36 at ~40%; identifiers, paths and
/// model ids (`claude-3-5-sonnet-20241022`) at under 20%. Hashes and UUIDs are masked
/// too, which costs a snippet nothing.
pub fn credential_like(token: &[u8]) -> bool {
    #[derive(PartialEq)]
    enum Class {
        Lower,
        Upper,
        Digit,
    }
    let class = |b: u8| match b {
        b'a'..=b'z' => Some(Class::Lower),
        b'A'..=b'Z' => Some(Class::Upper),
        b'0'..=b'9' => Some(Class::Digit),
        _ => None,
    };
    let (mut n, mut switches, mut digits, mut letters) = (0usize, 0usize, 0usize, 0usize);
    let mut last = None;
    // Long tokens (base64 blobs) are judged on their start: the verdict is the same.
    for c in token.iter().take(512).filter_map(|&b| class(b)) {
        n += 1;
        match c {
            Class::Digit => digits += 1,
            _ => letters += 1,
        }
        if last.as_ref().is_some_and(|l| *l != c) {
            switches += 1;
        }
        last = Some(c);
    }
    n >= 20 && digits >= 2 && letters >= 2 && switches * 10 >= (n - 1) * 3
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
    use crate::model::FingerprintKey;

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
    fn credential_looking_tokens_are_masked_whoever_claimed_them() {
        let masked = [
            "ghp_GsRbTjll0JGPs2Cbh7v5b7Dp7brlKQ5mPTrL",
            "JsczhDcQ6ydh5sb4dCwZCy3qCYbz2QD6DpKzp5VP",
            "9f86d081884c7d659a2feaa0c55ad015",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            "xoxb-2048-1234567890-a1B2c3D4e5F6g7H8i9J0k1L2",
        ];
        for token in masked {
            assert!(credential_like(token.as_bytes()), "{token}");
            let line = format!("  x = call(key=\"{token}\")  # done");
            let s = redacted_snippet(line.as_bytes(), &[]);
            assert_eq!(
                s,
                format!("x = call(key=\"{}…\")  # done", &token[..TOKEN_SHOWN]),
                "{token}"
            );
        }
        let kept = [
            "claude-3-5-sonnet-20241022",
            "anthropic.claude-3-5-sonnet-20240620-v1:0",
            "gpt-4o-mini-2024-07-18",
            "langchain_openai.chat_models.base.ChatOpenAI",
            "src/components/chat/OpenAIChatWidget2.tsx",
            "AbstractSingletonProxyFactoryBean",
            "https://api.openai.com/v1/chat/completions",
            "OPENAI_API_KEY_2024_PRODUCTION_ROTATED",
            "12345678901234567890123",
            "meta-llama/Llama-3.3-70B-Instruct-Turbo",
        ];
        for text in kept {
            let line = format!("m = \"{text}\"");
            assert_eq!(redacted_snippet(line.as_bytes(), &[]), line, "{text}");
        }
    }

    #[test]
    fn a_known_value_inside_a_masked_token_is_hidden_to_its_end() {
        let k = FingerprintKey::default();
        // Found by the snippet fuzz target: the value starts inside a credential-looking
        // token and runs past its end.
        let value = b"ee\xbd\x01SECRETTAIL99".to_vec();
        let line = [&b"H.dd4d=e88d=eeH.dd4d=e8H.dd8d=e"[..], &value, b" after"].concat();
        let secrets = vec![(value.clone(), Redacted::new(&value, &k))];
        let s = redacted_snippet(&line, &secrets);
        assert!(!s.contains("SECRETTAIL"), "{s}");
        assert!(s.ends_with("… after"), "{s}");
    }

    #[test]
    fn overlapping_values_and_token_tails_are_hidden_whole() {
        let k = FingerprintKey::default();
        // Found by the snippet fuzz target. A value whose replacement runs into the
        // start of a second value: the second is hidden to its end as well.
        let a = b"0d7..d0@0r00r//L80".to_vec();
        let line = [&a[..], b"Zq3", &a, b" end"].concat();
        let secrets = vec![(a.clone(), Redacted::new(&a, &k))];
        let s = redacted_snippet(&line, &secrets);
        assert!(!s.contains("0r00r//L80"), "{s}");
        assert!(s.ends_with("… end"), "{s}");
        // A value that begins a longer key-like token: the token's tail goes with it.
        let v = b"Qm7xT2pL9vR4".to_vec();
        let line = [&b"k = "[..], &v, b"zK8wN3cH6jY1bF5dS0gV"].concat();
        let secrets = vec![(v.clone(), Redacted::new(&v, &k))];
        let s = redacted_snippet(&line, &secrets);
        assert!(!s.contains("zK8wN3cH"), "{s}");
    }

    #[test]
    fn paths_and_messages_mask_each_key_like_segment() {
        let key = "AbC3dEf5GhI7jKl9MnO1pQr3StU5vWx7";
        assert_eq!(
            mask_credentials(&format!("org/{key}/package.json")),
            "org/AbC3…/package.json"
        );
        assert_eq!(
            mask_credentials(&format!("cannot read {key}.txt: denied")),
            "cannot read AbC3…: denied"
        );
        assert_eq!(
            mask_credentials("services/agent/app.py"),
            "services/agent/app.py"
        );
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
