//! The four pattern languages of `match:` — module names, calls, endpoint hosts and
//! package names — each parsed once from its rule text and matched many times.

use crate::model::Ecosystem;

/// A compiled module-name pattern.
#[derive(Clone, Debug)]
pub struct ModulePattern {
    /// The module name, without a trailing `*`.
    pub name: String,
    /// Ends in `*`: any module starting with `name` matches.
    pub prefix: bool,
    /// `module:Name` form: only an import of `Name` from `module` matches.
    pub imported: Option<String>,
}

impl ModulePattern {
    pub(super) fn parse(raw: &str) -> Result<Self, String> {
        // A lone `:` separates `module:Name`; `::` is part of a Rust path.
        let lone_colon = raw
            .char_indices()
            .find(|&(i, c)| c == ':' && !raw[..i].ends_with(':') && !raw[i + 1..].starts_with(':'));
        let (module, imported) = match lone_colon.map(|(i, _)| (&raw[..i], &raw[i + 1..])) {
            Some((m, n)) if !n.is_empty() && !n.contains('*') => (m, Some(n.to_string())),
            Some(_) => return Err(format!("`{raw}`: after `:` give one imported name")),
            None => (raw, None),
        };
        let (name, prefix) = match module.strip_suffix('*') {
            Some(n) => (n, true),
            None => (module, false),
        };
        if name.is_empty() || name.contains('*') || name.contains(char::is_whitespace) {
            return Err(format!(
                "`{raw}`: a module pattern is a name, optionally ending in `*`"
            ));
        }
        if prefix && imported.is_some() {
            return Err(format!("`{raw}`: `*` and `:Name` cannot be combined"));
        }
        Ok(ModulePattern {
            name: name.to_string(),
            prefix,
            imported,
        })
    }

    /// Does an import of `module` (naming `imported`, for `from m import x`) match?
    /// `sep` is the submodule separator of the language (`.`, `/` or `::`).
    pub fn matches(&self, module: &str, imported: Option<&str>, sep: &str) -> bool {
        if let Some(want) = &self.imported {
            // `from m import Name`, or `import m.Name`.
            return (module == self.name && imported == Some(want.as_str()))
                || (module.len() == self.name.len() + sep.len() + want.len()
                    && module.starts_with(&self.name)
                    && module[self.name.len()..].starts_with(sep)
                    && module.ends_with(want.as_str()));
        }
        if self.prefix {
            return module.starts_with(&self.name);
        }
        module == self.name
            || (module.len() > self.name.len()
                && module.starts_with(&self.name)
                && module[self.name.len()..].starts_with(sep))
    }
}

/// A compiled call pattern.
#[derive(Clone, Debug)]
pub struct CallPattern {
    /// The qualified callee (`boto3.client`), or the method name after `*.`.
    pub callee: String,
    /// `*.method`: any receiver.
    pub any_receiver: bool,
    /// Ends in `*` (`OpenAI::*`): any callee starting with `callee` matches, the name
    /// itself included (`OpenAI::*` matches `OpenAI.configure`, a call of
    /// `OpenAI::configure`, and `OpenAI::Client.new`).
    pub prefix: bool,
    /// A glob (`*` wildcard) the first string argument must match.
    pub first_arg: Option<String>,
}

impl CallPattern {
    pub(super) fn parse(raw: &str) -> Result<Self, String> {
        let (callee, arg) = match raw.split_once('(') {
            Some((c, rest)) => {
                let arg = rest
                    .strip_suffix(')')
                    .ok_or_else(|| format!("`{raw}`: close the argument with `)`"))?;
                (
                    c,
                    Some(arg.trim_matches(|c| c == '"' || c == '\'').to_string()),
                )
            }
            None => (raw, None),
        };
        let (callee, any_receiver) = match callee.strip_prefix("*.") {
            Some(m) => (m, true),
            None => (callee, false),
        };
        let (callee, prefix) = match callee.strip_suffix('*') {
            Some(c) if !any_receiver => (c, true),
            _ => (callee, false),
        };
        if callee.is_empty() || callee.contains(char::is_whitespace) || callee.contains('*') {
            return Err(format!(
                "`{raw}`: a call pattern is `name.path`, `name.path(arg)`, `name.path.*` or \
                 `*.method(arg)`"
            ));
        }
        Ok(CallPattern {
            callee: callee.to_string(),
            any_receiver,
            prefix,
            first_arg: arg,
        })
    }

