//! Links from a report to a file and line on the repository's web host, built from the
//! repository identity (its remote URL). Only GitHub, GitLab and Bitbucket, whose URL
//! layouts are known; a local path, another host or an identity with anything
//! unexpected in its owner or name gets no link, never a guessed one.
//!
//! The identity is the scanned repository's word (its remote), so every part of a link
//! is checked or percent-encoded here, and reporters escape the result once more.

/// A web host whose file URLs we know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Host {
    GitHub,
    GitLab,
    Bitbucket,
}

/// The web address of the repository an identity names (`https://github.com/o/r`),
/// with its host, or None.
fn web_repo(identity: &str) -> Option<(Host, String)> {
    let rest = identity
        .strip_prefix("https://")
        .or_else(|| identity.strip_prefix("ssh://git@"))
        .or_else(|| identity.strip_prefix("git@"))?;
    let (host, path) = rest.split_once(['/', ':'])?;
    let host = match host.to_ascii_lowercase().as_str() {
        "github.com" => Host::GitHub,
        "gitlab.com" => Host::GitLab,
        "bitbucket.org" => Host::Bitbucket,
        _ => return None,
    };
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let segments: Vec<&str> = path.split('/').collect();
    // GitLab has subgroups (`group/sub/project`); the others are `owner/name`.
    let fits = match host {
        Host::GitLab => segments.len() >= 2,
        Host::GitHub | Host::Bitbucket => segments.len() == 2,
    };
    let plain = |s: &&str| {
        !s.is_empty()
            && !s.starts_with('.')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    if !fits || !segments.iter().all(plain) {
        return None;
    }
    let base = match host {
        Host::GitHub => "https://github.com",
        Host::GitLab => "https://gitlab.com",
        Host::Bitbucket => "https://bitbucket.org",
    };
    Some((host, format!("{base}/{}", segments.join("/"))))
}

/// Percent-encodes one path segment: RFC 3986 unreserved characters and a few safe
/// sub-delimiters stay; `&`, quotes, parentheses and `*` are encoded too, so the URL is
/// as safe in a Markdown link destination as in an HTML attribute.
fn encode_segment(s: &str, out: &mut String) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// The commit an inventory scanned of the repository `identity` names (the first
/// checkout of it), so that links show the code as it was scanned.
pub fn scanned_commit<'i>(inv: &'i crate::inventory::Inventory, identity: &str) -> Option<&'i str> {
    inv.repositories
        .iter()
        .find(|r| r.identity == identity)
        .and_then(|r| r.commit.as_deref())
}

/// The web URL of `path` at `line` in the repository `identity` names, at `commit`
/// when known, else at the host's default branch (`HEAD`, which all three resolve).
/// None for local paths, unknown hosts and odd identities, commits or paths.
pub fn file_line(identity: &str, commit: Option<&str>, path: &str, line: u32) -> Option<String> {
    let (host, repo) = web_repo(identity)?;
    let rev = match commit {
        Some(c) if (7..=64).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_hexdigit()) => c,
        Some(_) => return None,
        None => "HEAD",
    };
    if path.is_empty()
        || path
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
    {
        return None;
    }
    let mut file = String::new();
    for (i, seg) in path.split('/').enumerate() {
        if i > 0 {
            file.push('/');
        }
        encode_segment(seg, &mut file);
    }
    Some(match host {
        Host::GitHub => format!("{repo}/blob/{rev}/{file}#L{line}"),
        Host::GitLab => format!("{repo}/-/blob/{rev}/{file}#L{line}"),
        Host::Bitbucket => format!("{repo}/src/{rev}/{file}#lines-{line}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_for_known_hosts_only() {
        assert_eq!(
            file_line("https://github.com/acme/bot.git", None, "src/a b.py", 3).as_deref(),
            Some("https://github.com/acme/bot/blob/HEAD/src/a%20b.py#L3")
        );
        assert_eq!(
            file_line("git@gitlab.com:g/sub/p.git", Some("0123abcd"), "x#.py", 1).as_deref(),
            Some("https://gitlab.com/g/sub/p/-/blob/0123abcd/x%23.py#L1")
        );
        assert_eq!(
            file_line("ssh://git@bitbucket.org/o/r", None, "a.py", 9).as_deref(),
            Some("https://bitbucket.org/o/r/src/HEAD/a.py#lines-9")
        );
        assert_eq!(file_line("test-repos/x", None, "a.py", 1), None);
        assert_eq!(file_line("/home/me/x", None, "a.py", 1), None);
        assert_eq!(
            file_line("https://git.example.com/o/r", None, "a.py", 1),
            None
        );
        assert_eq!(
            file_line("https://github.com/o/r\"><x", None, "a.py", 1),
            None
        );
        assert_eq!(
            file_line("https://github.com/o/r/extra", None, "a", 1),
            None
        );
        assert_eq!(
            file_line("https://github.com/o/r", Some("main;x"), "a", 1),
            None
        );
        assert_eq!(file_line("https://github.com/o/r", None, "../a", 1), None);
    }
}
