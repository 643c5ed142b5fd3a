//! Go modules: `go.mod` (`require`, `// indirect`) and `go.sum`.
//!
//! There is no go.mod parser among our dependencies, so this is a small line parser
//! that follows the grammar of `golang.org/x/mod/modfile`: a directive is a verb and
//! its arguments on one line, or a verb and `(` opening a block of argument lines
//! closed by `)`; `//` starts a comment outside quoted strings; a module path may be
//! quoted. Only `require` lines are dependencies — `replace`, `exclude`, `retract`,
//! `tool`, `ignore`, `godebug` and unknown verbs are read past. A `require` marked
//! `// indirect` is a module of the build graph the main module does not import
//! itself, so it is reported like a lockfile entry (`locked: true`).
//!
//! In `go.sum`, every module with a hash of its source tree (`<module> <version> h1:…`)
//! is reported, `locked: true`. A module with only a `<version>/go.mod` hash had just
//! its go.mod read during version selection: it is not built, so it is not reported.

use super::Dependency;
use crate::model::Ecosystem;
use crate::rules::normalize_package;

/// One token of a go.mod line: its text (quotes removed) and byte offset.
#[derive(Debug)]
struct Token<'a> {
    text: &'a str,
    offset: usize,
}

/// The tokens of `line` (starting at byte `start` of the file) before any `//` comment,
/// and the comment text after `//`, if any.
fn tokenize(line: &str, start: usize) -> Result<(Vec<Token<'_>>, Option<&str>), String> {
    let mut tokens = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if line[i..].starts_with("//") {
            return Ok((tokens, Some(&line[i + 2..])));
        } else if c == b'"' || c == b'`' {
            let close = line[i + 1..]
                .find(c as char)
                .ok_or_else(|| format!("unterminated quoted string at byte {}", start + i))?;
            tokens.push(Token {
                text: &line[i + 1..i + 1 + close],
                offset: start + i + 1,
            });
            i += close + 2;
        } else if c == b'(' || c == b')' {
            tokens.push(Token {
                text: &line[i..i + 1],
                offset: start + i,
            });
            i += 1;
        } else {
            let end = line[i..]
                .find(|ch: char| ch.is_ascii_whitespace() || ch == '(' || ch == ')' || ch == '"')
                .map_or(line.len(), |e| i + e);
            // `a//b` is a token followed by a comment, as in modfile's lexer.
            let end = line[i..end].find("//").map_or(end, |e| i + e);
            tokens.push(Token {
                text: &line[i..end],
                offset: start + i,
            });
            i = end;
        }
    }
    Ok((tokens, None))
}

/// `// indirect`, or `// indirect; more`, as `modfile.isIndirect` reads it.
fn is_indirect(comment: Option<&str>) -> bool {
    comment.is_some_and(|c| {
        let c = c.trim();
        c == "indirect" || c.starts_with("indirect;")
    })
}

/// A `require` argument list: `path version`.
fn require(
    args: &[Token<'_>],
    comment: Option<&str>,
    line_no: usize,
) -> Result<Dependency, String> {
    let [path, version] = args else {
        return Err(format!("line {line_no}: usage: require module/path v1.2.3"));
    };
    if path.text.is_empty() || path.text.starts_with('-') || path.text.contains(char::is_whitespace)
    {
        return Err(format!("line {line_no}: invalid module path"));
    }
    if !version.text.starts_with('v') {
        return Err(format!(
            "line {line_no}: version must start with `v`, found `{}`",
            version.text
        ));
    }
    Ok(Dependency {
        name: normalize_package(path.text, Ecosystem::Go),
        offset: path.offset,
        locked: is_indirect(comment),
    })
}

/// Required modules of a `go.mod`.
pub fn go_mod(text: &str) -> Result<Vec<Dependency>, String> {
    let mut out = Vec::new();
    // The verb of the open block, if any.
    let mut block: Option<(String, usize)> = None;
    let mut offset = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let line_no = i + 1;
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let (tokens, comment) =
            tokenize(line, start).map_err(|e| format!("line {line_no}: {e}"))?;
        if tokens.is_empty() {
            continue;
        }
        if let Some((verb, _)) = &block {
            if tokens.len() == 1 && tokens[0].text == ")" {
                block = None;
                continue;
            }
            if tokens.iter().any(|t| t.text == "(" || t.text == ")") {
                return Err(format!("line {line_no}: unexpected parenthesis in a block"));
            }
            if verb == "require" {
                out.push(require(&tokens, comment, line_no)?);
            }
            continue;
        }
        let verb = tokens[0].text;
        let args = &tokens[1..];
        if args.first().is_some_and(|t| t.text == "(") {
            match args.len() {
                1 => block = Some((verb.to_string(), line_no)),
                // `require ()` on one line: an empty block.
                2 if args[1].text == ")" => {}
                _ => return Err(format!("line {line_no}: `(` must end the line")),
            }
            continue;
        }
        if tokens.iter().any(|t| t.text == "(" || t.text == ")") {
            return Err(format!("line {line_no}: unexpected parenthesis"));
        }
        if verb == "require" {
            out.push(require(args, comment, line_no)?);
        }
    }
    if let Some((verb, line_no)) = block {
        return Err(format!("line {line_no}: `{verb} (` block is never closed"));
    }
    Ok(out)
}

