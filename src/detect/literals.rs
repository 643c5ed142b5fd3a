//! Literals outside parsed code: how configuration values are cut into tokens, and
//! which files are minified bundles that no detector should trust.

/// A token of configuration text: a maximal run of characters that can make up a
/// URL or a model id.
#[derive(Debug, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token, with trailing `:` / `.` / `,` dropped.
    pub value: &'a str,
    /// Byte offset.
    pub offset: usize,
}

fn token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'.' | b'_'
                | b'-'
                | b'/'
                | b':'
                | b'@'
                | b'%'
                | b'?'
                | b'='
                | b'&'
                | b'+'
                | b'~'
                | b'#'
        )
}

/// Tokens of `text` that are at least 3 bytes long, outside comment lines (`#`, `//`,
/// `;` and `<!--` at the start of a line).
pub fn tokens(text: &[u8]) -> impl Iterator<Item = Token<'_>> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive(|&b| b == b'\n') {
        let base = line_start;
        line_start += line.len();
        let lead = line.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let rest = &line[lead..];
        if rest.starts_with(b"#")
            || rest.starts_with(b"//")
            || rest.starts_with(b";")
            || rest.starts_with(b"<!--")
        {
            continue;
        }
        let mut i = lead;
        while i < line.len() {
            while i < line.len() && !token_byte(line[i]) {
                i += 1;
            }
            let start = i;
            while i < line.len() && token_byte(line[i]) {
                i += 1;
            }
            let raw = &line[start..i];
            // `key=value` and `key: value` give the value as its own token.
            let (skip, raw) = match raw.iter().position(|&b| b == b'=') {
                Some(p) if !raw.starts_with(b"http") => (p + 1, &raw[p + 1..]),
                _ => (0, raw),
            };
            let trimmed = trim_end(raw);
            if trimmed.len() >= 3 {
                if let Ok(value) = std::str::from_utf8(trimmed) {
                    out.push(Token {
                        value,
                        offset: base + start + skip,
                    });
                }
            }
        }
    }
    out.into_iter()
}

/// The contents of the string literals of C-family source (Go, Java, Kotlin, C#, Rust):
/// `"…"` with backslash escapes, and Go's raw `` `…` ``; nothing inside `//` and
/// `/* … */` comments. A light scan for languages whose parse yields imports only: a
/// base URL is a string wherever it is written.
pub fn quoted(text: &[u8]) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'/' if text.get(i + 1) == Some(&b'/') => {
                i = memchr::memchr(b'\n', &text[i..]).map_or(text.len(), |n| i + n);
            }
            b'/' if text.get(i + 1) == Some(&b'*') => {
                i = memchr::memmem::find(&text[i + 2..], b"*/").map_or(text.len(), |n| i + n + 4);
            }
            // A character literal ('"' in Java, C#, Rust) is no string.
            b'\'' if text.get(i + 2) == Some(&b'\'') => i += 3,
            b'\'' if text.get(i + 1) == Some(&b'\\') && text.get(i + 3) == Some(&b'\'') => i += 4,
            q @ (b'"' | b'`') => {
                let start = i + 1;
                let mut j = start;
                while j < text.len() && text[j] != q && !(q == b'"' && text[j] == b'\n') {
                    j += if q == b'"' && text[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(text.len());
                if let Ok(value) = std::str::from_utf8(&text[start..end]) {
                    if value.len() >= 3 {
                        out.push(Token {
                            value,
                            offset: start,
                        });
                    }
                }
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    out
}

fn trim_end(mut raw: &[u8]) -> &[u8] {
    while let [rest @ .., b':' | b'.' | b',' | b'?' | b'#' | b'&'] = raw {
        raw = rest;
    }
    raw
}

/// Is `name` (a keyword argument, property or variable) one that holds a URL?
pub fn is_url_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "url", "uri", "endpoint", "base", "host", "api", "server", "address", "proxy",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// Minified or bundled JavaScript: by name, or a plain `.js` file made of a few very
/// long lines. Hand-written code with one long line (an inlined SVG path, a data
/// table) is not minified.
pub fn is_minified(path: &str, bytes: &[u8]) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name.contains(".min.") || name.contains(".bundle.") || name.ends_with(".chunk.js") {
        return true;
    }
    if !(name.ends_with(".js") || name.ends_with(".mjs") || name.ends_with(".cjs")) {
        return false;
    }
    let lines = bytes.split(|&b| b == b'\n').count().max(1);
    let longest = bytes
        .split(|&b| b == b'\n')
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0);
    longest > 2000 && bytes.len() / lines > 300
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_strings_of_c_family_source() {
        let text =
            b"cfg.BaseURL = \"https://oai.helicone.ai/v1\" // \"https://commented.example\"\n\
            /* \"https://blocked.example\" */ char q = '\"'; char e = '\\\\';\n\
            s := `raw \"text\"`; esc := \"a \\\"quoted\\\" b\"\n";
        let got: Vec<&str> = quoted(text).into_iter().map(|t| t.value).collect();
        assert_eq!(
            got,
            vec![
                "https://oai.helicone.ai/v1",
                "raw \"text\"",
                "a \\\"quoted\\\" b"
            ]
        );
        let t = &quoted(text)[0];
        assert_eq!(&text[t.offset..t.offset + 5], b"https");
        // An unterminated string ends at its line.
        let got: Vec<&str> = quoted(b"x = \"open\ny = \"next\"\n")
            .into_iter()
            .map(|t| t.value)
            .collect();
        assert_eq!(got, vec!["open", "next"]);
    }

    #[test]
    fn config_tokens() {
        let text = b"model: gpt-4o\nOPENAI_BASE_URL=https://api.openai.com/v1\n\"id\": \"anthropic.claude-3-5-sonnet-20240620-v1:0\",\n";
        let got: Vec<&str> = tokens(text).map(|t| t.value).collect();
        assert_eq!(
            got,
            vec![
                "model",
                "gpt-4o",
                "https://api.openai.com/v1",
                "anthropic.claude-3-5-sonnet-20240620-v1:0"
            ]
        );
        let t = tokens(text).nth(2).unwrap();
        assert_eq!(&text[t.offset..t.offset + 5], b"https");
        let commented = b"# model: gpt-4o\n  // url: https://api.openai.com\nkeep: yes\n";
        let got: Vec<&str> = tokens(commented).map(|t| t.value).collect();
        assert_eq!(got, vec!["keep", "yes"]);
    }

    #[test]
    fn minified_files() {
        assert!(is_minified("static/app.min.js", b"x"));
        assert!(is_minified("dist/app.js", &[b'a'; 3000]));
        assert!(!is_minified("src/app.js", b"const a = 1;\n"));
        let mut icons = b"export const Icon = () => (\n".repeat(20);
        icons.extend_from_slice(&[b'M'; 3000]);
        assert!(
            !is_minified("src/icons.tsx", &icons),
            "a long SVG path in TSX"
        );
        assert!(!is_minified(
            "src/big.js",
            &[b"x\n".repeat(5000), vec![b'a'; 2500]].concat()
        ));
        assert!(is_url_name("base_url") && is_url_name("baseURL") && !is_url_name("model"));
    }
}
