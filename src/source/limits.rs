//! Every resource limit of a scan, with the reason for its default. Each one is
//! overridable by a flag; the README lists them.

/// Files larger than this are skipped (counted as `too_large`) without being read.
/// 16 MiB keeps every real source file and manifest we have seen (the largest
/// lockfiles in big monorepos are ~10 MiB) while skipping data dumps and bundles.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// A NUL byte within this many leading bytes marks a file as binary (as git and
/// ripgrep decide it).
pub const BINARY_SNIFF_LEN: usize = 8 * 1024;

/// Wall-clock reference for one tree-sitter parse. The budget that decides is counted
/// in tree-sitter's own progress checks (`detect::code::lang::MAX_PARSE_CHECKS`, about
/// this long on ordinary code), so a file gives up at the same point on every run; 20×
/// this wall time is only a backstop. A parse over budget is a `parse_timeout` skip.
pub const DEFAULT_PARSE_TIMEOUT_MS: u64 = 500;

/// Files larger than this are not parsed with tree-sitter (counted as `parse_too_large`);
/// generated bundles of this size are not where imports worth reporting live.
pub const DEFAULT_MAX_PARSE_SIZE: usize = 4 * 1024 * 1024;

/// Most evidence kept from one file (owner evidence aside: CODEOWNERS needs every line
/// and has its own cap). A real file has tens; a generated one with a million
/// `import openai` lines or model ids would otherwise make a million records, and
/// 150,000 such imports took 59 s and 234 MB. Beyond the cap the file is an
/// `evidence_cap` skip, keeping one finding of each rule first. Secrets never count
/// against it (issue #14): every distinct key of a file is reported.
pub const DEFAULT_MAX_EVIDENCE_PER_FILE: usize = 1_000;

/// Ignore files (`.gitignore`, `.ignore`, `.git/info/exclude`) larger than this are not
/// applied (an `ignore_file` skip): the largest real ones we know are a few KiB, and an
/// 8 MB one cost 17–33 s and 5 GB of memory to compile. Not applying one only means
/// more is read, never less.
pub const MAX_IGNORE_FILE_SIZE: u64 = 1024 * 1024;

/// Ignore files with more patterns than this are not applied (an `ignore_file` skip).
/// Compiling 10,000 patterns takes tens of milliseconds.
pub const MAX_IGNORE_PATTERNS: usize = 10_000;

/// At most this many ignore files apply to one path (one per directory level, deepest
/// first); deeper ones are not applied (an `ignore_file` skip), so the matching work
/// per file stays bounded however deep a hostile tree nests them.
pub const MAX_IGNORE_DEPTH: usize = 64;