    /// Does a call of `qualified` (resolved through imports, if it was) written as
    /// `written`, with first string argument `first_arg`, match? `sep` joins members.
    pub fn matches(
        &self,
        qualified: Option<&str>,
        written: &str,
        first_arg: Option<&str>,
        sep: &str,
    ) -> bool {
        let callee_ok = if self.any_receiver {
            let last = written.rsplit('.').next().unwrap_or(written);
            last == self.callee
        } else if self.prefix {
            let want = self.callee.replace('.', sep);
            let bare = want.strip_suffix(sep).unwrap_or(&want);
            qualified.is_some_and(|q| q.starts_with(&want) || q == bare)
        } else {
            let want = self.callee.replace('.', sep);
            qualified.is_some_and(|q| q == want || q == self.callee)
        };
        callee_ok
            && match (&self.first_arg, first_arg) {
                (None, _) => true,
                (Some(glob), Some(arg)) => wildcard(glob, arg),
                (Some(_), None) => false,
            }
    }
}

/// A compiled endpoint host pattern.
#[derive(Clone, Debug)]
pub struct HostPattern {
    /// Lowercase host glob (`*` matches any run of characters).
    pub host: String,
    /// Required port, if the pattern names one.
    pub port: Option<String>,
}

impl HostPattern {
    pub(super) fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim().to_ascii_lowercase();
        if raw.is_empty() || raw.contains('/') || raw.contains(char::is_whitespace) {
            return Err(format!(
                "`{raw}`: an endpoint is a host glob, optionally with `:port`"
            ));
        }
        let (host, port) = match raw.rsplit_once(':') {
            Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() => {
                (h.to_string(), Some(p.to_string()))
            }
            _ => (raw.clone(), None),
        };
        Ok(HostPattern { host, port })
    }

    /// Does the URL `url` point at this host?
    pub fn matches_url(&self, url: &str) -> bool {
        let Some((host, port)) = url_host(url) else {
            return false;
        };
        wildcard(&self.host, &host)
            && self
                .port
                .as_deref()
                .is_none_or(|p| port.as_deref() == Some(p))
    }
}

/// Host (lowercase) and port of an `http(s)://` or `ws(s)://` URL.
pub fn url_host(url: &str) -> Option<(String, Option<String>)> {
    let rest = ["https://", "http://", "wss://", "ws://"]
        .iter()
        .find_map(|s| {
            url.get(..s.len())
                .filter(|p| p.eq_ignore_ascii_case(s))
                .map(|_| &url[s.len()..])
        })?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => (h, Some(p.to_string())),
        _ => (authority, None),
    };
    if host.is_empty() {
        return None;
    }
    Some((host.to_ascii_lowercase(), port))
}

/// `*`-only glob matching over the whole of `text`.
pub fn wildcard(glob: &str, text: &str) -> bool {
    let parts: Vec<&str> = glob.split('*').collect();
    if parts.len() == 1 {
        return glob == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first)
        || !text[first.len()..].ends_with(last)
        || text.len() < first.len() + last.len()
    {
        return false;
    }
    let mut pos = first.len();
    let end = text.len() - last.len();
    for mid in &parts[1..parts.len() - 1] {
        match text[pos..end].find(mid) {
            Some(i) => pos += i + mid.len(),
            None => return false,
        }
    }
    true
}

impl ModulePattern {
    /// Does a call of the qualified name `q` (`openai.OpenAI`, `agents.Runner.run`) go
    /// through a module this pattern names?
    pub fn matches_call(&self, q: &str, sep: &str) -> bool {
        match &self.imported {
            Some(want) => {
                let base = format!("{}{sep}{want}", self.name);
                q == base || (q.starts_with(&base) && q[base.len()..].starts_with(sep))
            }
            None => self.matches(q, None, sep),
        }
    }
}

/// A compiled package-name pattern (already normalised for its ecosystem).
#[derive(Clone, Debug)]
pub struct PackagePattern {
    /// Normalised name without a trailing `*`.
    pub name: String,
    /// Ends in `*`.
    pub prefix: bool,
}

impl PackagePattern {
    pub(super) fn parse(raw: &str, eco: Ecosystem) -> Result<Self, String> {
        let (name, prefix) = match raw.strip_suffix('*') {
            Some(n) => (n, true),
            None => (raw, false),
        };
        if name.is_empty() || name.contains('*') || name.contains(char::is_whitespace) {
            return Err(format!(
                "`{raw}`: a package pattern is a name, optionally ending in `*`"
            ));
        }
        Ok(PackagePattern {
            name: normalize_package(name, eco),
            prefix,
        })
    }

    /// Does the (already normalised) package `name` match?
    pub fn matches(&self, name: &str) -> bool {
        if self.prefix {
            name.starts_with(&self.name)
        } else {
            name == self.name
        }
    }
}

