//! A reader for git's index file (`.git/index`, versions 2 to 4) and its cache-tree
//! extension, for the pre-commit path.
//!
//! Why not libgit2's: it hashes the whole file and builds a map of every entry, and its
//! tree-to-index diff inflates every tree of `HEAD` — on a 50,000-file repository that
//! was ~70 ms of a 100 ms budget. The cache-tree (`TREE`) records, for each directory
//! whose entries did not change since the last write-tree, the tree id it had; where
//! that id equals `HEAD`'s, nothing below it is staged and it is never read. Anything
//! this reader does not understand makes it return `None`, and the caller falls back to
//! libgit2. Read-only.

use std::collections::HashMap;
use std::path::Path;

/// One index entry (stage 0 only; conflicted entries are skipped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path, `/`-separated, as git stores it.
    pub path: String,
    /// Blob id.
    pub oid: [u8; 20],
    /// File mode (`0o100644`, `0o100755`, `0o120000` link, `0o160000` gitlink).
    pub mode: u32,
}

/// A parsed index: entries sorted by path, and the valid cache-tree directories.
#[derive(Debug, Default)]
pub struct Index {
    /// Stage-0 entries, in index (path) order.
    pub entries: Vec<Entry>,
    /// Directory (`""` for the root) → tree id, for directories the cache-tree marks valid.
    pub valid_trees: HashMap<String, [u8; 20]>,
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Parses an index file. `None` for anything unexpected (a SHA-256 repository, an
/// unknown version, a truncated file): the caller then uses libgit2.
pub fn parse(data: &[u8]) -> Option<Index> {
    if data.get(0..4)? != b"DIRC" {
        return None;
    }
    let version = be32(data, 4)?;
    if !(2..=4).contains(&version) {
        return None;
    }
    let count = be32(data, 8)? as usize;
    let mut at = 12;
    let mut entries = Vec::with_capacity(count.min(1 << 20));
    let mut prev = String::new();
    for _ in 0..count {
        let start = at;
        let mode = be32(data, at + 24)?;
        let oid: [u8; 20] = data.get(at + 40..at + 60)?.try_into().ok()?;
        let flags = u16::from_be_bytes(data.get(at + 60..at + 62)?.try_into().ok()?);
        at += 62;
        if flags & 0x4000 != 0 {
            if version < 3 {
                return None;
            }
            at += 2; // extended flags
        }
        let stage = (flags >> 12) & 0x3;
        let path = if version == 4 {
            // Prefix compression: drop N bytes of the previous path, append a suffix.
            let (strip, used) = varint(data.get(at..)?)?;
            at += used;
            let end = at + data.get(at..)?.iter().position(|&b| b == 0)?;
            let keep = prev.len().checked_sub(strip)?;
            let mut p = prev.get(..keep)?.to_string();
            p.push_str(std::str::from_utf8(&data[at..end]).ok()?);
            at = end + 1;
            p
        } else {
            let end = at + data.get(at..)?.iter().position(|&b| b == 0)?;
            let p = std::str::from_utf8(&data[at..end]).ok()?.to_string();
            // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
            let len = end - start;
            at = start + (len + 8) / 8 * 8;
            p
        };
        prev.clone_from(&path);
        if stage == 0 {
            entries.push(Entry { path, oid, mode });
        }
    }
    let mut valid_trees = HashMap::new();
    // Extensions until the trailing 20-byte checksum.
    while at + 8 <= data.len().saturating_sub(20) {
        let sig = data.get(at..at + 4)?;
        let size = be32(data, at + 4)? as usize;
        let body = data.get(at + 8..at + 8 + size)?;
        if sig == b"TREE" {
            parse_tree(body, &mut valid_trees)?;
        }
        at += 8 + size;
    }
    Some(Index {
        entries,
        valid_trees,
    })
}

fn varint(b: &[u8]) -> Option<(usize, usize)> {
    // git's offset varint: each continuation adds one before shifting.
    let mut i = 0;
    let mut c = *b.first()?;
    let mut val = (c & 0x7f) as usize;
    while c & 0x80 != 0 {
        i += 1;
        c = *b.get(i)?;
        val = ((val + 1) << 7) | (c & 0x7f) as usize;
    }
    Some((val, i + 1))
}

/// The cache-tree: pre-order nodes `name NUL count SP subtrees LF [oid]`.
fn parse_tree(body: &[u8], out: &mut HashMap<String, [u8; 20]>) -> Option<()> {
    let mut at = 0;
    // Stack of (directory path, subtrees still to read).
    let mut stack: Vec<(String, usize)> = Vec::new();
    while at < body.len() {
        let nul = at + body.get(at..)?.iter().position(|&b| b == 0)?;
        let name = std::str::from_utf8(&body[at..nul]).ok()?;
        at = nul + 1;
        let sp = at + body.get(at..)?.iter().position(|&b| b == b' ')?;
        let count: i64 = std::str::from_utf8(&body[at..sp]).ok()?.parse().ok()?;
        at = sp + 1;
        let lf = at + body.get(at..)?.iter().position(|&b| b == b'\n')?;
        let subtrees: usize = std::str::from_utf8(&body[at..lf]).ok()?.parse().ok()?;
        at = lf + 1;
        while stack.last().is_some_and(|(_, left)| *left == 0) {
            stack.pop();
        }
        let path = match stack.last_mut() {
            Some((parent, left)) => {
                *left -= 1;
                if parent.is_empty() {
                    name.to_string()
                } else {
                    format!("{parent}/{name}")
                }
            }
            None => String::new(),
        };
        if count >= 0 {
            let oid: [u8; 20] = body.get(at..at + 20)?.try_into().ok()?;
            at += 20;
            out.insert(path.clone(), oid);
        }
        stack.push((path, subtrees));
    }
    Some(())
}

/// The paths a repository's index tracks, sorted: what a walk of its work tree always
/// reads, whatever its ignore files say (issue #14).
#[derive(Debug, Default)]
pub struct Tracked {
    paths: Vec<String>,
}

impl Tracked {
    /// The tracked paths of the work tree at `dir` (a `.git` directory or a gitfile in
    /// it); empty when it has no index or the index cannot be read. Read once per
    /// repository, with the fast reader, else libgit2's.
    pub fn of(dir: &Path) -> Tracked {
        let Ok(repo) = super::git::open(dir) else {
            return Tracked::default();
        };
        let index = repo.path().join("index");
        let mut paths: Vec<String> = match std::fs::read(&index).ok().and_then(|d| parse(&d)) {
            Some(idx) => idx.entries.into_iter().map(|e| e.path).collect(),
            None => match repo.index() {
                Ok(idx) => idx
                    .iter()
                    .map(|e| String::from_utf8_lossy(&e.path).into_owned())
                    .collect(),
                Err(_) => Vec::new(),
            },
        };
        paths.sort_unstable();
        paths.dedup();
        Tracked { paths }
    }

    /// Is the file at `rel` (repository-relative, `/`-separated) tracked?
    pub fn contains(&self, rel: &str) -> bool {
        self.paths.binary_search_by(|p| p.as_str().cmp(rel)).is_ok()
    }

    /// Is anything below the directory `rel` tracked (`""`: the whole repository)?
    pub fn has_under(&self, rel: &str) -> bool {
        if rel.is_empty() {
            return !self.paths.is_empty();
        }
        let prefix = format!("{rel}/");
        let at = self.paths.partition_point(|p| p.as_str() < prefix.as_str());
        self.paths.get(at).is_some_and(|p| p.starts_with(&prefix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_follow_git() {
        assert_eq!(varint(&[0x05]), Some((5, 1)));
        assert_eq!(varint(&[0x80, 0x00]), Some((128, 2)));
        assert_eq!(varint(&[0x81]), None);
    }

    #[test]
    fn tracked_paths_answer_files_and_directories() {
        let t = Tracked {
            paths: vec!["a/b.py".into(), "a/c/d.py".into(), "ab".into()],
        };
        assert!(t.contains("a/b.py") && !t.contains("a/b"));
        assert!(t.has_under("a") && t.has_under("a/c") && !t.has_under("a/b"));
        assert!(!t.has_under("x") && t.has_under(""));
    }

    #[test]
    fn garbage_is_none_not_a_panic() {
        assert!(parse(b"").is_none());
        assert!(parse(b"DIRC\0\0\0\x02\0\0\0\x05").is_none());
        assert!(parse(b"NOPE").is_none());
    }
}