/// Modules whose source is hashed in a `go.sum`, each once.
pub fn go_sum(text: &str) -> Result<Vec<Dependency>, String> {
    let mut out: Vec<Dependency> = Vec::new();
    let mut offset = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [module, version, hash] = fields[..] else {
            return Err(format!(
                "line {}: expected `module version hash`, found {} fields",
                i + 1,
                fields.len()
            ));
        };
        if !version.starts_with('v') || !hash.contains(':') {
            return Err(format!("line {}: malformed go.sum entry", i + 1));
        }
        if version.ends_with("/go.mod") {
            continue;
        }
        let name = normalize_package(module, Ecosystem::Go);
        if out.iter().any(|d| d.name == name) {
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        out.push(Dependency {
            name,
            offset: start + lead,
            locked: true,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::{dependencies, ManifestKind};

    fn deps(kind: ManifestKind, text: &str) -> Vec<(String, bool)> {
        dependencies(kind, text)
            .unwrap()
            .into_iter()
            .map(|d| (d.name, d.locked))
            .collect()
    }

    #[test]
    fn go_mod_requires_single_and_blocks() {
        let text = r#"// github.com/openai/openai-go is not used
module example.com/agent

go 1.23

toolchain go1.23.4

require github.com/tmc/langchaingo v0.1.13

require (
	github.com/openai/openai-go/v3 v3.8.1
	"github.com/mark3labs/mcp-go" v0.32.0
	github.com/pkoukk/tiktoken-go v0.1.6 // indirect
	github.com/dlclark/regexp2 v1.10.0 // indirect; for tiktoken
	github.com/google/uuid v1.6.0 // pinned, not indirect
)

replace github.com/sashabaranov/go-openai => ../go-openai

replace (
	github.com/anthropics/anthropic-sdk-go v1.4.0 => github.com/acme/anthropic-fork v1.4.1
)

exclude github.com/ollama/ollama v0.1.0

retract (
	v0.9.0 // published by mistake
	[v0.5.0, v0.5.3]
)
"#;
        assert_eq!(
            deps(ManifestKind::GoMod, text),
            vec![
                ("github.com/tmc/langchaingo".to_string(), false),
                ("github.com/openai/openai-go/v3".to_string(), false),
                ("github.com/mark3labs/mcp-go".to_string(), false),
                ("github.com/pkoukk/tiktoken-go".to_string(), true),
                ("github.com/dlclark/regexp2".to_string(), true),
                ("github.com/google/uuid".to_string(), false),
            ]
        );
        let found = dependencies(ManifestKind::GoMod, text).unwrap();
        assert!(text[found[0].offset..].starts_with("github.com/tmc/langchaingo v0.1.13"));
        assert!(text[found[2].offset..].starts_with("github.com/mark3labs/mcp-go\""));
    }

    #[test]
    fn go_mod_crlf_and_empty_block() {
        let text =
            "module x\r\n\r\nrequire ()\r\nrequire (\r\n\tgoogle.golang.org/genai v1.0.0\r\n)\r\n";
        assert_eq!(
            deps(ManifestKind::GoMod, text),
            vec![("google.golang.org/genai".to_string(), false)]
        );
    }

    #[test]
    fn malformed_go_mod_is_an_error_not_a_panic() {
        for bad in [
            "module x\nrequire (\n\tgithub.com/tmc/langchaingo v0.1.0\n",
            "module x\nrequire github.com/tmc/langchaingo\n",
            "module x\nrequire github.com/tmc/langchaingo 0.1.0\n",
            "module x\nrequire \"github.com/tmc/langchaingo v0.1.0\n",
            "module x\nrequire ( github.com/tmc/langchaingo v0.1.0 )\n",
            "module x\nrequire (\n\ta v1 ( b\n)\n",
        ] {
            assert!(dependencies(ManifestKind::GoMod, bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn go_sum_reports_built_modules_once() {
        let text = "github.com/sashabaranov/go-openai v1.28.1 h1:aREx6faUTeOZNMDTNGAY8B9vNmmGuQBd0jgWeUh8L5c=\n\
github.com/sashabaranov/go-openai v1.28.1/go.mod h1:lj5b/K+zjTSFxVLijLSTDZuP7adOgerWeFyZLUhAKRg=\n\
github.com/tmc/langchaingo v0.1.10/go.mod h1:lj5b/K+zjTSFxVLijLSTDZuP7adOgerWeFyZLUhAKRg=\n\
\n\
github.com/google/uuid v1.6.0 h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=\n";
        assert_eq!(
            deps(ManifestKind::GoSum, text),
            vec![
                ("github.com/sashabaranov/go-openai".to_string(), true),
                ("github.com/google/uuid".to_string(), true),
            ]
        );
    }

    #[test]
    fn malformed_go_sum_is_an_error_not_a_panic() {
        assert!(dependencies(ManifestKind::GoSum, "github.com/x/y v1.0.0\n").is_err());
        assert!(dependencies(ManifestKind::GoSum, "not a go.sum at all\n").is_err());
    }
}
