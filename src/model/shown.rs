//! Text from a scanned tree made safe to print on a terminal or into a CI log: the one
//! place every text writer (table, Markdown, diff, stderr messages) escapes what a
//! repository chose — paths, snippets, identities, owners, error messages naming files.
//!
//! A repository controls its file and directory names and contents, so a name can hold
//! ESC sequences (recolour, retitle or clear the terminal), CR (overwrite the line it is
//! on), a line break followed by `::error …` (a forged GitHub Actions command), an Azure
//! Pipelines `##vso[…]` command, or bidi controls that show text in another order than
//! it is. Shown here: every C0 control and DEL, every C1 code (U+0080–U+009F), the bidi
//! marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F, U+202A–U+202E,
//! U+2066–U+2069) and the Unicode line and paragraph separators are written as `\xNN`
//! or `\u{NNNN}`; a `[` that would complete `##[` or `##vso[` (in any case) is written
//! `\x5b`; and a line whose first non-blank characters are `::` has its first colon
//! written `\x3a`, so no printed line is a workflow command. Everything else, including
//! backslashes, is kept, so ordinary paths read as they are.
//!
//! Machine formats (JSON, SARIF, CycloneDX, CSV, HTML) keep their own lossless
//! escaping and do not use this.

use std::borrow::Cow;
use std::io::{self, Write};

/// Is `c` shown escaped wherever it appears?
fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{2028}' | '\u{2029}')
}

/// What a line may keep raw that a field may not.
#[derive(Clone, Copy)]
struct Keep {
    /// Tabs (our own layout may use them).
    tab: bool,
    /// ESC, only when the caller colours the output itself.
    esc: bool,
}

const FIELD: Keep = Keep {
    tab: false,
    esc: false,
};

fn push_escaped(out: &mut String, c: char) {
    use std::fmt::Write as _;
    let _ = if (c as u32) < 0x100 {
        write!(out, "\\x{:02x}", c as u32)
    } else {
        write!(out, "\\u{{{:x}}}", c as u32)
    };
}

/// Does a CI log command start at byte `i` of `s`, ending with the `[` at the returned
/// byte offset? (`##[` and `##vso[`, case-insensitively, as the runners match them.)
fn ci_bracket_at(s: &str, i: usize) -> Option<usize> {
    let rest = s.as_bytes().get(i..)?;
    if !rest.starts_with(b"##") {
        return None;
    }
    if rest.get(2) == Some(&b'[') {
        return Some(i + 2);
    }
    let vso = rest.get(2..5)?;
    (vso.eq_ignore_ascii_case(b"vso") && rest.get(5) == Some(&b'[')).then_some(i + 5)
}

fn needs_work(s: &str, keep: Keep) -> bool {
    s.trim_start().starts_with("::")
        || s.contains("##")
        || s.chars()
            .any(|c| is_unsafe(c) && !(keep.tab && c == '\t') && !(keep.esc && c == '\x1b'))
}

