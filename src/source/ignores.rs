//! Ignore files of a walked tree (`.ignore`, `.gitignore`, a repository's
//! `.git/info/exclude`), read by us so that a scanned repository cannot make them cost
//! what it likes, and matched with the `ignore` crate's gitignore matcher.
//!
//! Owns: reading one ignore file within bounds (never through a symlink, at most
//! [`MAX_IGNORE_FILE_SIZE`] bytes and [`MAX_IGNORE_PATTERNS`] patterns), and the chain
//! of ignore files that applies in one directory ([`MAX_IGNORE_DEPTH`] at most). An
//! ignore file over a bound is not applied at all and is reported, so a hostile one only
//! ever makes the scan read more. Ignore rules decide about untracked files only: the
//! walk asks the repository's index first (issue #14).

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::limits::{MAX_IGNORE_DEPTH, MAX_IGNORE_FILE_SIZE, MAX_IGNORE_PATTERNS};

/// The ignore files a directory reads, most important first (`.ignore` over
/// `.gitignore`, as ripgrep has it).
pub const IGNORE_FILES: [&str; 2] = [".ignore", ".gitignore"];

/// Compiles the patterns of `text`, an ignore file of directory `root`, as git reads
/// them. `Err` (with a message that never quotes the file) when over
/// [`MAX_IGNORE_PATTERNS`] or when the matcher cannot be built; a single bad pattern is
/// left out, as git leaves it out.
pub fn parse(root: &Path, text: &[u8]) -> Result<Gitignore, String> {
    let text = String::from_utf8_lossy(text);
    let mut builder = GitignoreBuilder::new(root);
    let mut patterns = 0usize;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        patterns += 1;
        if patterns > MAX_IGNORE_PATTERNS {
            return Err(format!(
                "more than {MAX_IGNORE_PATTERNS} patterns: not applied"
            ));
        }
        // A pattern git would reject is one git ignores; so do we.
        let _ = builder.add_line(None, line);
    }
    builder
        .build()
        .map_err(|e| format!("patterns cannot be compiled ({e}): not applied"))
}

/// Reads the ignore file `name` of directory `dir`: `Ok(None)` when there is none,
/// `Err(message)` when there is one that is not applied (a symlink, over a bound,
/// unreadable). The size is checked before reading, and never more than the bound is
/// read.
pub fn read(dir: &Path, name: &str) -> Result<Option<Gitignore>, String> {
    let path = dir.join(name);
    let meta = match path.symlink_metadata() {
        Ok(m) => m,
        Err(_) => return Ok(None),
    };
    if meta.file_type().is_symlink() {
        return Err("a symlink (never followed): not applied".into());
    }
    if !meta.is_file() {
        return Ok(None);
    }
    let too_large = || format!("larger than {MAX_IGNORE_FILE_SIZE} bytes: not applied");
    if meta.len() > MAX_IGNORE_FILE_SIZE {
        return Err(too_large());
    }
    let mut buf = Vec::new();
    std::fs::File::open(&path)
        .and_then(|f| f.take(MAX_IGNORE_FILE_SIZE + 1).read_to_end(&mut buf))
        .map_err(|e| format!("unreadable ({}): not applied", e.kind()))?;
    if buf.len() as u64 > MAX_IGNORE_FILE_SIZE {
        return Err(too_large());
    }
    parse(dir, &buf).map(Some)
}

/// The ignore files that apply in one directory, deepest first, and whether the
/// directory itself is ignored (it is walked only for the tracked files below it; then
/// everything untracked in it is ignored, as in git).
#[derive(Clone, Debug, Default)]
pub struct Chain {
    files: Vec<Arc<Gitignore>>,
    ignored: bool,
}

impl Chain {
    /// The chain of a subdirectory whose own ignore files are `own` (most important
    /// first). `Err` (with the chain, without them) when they would nest deeper than
    /// [`MAX_IGNORE_DEPTH`].
    pub fn child(&self, own: Vec<Gitignore>, ignored: bool) -> Result<Chain, Chain> {
        let mut c = Chain {
            files: self.files.clone(),
            ignored: self.ignored || ignored,
        };
        if own.is_empty() {
            return Ok(c);
        }
        if self.files.len() + own.len() > MAX_IGNORE_DEPTH {
            return Err(c);
        }
        let mut files: Vec<Arc<Gitignore>> = own.into_iter().map(Arc::new).collect();
        files.append(&mut c.files);
        c.files = files;
        Ok(c)
    }

    /// Is the directory of this chain ignored?
    pub fn dir_ignored(&self) -> bool {
        self.ignored
    }

    /// Does the chain ignore `path` (a file, or a directory when `is_dir`)? The deepest
    /// file with a matching pattern decides, its last matching pattern within it.
    pub fn ignores(&self, path: &Path, is_dir: bool) -> bool {
        if self.ignored {
            return true;
        }
        for file in &self.files {
            let m = file.matched(path, is_dir);
            if m.is_ignore() {
                return true;
            }
            if m.is_whitelist() {
                return false;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deeper_files_and_later_patterns_win() {
        let root = Path::new("/r");
        let top = parse(root, b"*.log\nbuild/\n").unwrap();
        let sub = parse(Path::new("/r/a"), b"!keep.log\n").unwrap();
        let chain = Chain::default().child(vec![top], false).unwrap();
        assert!(chain.ignores(Path::new("/r/x.log"), false));
        assert!(chain.ignores(Path::new("/r/build"), true));
        assert!(!chain.ignores(Path::new("/r/x.py"), false));
        let a = chain.child(vec![sub], false).unwrap();
        assert!(!a.ignores(Path::new("/r/a/keep.log"), false));
        assert!(a.ignores(Path::new("/r/a/other.log"), false));
        let inside = a.child(Vec::new(), true).unwrap();
        assert!(inside.ignores(Path::new("/r/a/b/any.py"), false));
    }

    #[test]
    fn too_many_patterns_or_levels_are_not_applied() {
        let many = "x\n".repeat(MAX_IGNORE_PATTERNS + 1);
        assert!(parse(Path::new("/r"), many.as_bytes()).is_err());
        let mut chain = Chain::default();
        for _ in 0..MAX_IGNORE_DEPTH {
            chain = chain
                .child(vec![parse(Path::new("/r"), b"*").unwrap()], false)
                .unwrap();
        }
        let over = chain.child(vec![parse(Path::new("/r"), b"*").unwrap()], false);
        assert!(over.is_err());
    }
}
