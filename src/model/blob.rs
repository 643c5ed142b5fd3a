//! A blob: the bytes of one file as a source read them, where they live in their
//! repository, and where they came from. Every source (a working tree, the tree of a
//! revision, the staged index, the history) yields blobs; one worker classifies them.

/// Where a blob came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin<'a> {
    /// A file of a working tree (or of a plain folder).
    WorkTree,
    /// A blob of the tree of a revision: a bare mirror's `HEAD`, or `--ref`.
    Tree,
    /// The staged version of a file (`--staged`).
    Staged,
    /// A blob of the history (`--history`), with the commit that introduced it at
    /// this path.
    History {
        /// The introducing commit, hex.
        commit: &'a str,
    },
}

/// One blob, as a source hands it to the worker.
#[derive(Clone, Copy, Debug)]
pub struct Blob<'a> {
    /// The content as read: not yet checked for binary or decoded from UTF-16.
    pub bytes: &'a [u8],
    /// The path in its repository, `/`-separated.
    pub path: &'a str,
    /// Where it came from.
    pub origin: Origin<'a>,
}
