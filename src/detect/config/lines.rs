//! Line-oriented configuration: Java `.properties` (Spring AI keys such as
//! `spring.ai.openai.api-key`), Dockerfiles (`FROM` images, `ENV` / `ARG` variables)
//! and Jenkinsfiles (`environment` variables, `withCredentials` variables, `sh`
//! scripts). None of these has a tree worth building; each logical line is one
//! declaration, and variable references in it are Env facts at their own position.

use super::walk::{is_env_shaped, is_var_name, references};
use super::{ConfigFact, FactKind};

/// Logical lines (a trailing `\` joins the next one) with their start offsets; the
/// text keeps the newlines so offsets inside it stay true.
fn logical_lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut from = 0;
    while start < text.len() {
        let end = text[from..].find('\n').map_or(text.len(), |i| from + i);
        let line = text[start..end].trim_end_matches('\r');
        if line.ends_with('\\') && end < text.len() {
            from = end + 1;
            continue;
        }
        out.push((start, &text[start..end]));
        start = end + 1;
        from = start;
    }
    out
}

fn refs(out: &mut Vec<ConfigFact>, value: &str, value_offset: usize) {
    for r in references(value) {
        out.push(ConfigFact::new(
            FactKind::Env,
            r.name,
            "",
            value_offset + r.at,
        ));
    }
}

fn unquote(v: &str) -> &str {
    let v = v.trim();
    v.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
        .unwrap_or(v)
}

/// `key=value`, `key: value`, `key value` lines of a `.properties` file.
pub fn properties(text: &str) -> Vec<ConfigFact> {
    let mut out = Vec::new();
    for (start, line) in logical_lines(text) {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') || t.starts_with('!') {
            continue;
        }
        let lead = start + (line.len() - t.len());
        let split = t.find(['=', ':', ' ', '\t']).unwrap_or(t.len());
        let key = &t[..split];
        let rest = t[split..].trim_start_matches([' ', '\t']);
        let rest = rest
            .strip_prefix(['=', ':'])
            .unwrap_or(rest)
            .trim_start_matches([' ', '\t']);
        let value_offset = lead + (t.len() - rest.len());
        let value: String = rest
            .split("\\\n")
            .map(|s| s.trim_start())
            .collect::<Vec<_>>()
            .join("");
        out.push(ConfigFact::new(FactKind::Key, key, value.trim_end(), lead));
        refs(&mut out, rest, value_offset);
    }
    out
}

/// `FROM` images, `ENV` and `ARG` variables, and references of a Dockerfile.
pub fn dockerfile(text: &str) -> Vec<ConfigFact> {
    let mut out = Vec::new();
    for (start, line) in logical_lines(text) {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let lead = start + (line.len() - t.len());
        let (word, rest) = t.split_once(char::is_whitespace).unwrap_or((t, ""));
        let rest_offset = lead + (t.len() - rest.len());
        match word.to_ascii_uppercase().as_str() {
            "FROM" => {
                let image = rest.split_whitespace().find(|w| !w.starts_with("--"));
                if let Some(image) = image.filter(|i| *i != "scratch") {
                    let at = rest_offset + rest.find(image).unwrap_or(0);
                    out.push(ConfigFact::new(FactKind::Image, "image", image, at));
                }
            }
            "ENV" | "ARG" => {
                let body = rest.trim();
                if !body.contains('=') {
                    // `ENV NAME value` (legacy) or `ARG NAME`.
                    let (name, value) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
                    if is_var_name(name) {
                        let at = rest_offset + rest.find(name).unwrap_or(0);
                        out.push(ConfigFact::new(FactKind::Env, name, unquote(value), at));
                    }
                } else {
                    let mut pos = 0;
                    for pair in body.split_whitespace() {
                        let Some((name, value)) = pair.split_once('=') else {
                            continue;
                        };
                        if is_var_name(name) {
                            let rel = rest[pos..].find(pair).map_or(pos, |i| pos + i);
                            pos = rel + pair.len();
                            out.push(ConfigFact::new(
                                FactKind::Env,
                                name,
                                unquote(value),
                                rest_offset + rel,
                            ));
                        }
                    }
                }
            }
            _ => {}
        }
        refs(&mut out, rest, rest_offset);
    }
    out
}

