//! The grammar registry: language → tree-sitter grammar, and one parser per thread and
//! language. A new language is a variant of `model::Lang`, its extensions in
//! `source::filekind`, one row here, and one file of import extraction beside this one.

use std::cell::RefCell;
use std::time::{Duration, Instant};

use tree_sitter::{Language, ParseOptions, Parser, Tree};

pub use crate::model::Lang;

/// The tree-sitter grammar of `lang`.
fn grammar(lang: Lang) -> Language {
    match lang {
        Lang::Python => tree_sitter_python::LANGUAGE.into(),
        Lang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
        Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        Lang::Go => tree_sitter_go::LANGUAGE.into(),
        Lang::Java => tree_sitter_java::LANGUAGE.into(),
        Lang::Kotlin => tree_sitter_kotlin_ng::LANGUAGE.into(),
        Lang::CSharp => tree_sitter_c_sharp::LANGUAGE.into(),
        Lang::Rust => tree_sitter_rust::LANGUAGE.into(),
        Lang::Ruby => tree_sitter_ruby::LANGUAGE.into(),
        // The full PHP grammar: a `.php` file is HTML until `<?php`.
        Lang::Php => tree_sitter_php::LANGUAGE_PHP.into(),
    }
}

/// Why a parse gave no tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseFail {
    /// The time budget ran out.
    Timeout,
    /// The grammar could not be loaded (an ABI mismatch; a build problem, not input).
    Grammar,
}

/// Most tree-sitter progress checks one parse may take. Measured (2026-11-25, release):
/// 1.2 MB of ordinary Python takes 20,000 checks and 0.32 s, so this is about the old
/// 500 ms wall budget — about 2.4 MB of ordinary code — but the same on every run.
pub const MAX_PARSE_CHECKS: u64 = 40_000;

thread_local! {
    static PARSERS: RefCell<[Option<Parser>; Lang::COUNT]> =
        const { RefCell::new([const { None }; Lang::COUNT]) };
}

/// Parses `src` as `lang` with this thread's parser, giving up after `budget`.
pub fn parse(lang: Lang, src: &[u8], budget: Duration) -> Result<Tree, ParseFail> {
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let slot = &mut parsers[lang.index()];
        if slot.is_none() {
            let mut p = Parser::new();
            p.set_language(&grammar(lang))
                .map_err(|_| ParseFail::Grammar)?;
            *slot = Some(p);
        }
        let parser = slot.as_mut().expect("parser was just created");
        let start = Instant::now();
        let mut timed_out = false;
        let mut calls: u64 = 0;
        let mut progress = |_: &tree_sitter::ParseState| {
            calls += 1;
            // The work budget is counted in tree-sitter's progress checks, so the same
            // file gives up at the same point on every run and machine (a wall clock
            // would make inventories differ under load); the clock is a backstop.
            if calls > MAX_PARSE_CHECKS || start.elapsed() > budget * 20 {
                timed_out = true;
                true
            } else {
                false
            }
        };
        let len = src.len();
        let tree = parser.parse_with_options(
            &mut |i, _| if i < len { &src[i..] } else { &[] },
            None,
            Some(ParseOptions::new().progress_callback(&mut progress)),
        );
        match tree {
            Some(t) => Ok(t),
            None => {
                // A cancelled parse leaves state behind; start clean next time.
                parser.reset();
                Err(ParseFail::Timeout)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every grammar loads into this tree-sitter version (ABI) and parses.
    #[test]
    fn every_grammar_loads_and_parses() {
        for &lang in Lang::all() {
            let tree = parse(lang, b"x", Duration::from_secs(2));
            assert!(tree.is_ok(), "{lang:?}: {tree:?}");
        }
    }
}
