//! Rule packs: the raw serde form ([`RuleSyntax`], `syntax`), its validation into a
//! compiled [`Rule`] (`compile`), the pattern languages of `match:` (`patterns`), where a
//! text regex can match (`window`), and the [`RuleSet`] every scan runs (`set`).
//!
//! All validation happens in `RuleSyntax` → `Rule`; a problem is a [`RuleError`] that
//! names the file, the rule id and the field. The built-in pack is every `rules/*.yaml`
//! file, embedded at build time so the binary needs nothing beside it. This stage knows
//! no matcher: the detectors apply what it compiles.

mod compile;
mod patterns;
mod set;
mod syntax;
mod window;

pub use compile::{LazyRegex, Rule, RuleError, CATEGORIES};
pub use patterns::{
    normalize_package, url_host, wildcard, CallPattern, HostPattern, ModulePattern, PackagePattern,
};
pub use set::RuleSet;
pub use syntax::{Example, MatchSyntax, RuleSyntax};
pub use window::TextRegex;
