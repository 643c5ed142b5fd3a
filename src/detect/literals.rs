//! Literals outside parsed code: which files are configuration worth reading for
//! endpoints and model ids, how their values are cut into tokens, and which files
//! are minified bundles that no detector should trust.

/// Extensions and names of configuration text (not prose, not code, not lockfiles).
pub fn is_config_text(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    if matches!(
        name,
        "package-lock.json"
            | "npm-shrinkwrap.json"
            | "pnpm-lock.yaml"
            | "yarn.lock"
            | "composer.lock"
    ) {
        return false;
    }
    if name.starts_with(".env")
        || name.ends_with(".env")
        || name == ".envrc"
        || name == "Dockerfile"
    {
        return true;
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some(
            "yaml"
                | "yml"
                | "json"
                | "jsonc"
                | "toml"
                | "ini"
                | "cfg"
                | "conf"
                | "env"
                | "properties"
                | "tf"
                | "tfvars"
                | "hcl"
                | "xml"
        )
    )
}

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

/// Tokens of `text` that are at least 3 bytes long.
pub fn tokens(text: &[u8]) -> impl Iterator<Item = Token<'_>> {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < text.len() {
            while i < text.len() && !token_byte(text[i]) {
                i += 1;
            }
            let start = i;
            while i < text.len() && token_byte(text[i]) {
                i += 1;
            }
            let raw = &text[start..i];
            // `key=value` and `key: value` give the value as its own token.
            let (skip, raw) = match raw.iter().position(|&b| b == b'=') {
                Some(p) if !raw.starts_with(b"http") => (p + 1, &raw[p + 1..]),
                _ => (0, raw),
            };
            let trimmed = trim_end(raw);
            if trimmed.len() >= 3 {
                if let Ok(value) = std::str::from_utf8(trimmed) {
                    return Some(Token {
                        value,
                        offset: start + skip,
                    });
                }
            }
        }
        None
    })
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

/// Minified or bundled JavaScript: by name, or a very long line early on.
pub fn is_minified(path: &str, bytes: &[u8]) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name.contains(".min.") || name.contains(".bundle.") || name.ends_with(".chunk.js") {
        return true;
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    head.split(|&b| b == b'\n').any(|line| line.len() > 2000)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn kinds_of_files() {
        assert!(is_config_text("deploy/values.yaml"));
        assert!(is_config_text(".env.production"));
        assert!(!is_config_text("README.md"));
        assert!(!is_config_text("web/package-lock.json"));
        assert!(is_minified("static/app.min.js", b"x"));
        assert!(is_minified("dist/app.js", &[b'a'; 3000]));
        assert!(!is_minified("src/app.js", b"const a = 1;\n"));
        assert!(is_url_name("base_url") && is_url_name("baseURL") && !is_url_name("model"));
    }
}