/// `line` (no line break inside, unless `keep` lets it through escaped) made safe.
fn escape(line: &str, keep: Keep) -> Cow<'_, str> {
    if !needs_work(line, keep) {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 8);
    // A workflow command is a line starting with `::` after blanks, as the runner trims
    // them; escaping the first colon breaks it.
    let lead = line.len() - line.trim_start().len();
    let command_colon = line[lead..].starts_with("::").then_some(lead);
    let mut bracket = None;
    for (i, c) in line.char_indices() {
        if bracket.is_none() && c == '#' {
            bracket = ci_bracket_at(line, i);
        }
        if Some(i) == command_colon {
            out.push_str("\\x3a");
        } else if Some(i) == bracket {
            out.push_str("\\x5b");
            bracket = None;
        } else if is_unsafe(c) && !(keep.tab && c == '\t') && !(keep.esc && c == '\x1b') {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` from a scanned tree as one field of a line: every control, C1 code, bidi
/// control and line separator escaped, and nothing in it can start or form a CI log
/// command. Borrowed when nothing needed escaping (the common case).
pub fn shown(text: &str) -> Cow<'_, str> {
    escape(text, FIELD)
}

/// A writer for human text (reports, messages): each line written through it is made
/// safe as [`shown`] makes a field, except that line breaks end lines, tabs are kept,
/// and ESC is kept when the caller colours the output itself (its fields are then
/// already [`shown`]). Lines are buffered whole, since only a whole line shows whether
/// it starts a workflow command; a last line without a line break is written by
/// [`LogSafe::finish`] (or, best effort, on drop).
pub struct LogSafe<W: Write> {
    inner: W,
    keep: Keep,
    line: Vec<u8>,
}

impl<W: Write> LogSafe<W> {
    /// Wraps `inner`; `color` keeps ESC (the caller's own colour codes).
    pub fn new(inner: W, color: bool) -> LogSafe<W> {
        LogSafe {
            inner,
            keep: Keep {
                tab: true,
                esc: color,
            },
            line: Vec::new(),
        }
    }

    fn emit_line(&mut self) -> io::Result<()> {
        if self.line.is_empty() {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&self.line);
        let safe = escape(&text, self.keep);
        self.inner.write_all(safe.as_bytes())?;
        self.line.clear();
        Ok(())
    }

    /// Writes what is left of the last line and flushes.
    pub fn finish(&mut self) -> io::Result<()> {
        self.emit_line()?;
        self.inner.flush()
    }
}

impl<W: Write> Write for LogSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        while let Some(nl) = memchr::memchr(b'\n', rest) {
            self.line.extend_from_slice(&rest[..nl]);
            self.emit_line()?;
            self.inner.write_all(b"\n")?;
            rest = &rest[nl + 1..];
        }
        self.line.extend_from_slice(rest);
        Ok(buf.len())
    }

    /// Flushes what is written; a partial line stays buffered until its end is known.
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Drop for LogSafe<W> {
    fn drop(&mut self) {
        let _ = self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        for s in [
            "services/bot/app.py",
            "C:\\x\\y",
            "a # b",
            "x:: y",
            "héllo — ok",
            "",
        ] {
            assert!(matches!(shown(s), Cow::Borrowed(_)), "{s:?}");
        }
    }

    #[test]
    fn controls_c1_and_bidi_are_escaped() {
        assert_eq!(shown("a\x1b[31mb"), "a\\x1b[31mb");
        assert_eq!(shown("a\rb\nc\td\0"), "a\\x0db\\x0ac\\x09d\\x00");
        assert_eq!(shown("\u{9b}31m\u{85}\u{7f}"), "\\x9b31m\\x85\\x7f");
        assert_eq!(
            shown("x\u{202e}y\u{2066}z\u{200f}\u{61c}\u{2028}"),
            "x\\u{202e}y\\u{2066}z\\u{200f}\\u{61c}\\u{2028}"
        );
    }

    #[test]
    fn ci_commands_are_broken() {
        assert_eq!(shown("::error::x"), "\\x3a:error::x");
        assert_eq!(shown(" \u{3000}::warning"), " \u{3000}\\x3a:warning");
        assert_eq!(
            shown("a ##vso[task.setvariable]"),
            "a ##vso\\x5btask.setvariable]"
        );
        assert_eq!(shown("##VsO[x] ###[group]"), "##VsO\\x5bx] ###\\x5bgroup]");
        assert_eq!(shown("a\n::error x"), "a\\x0a::error x");
    }

    #[test]
    fn a_writer_checks_every_line_and_keeps_layout() {
        let mut out = Vec::new();
        {
            let mut w = LogSafe::new(&mut out, false);
            write!(w, "a\tb\n  ::err").unwrap();
            write!(w, "or ##[x]\n\x1b[2J\u{202e}").unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a\tb\n  \\x3a:error ##\\x5bx]\n\\x1b[2J\\u{202e}"
        );
        let mut out = Vec::new();
        let mut w = LogSafe::new(&mut out, true);
        write!(w, "\x1b[1mbold\x1b[0m\r\n").unwrap();
        w.finish().unwrap();
        drop(w);
        assert_eq!(String::from_utf8(out).unwrap(), "\x1b[1mbold\x1b[0m\\x0d\n");
    }
}