/// Jenkinsfile (Groovy, read by line): `NAME = …` in `environment {}`,
/// `variable: 'NAME'` of `withCredentials`, `$NAME` / `${NAME}` / `env.NAME`
/// references, and `sh` / `bat` / `powershell` scripts as Key facts named by the step.
pub fn jenkinsfile(text: &str) -> Vec<ConfigFact> {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut script: Option<(String, usize, &str, String)> = None;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let t = line.trim();
        let lead = start + (line.len() - line.trim_start().len());
        if let Some((step, at, close, mut body)) = script.take() {
            match t.find(close) {
                Some(i) => {
                    body.push_str(&t[..i]);
                    out.push(ConfigFact::new(FactKind::Key, &step, &body, at));
                }
                None => {
                    body.push_str(t);
                    body.push('\n');
                    script = Some((step, at, close, body));
                }
            }
            refs(&mut out, line, start);
            continue;
        }
        if t.starts_with("//") {
            continue;
        }
        for step in ["sh", "bat", "powershell"] {
            let Some(rest) = t.strip_prefix(step) else {
                continue;
            };
            let rest = rest.trim_start_matches(['(', ' ']);
            let rest = rest.strip_prefix("script:").map_or(rest, str::trim_start);
            if let Some(close) = ["'''", "\"\"\""].into_iter().find(|q| rest.starts_with(q)) {
                let body = &rest[3..];
                match body.find(close) {
                    Some(i) => out.push(ConfigFact::new(FactKind::Key, step, &body[..i], lead)),
                    None => script = Some((step.to_string(), lead, close, format!("{body}\n"))),
                }
            } else if rest.starts_with(['\'', '"']) {
                let q = &rest[..1];
                let body = &rest[1..];
                let end = body.rfind(q).unwrap_or(body.len());
                out.push(ConfigFact::new(FactKind::Key, step, &body[..end], lead));
            }
            break;
        }
        // `OPENAI_API_KEY = credentials('openai')` inside `environment { }`.
        if let Some((name, value)) = t.split_once('=') {
            let name = name.trim();
            if is_env_shaped(name) && !value.starts_with('=') {
                out.push(ConfigFact::new(FactKind::Env, name, unquote(value), lead));
            }
        }
        for marker in [
            "variable:",
            "usernameVariable:",
            "passwordVariable:",
            "env.",
        ] {
            let mut from = 0;
            while let Some(i) = t[from..].find(marker) {
                let after = &t[from + i + marker.len()..];
                let after_trim = after.trim_start_matches([' ', '\'', '"']);
                let name: String = after_trim
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if is_env_shaped(&name) {
                    let at = lead + (t.len() - after_trim.len());
                    out.push(ConfigFact::new(FactKind::Env, &name, "", at));
                }
                from += i + marker.len();
            }
        }
        refs(&mut out, line, start);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(f: &[ConfigFact]) -> Vec<(FactKind, String, String)> {
        f.iter()
            .map(|f| (f.kind, f.name.clone(), f.value.clone()))
            .collect()
    }

    #[test]
    fn spring_properties() {
        let text = "# ai\nspring.ai.openai.api-key=${OPENAI_API_KEY}\nspring.ai.openai.chat.options.model: gpt-4o\n";
        let f = properties(text);
        let p = pairs(&f);
        assert!(p.contains(&(
            FactKind::Key,
            "spring.ai.openai.api-key".into(),
            "${OPENAI_API_KEY}".into()
        )));
        assert!(p.contains(&(
            FactKind::Key,
            "spring.ai.openai.chat.options.model".into(),
            "gpt-4o".into()
        )));
        let env = f.iter().find(|f| f.kind == FactKind::Env).unwrap();
        assert!(text[env.offset..].starts_with("OPENAI_API_KEY}"));
    }

    #[test]
    fn dockerfile_images_and_env() {
        let text = "FROM --platform=linux/amd64 ollama/ollama:0.3 AS base\nENV OLLAMA_HOST=0.0.0.0 \\\n    HF_TOKEN=\"\"\nARG OPENAI_API_KEY\n";
        let f = dockerfile(text);
        let p = pairs(&f);
        assert!(p.contains(&(FactKind::Image, "image".into(), "ollama/ollama:0.3".into())));
        assert!(p.contains(&(FactKind::Env, "HF_TOKEN".into(), "".into())));
        let hf = f.iter().find(|f| f.name == "HF_TOKEN").unwrap();
        assert!(text[hf.offset..].starts_with("HF_TOKEN"));
        assert!(p.contains(&(FactKind::Env, "OPENAI_API_KEY".into(), "".into())));
    }

    #[test]
    fn jenkins_env_credentials_and_scripts() {
        let text = "pipeline {\n  environment {\n    OPENAI_API_KEY = credentials('openai-key')\n  }\n  stages { stage('eval') { steps {\n    withCredentials([string(credentialsId: 'a', variable: 'ANTHROPIC_API_KEY')]) {\n      sh 'npx promptfoo eval'\n      sh '''\n        echo $LANGSMITH_API_KEY\n      '''\n    }\n  } } }\n}\n";
        let p = pairs(&jenkinsfile(text));
        assert!(p.contains(&(
            FactKind::Env,
            "OPENAI_API_KEY".into(),
            "credentials('openai-key')".into()
        )));
        assert!(p.contains(&(FactKind::Env, "ANTHROPIC_API_KEY".into(), "".into())));
        assert!(p.contains(&(FactKind::Key, "sh".into(), "npx promptfoo eval".into())));
        assert!(p.contains(&(FactKind::Env, "LANGSMITH_API_KEY".into(), "".into())));
    }
}