/// Normalises a package name the way its ecosystem compares names (PEP 503 for PyPI).
pub fn normalize_package(name: &str, eco: Ecosystem) -> String {
    match eco {
        Ecosystem::Pypi => {
            let mut out = String::with_capacity(name.len());
            let mut last_sep = false;
            for c in name.chars() {
                if matches!(c, '-' | '_' | '.') {
                    if !last_sep {
                        out.push('-');
                    }
                    last_sep = true;
                } else {
                    out.push(c.to_ascii_lowercase());
                    last_sep = false;
                }
            }
            out
        }
        Ecosystem::Npm | Ecosystem::Go | Ecosystem::Maven => name.to_string(),
        // RubyGems refuses a name that differs from another only in case, and
        // Packagist names are lowercase (Composer lowercases what it reads).
        Ecosystem::Nuget | Ecosystem::Rubygems | Ecosystem::Composer => name.to_ascii_lowercase(),
        Ecosystem::Cargo => name.to_ascii_lowercase().replace('_', "-"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_patterns_match_submodules_not_lookalikes() {
        let p = ModulePattern::parse("openai").unwrap();
        assert!(p.matches("openai", None, "."));
        assert!(p.matches("openai.types", None, "."));
        assert!(!p.matches("openai_like", None, "."));
        assert!(!p.matches("openai/x", None, "."));
        let p = ModulePattern::parse("@langchain/*").unwrap();
        assert!(p.matches("@langchain/openai", None, "/"));
        assert!(!p.matches("langchain", None, "/"));
        let p = ModulePattern::parse("agents:Runner").unwrap();
        assert!(p.matches("agents", Some("Runner"), "."));
        assert!(!p.matches("agents", Some("Other"), "."));
        assert!(!p.matches("agents", None, "."));
        assert!(p.matches("agents.Runner", None, "."));
        assert!(!p.matches("agents.Runnerx", None, "."));
        let p = ModulePattern::parse("rig::providers::openai").unwrap();
        assert!(p.imported.is_none());
        assert!(p.matches("rig::providers::openai::Client", None, "::"));
    }

    #[test]
    fn call_patterns() {
        let p = CallPattern::parse("boto3.client(bedrock*)").unwrap();
        assert!(p.matches(
            Some("boto3.client"),
            "boto3.client",
            Some("bedrock-runtime"),
            "."
        ));
        assert!(!p.matches(Some("boto3.client"), "boto3.client", Some("s3"), "."));
        assert!(!p.matches(None, "session.client", Some("bedrock-runtime"), "."));
        let p = CallPattern::parse("*.client(bedrock-runtime)").unwrap();
        assert!(p.matches(None, "session.client", Some("bedrock-runtime"), "."));
        let p = CallPattern::parse("openai.OpenAI").unwrap();
        assert!(p.matches(Some("openai/OpenAI"), "OpenAI", None, "/"));
        assert!(CallPattern::parse("a b").is_err());
        assert!(CallPattern::parse("*").is_err());
        let p = CallPattern::parse("OpenAI::*").unwrap();
        assert!(p.matches(Some("OpenAI::Client"), "OpenAI::Client.new", None, "::"));
        assert!(p.matches(Some("OpenAI::configure"), "OpenAI.configure", None, "::"));
        assert!(!p.matches(Some("OpenAIHelper"), "OpenAIHelper.new", None, "::"));
        assert!(!p.matches(
            Some("AIBackend::OpenAI"),
            "AIBackend::OpenAI.new",
            None,
            "::"
        ));
        let p = CallPattern::parse("Langchain::LLM::*").unwrap();
        assert!(p.matches(Some("Langchain::LLM::OpenAI"), "x", None, "::"));
        assert!(!p.matches(Some("Langchain::Vectorsearch::Qdrant"), "x", None, "::"));
    }

    #[test]
    fn endpoint_patterns() {
        let p = HostPattern::parse("*.openai.azure.com").unwrap();
        assert!(p.matches_url("https://acme-eu.openai.azure.com/openai/deployments/x"));
        assert!(!p.matches_url("https://openai.azure.com.evil.io/"));
        assert!(!p.matches_url("not a url"));
        let p = HostPattern::parse("*:11434").unwrap();
        assert!(p.matches_url("http://localhost:11434/v1"));
        assert!(!p.matches_url("http://localhost:8080/v1"));
        let p = HostPattern::parse("bedrock-runtime.*.amazonaws.com").unwrap();
        assert!(p.matches_url("https://bedrock-runtime.us-east-1.amazonaws.com"));
        assert_eq!(
            url_host("https://u:p@Api.OpenAI.com:443/v1"),
            Some(("api.openai.com".into(), Some("443".into())))
        );
        assert!(wildcard("a*b*c", "axxbyyc"));
        assert!(!wildcard("a*b*c", "ac"));
    }

    #[test]
    fn pypi_names_are_pep503_normalised() {
        assert_eq!(
            normalize_package("Llama_Index.Core", Ecosystem::Pypi),
            "llama-index-core"
        );
        let p = PackagePattern::parse("llama-index*", Ecosystem::Pypi).unwrap();
        assert!(p.matches(&normalize_package(
            "llama_index_llms_openai",
            Ecosystem::Pypi
        )));
    }
}
