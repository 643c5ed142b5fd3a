//! Env files: `NAME=value`, `export NAME=value`, `NAME: value` lines; comments and
//! blank lines skipped; quotes around the value removed.

use super::{ConfigFact, FactKind};

/// Every variable an env file sets (an empty value is still a declaration).
pub fn facts(text: &[u8]) -> Vec<ConfigFact> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive(|&b| b == b'\n') {
        let start = offset;
        offset += line.len();
        let s = String::from_utf8_lossy(line);
        let t = s.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let lead = s.len() - t.len();
        let (t, lead) = match t.strip_prefix("export ") {
            Some(rest) => (
                rest.trim_start(),
                lead + (t.len() - rest.trim_start().len()),
            ),
            None => (t, lead),
        };
        let Some(eq) = t.find(['=', ':']) else {
            continue;
        };
        let name = t[..eq].trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        {
            continue;
        }
        let value = t[eq + 1..].trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        // `# comment` after an unquoted value is not part of it.
        let value = value.split(" #").next().unwrap_or(value).trim_end();
        out.push(ConfigFact::new(FactKind::Env, name, value, start + lead));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_lines() {
        let text = b"# comment\nOPENAI_API_KEY=\nexport ANTHROPIC_BASE_URL=\"https://x\"\n  LANGSMITH_TRACING=true # on\nnot a line\n";
        let got: Vec<(String, String)> =
            facts(text).into_iter().map(|f| (f.name, f.value)).collect();
        assert_eq!(
            got,
            vec![
                ("OPENAI_API_KEY".into(), "".into()),
                ("ANTHROPIC_BASE_URL".into(), "https://x".into()),
                ("LANGSMITH_TRACING".into(), "true".into()),
            ]
        );
        let f = &facts(text)[1];
        assert!(text[f.offset..].starts_with(b"ANTHROPIC_BASE_URL"));
    }
}
