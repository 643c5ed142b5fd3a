//! RubyGems: `Gemfile` (and `gems.rb`), `*.gemspec`, and `Gemfile.lock` (and
//! `gems.locked`).
//!
//! A Gemfile and a gemspec are Ruby programs, so they are parsed with tree-sitter-ruby,
//! not read line by line: a `gem` call may span lines, sit in a `group … do` block, an
//! `if`, or a `platforms` block, and a `gem "x"` in a comment, a string or a heredoc is
//! not a call. A Gemfile declares each `gem "name", …` call's first argument (every
//! group: development gems are declared too); a gemspec each `add_dependency`,
//! `add_runtime_dependency` and `add_development_dependency`, whatever its receiver is
//! called (`spec.`, `s.`, `gem.`), `%q<name>` strings included. A name built by
//! interpolation, or a `gem` call on a loop variable, is not a name and is skipped. A
//! file tree-sitter cannot parse without an error is malformed: its line is reported.
//!
//! `Gemfile.lock` is Bundler's own line format, read by a line reader that follows
//! Bundler's `LockfileParser`: a section starts at column 0 (`GEM`, `GIT`, `PATH`,
//! `PLUGIN SOURCE`, `PLATFORMS`, `DEPENDENCIES`, `CHECKSUMS`, `RUBY VERSION`, `BUNDLED
//! WITH`); in a source section, `specs:` lists each resolved gem at four spaces as
//! `name (version)` — locked — and that gem's own dependencies at six spaces, which are
//! listed again at four; `DEPENDENCIES` lists, at two spaces, what the Gemfile declared
//! (`name`, `name (~> 1.0)`, `name!` for a git or path source). Merge-conflict markers
//! and lines that fit none of these shapes are errors, as Bundler makes them.

use std::time::Duration;

use tree_sitter::Node;

use super::lock::Locked;
use super::Dependency;
use crate::detect::code::lang::{parse, Lang, ParseFail};
use crate::detect::code::{preorder, ruby::string_value, text};
use crate::model::Ecosystem;
use crate::rules::normalize_package;
use crate::source::limits::DEFAULT_PARSE_TIMEOUT_MS;

/// Gems a `Gemfile` declares.
pub fn gemfile(text: &str) -> Result<Vec<Dependency>, String> {
    calls_naming_gems(text, |method| method == "gem", false)
}

/// Gems a `*.gemspec` depends on (runtime and development).
pub fn gemspec(text: &str) -> Result<Vec<Dependency>, String> {
    calls_naming_gems(
        text,
        |method| {
            matches!(
                method,
                "add_dependency" | "add_runtime_dependency" | "add_development_dependency"
            )
        },
        true,
    )
}

/// The first string argument of every call of a method `wanted` accepts; `receiver`:
/// whether the call has one (`spec.add_dependency`) or not (`gem`).
fn calls_naming_gems(
    src: &str,
    wanted: impl Fn(&str) -> bool,
    receiver: bool,
) -> Result<Vec<Dependency>, String> {
    let bytes = src.as_bytes();
    let tree = match parse(
        Lang::Ruby,
        bytes,
        Duration::from_millis(DEFAULT_PARSE_TIMEOUT_MS),
    ) {
        Ok(t) => t,
        Err(ParseFail::Timeout) => return Err("the Ruby parse ran out of time".into()),
        Err(ParseFail::Grammar) => return Err("the Ruby grammar could not be loaded".into()),
    };
    if tree.root_node().has_error() {
        return Err(syntax_error(tree.root_node()));
    }
    let mut out = Vec::new();
    preorder(&tree, |node, _| {
        if node.kind() == "call"
            && node.child_by_field_name("receiver").is_some() == receiver
            && node
                .child_by_field_name("method")
                .is_some_and(|m| wanted(text(m, bytes)))
        {
            if let Some((name, offset)) = first_string(node, bytes) {
                out.push(Dependency {
                    name: normalize_package(&name, Ecosystem::Rubygems),
                    offset,
                    locked: false,
                });
            }
        }
        !matches!(node.kind(), "string" | "comment" | "heredoc_body")
    });
    Ok(out)
}

/// The gem name a call's first argument spells, if it is a plain string.
fn first_string(call: Node, src: &[u8]) -> Option<(String, usize)> {
    let first = call
        .child_by_field_name("arguments")?
        .named_child(0)
        .filter(|a| a.kind() == "string")?;
    let (name, offset) = string_value(first, src)?;
    is_gem_name(&name).then_some((name, offset))
}

/// What RubyGems accepts as a name: letters, digits, `.`, `-`, `_`.
fn is_gem_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// Where the first syntax error of a tree is.
fn syntax_error(root: Node) -> String {
    let mut cursor = root.walk();
    let mut node = root;
    // Descend to the first (leftmost) node that is or contains the error.
    'down: loop {
        if node.is_error() || node.is_missing() {
            break;
        }
        if cursor.goto_first_child() {
            loop {
                let child = cursor.node();
                if child.has_error() {
                    node = child;
                    continue 'down;
                }
                if !cursor.goto_next_sibling() {
                    break 'down;
                }
            }
        }
        break;
    }
    let at = node.start_position();
    format!(
        "Ruby syntax error at line {}, column {}",
        at.row + 1,
        at.column + 1
    )
}

/// The section of a `Gemfile.lock` a line belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    /// `GEM`, `GIT`, `PATH`, `PLUGIN SOURCE`: a source and its resolved specs.
    Source,
    /// `DEPENDENCIES`: what the Gemfile declared.
    Dependencies,
    /// `PLATFORMS`, `CHECKSUMS`, `RUBY VERSION`, `BUNDLED WITH` and unknown ones.
    Other,
}

/// Gems of a `Gemfile.lock`: the resolved specs of every source (locked) and the
/// `DEPENDENCIES` the Gemfile declared.
pub fn gemfile_lock(text: &str) -> Result<Vec<Dependency>, String> {
    let mut locked = Locked::new(Ecosystem::Rubygems);
    let mut declared = Vec::new();
    let mut section = None;
    let mut in_specs = false;
    let mut offset = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let line_no = i + 1;
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        if ["<<<<<<<", "=======", ">>>>>>>", "|||||||"]
            .iter()
            .any(|m| line.starts_with(m))
        {
            return Err(format!("line {line_no}: merge conflict marker"));
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent == 0 {
            if !line.bytes().all(|b| b.is_ascii_uppercase() || b == b' ') {
                return Err(format!(
                    "line {line_no}: `{}` is not a section name (not a Gemfile.lock)",
                    line.chars().take(40).collect::<String>()
                ));
            }
            section = Some(match line {
                "GEM" | "GIT" | "PATH" | "PLUGIN SOURCE" => Section::Source,
                "DEPENDENCIES" => Section::Dependencies,
                _ => Section::Other,
            });
            in_specs = false;
            continue;
        }
        let Some(section) = section else {
            return Err(format!(
                "line {line_no}: an indented line before any section (not a Gemfile.lock)"
            ));
        };
        let body = &line[indent..];
        match (section, indent) {
            (Section::Source, 2) => in_specs = body == "specs:",
            (Section::Source, 4) if in_specs => {
                let (name, _) = name_and_version(body)
                    .ok_or_else(|| format!("line {line_no}: a spec is `name (version)`"))?;
                locked.push(name, start + indent);
            }
            (Section::Dependencies, 2) => {
                let (name, _) = name_and_version(body.strip_suffix('!').unwrap_or(body))
                    .ok_or_else(|| {
                        format!("line {line_no}: a dependency is `name` or `name (requirement)`")
                    })?;
                declared.push(Dependency {
                    name: normalize_package(name, Ecosystem::Rubygems),
                    offset: start + indent,
                    locked: false,
                });
            }
            _ => {}
        }
    }
    if section.is_none() && !text.trim().is_empty() {
        return Err("no section found (not a Gemfile.lock)".into());
    }
    let mut out = locked.finish();
    out.extend(declared);
    out.sort_by_key(|d| d.offset);
    Ok(out)
}

/// `name (version)` or `name` alone: the name and the text in parentheses.
fn name_and_version(body: &str) -> Option<(&str, Option<&str>)> {
    let (name, version) = match body.split_once(' ') {
        Some((n, rest)) => (n, Some(rest.strip_prefix('(')?.strip_suffix(')')?)),
        None => (body, None),
    };
    is_gem_name(name).then_some((name, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(deps: &[Dependency]) -> Vec<(&str, bool)> {
        deps.iter().map(|d| (d.name.as_str(), d.locked)).collect()
    }

    #[test]
    fn gemfile_gems_in_every_group_and_nothing_else() {
        let src = r##"source "https://rubygems.org"
ruby "3.3.0"

gem "rails", "~> 7.1"
gem 'ruby-openai', '~> 7.0', require: "openai"
gem("anthropic",
    "~> 1.1")

group :development, :test do
  gem "rspec-rails"
end

platforms :ruby do
  gem "Langchainrb" if ENV["LLM"]
end

# gem "ruby_llm"
note = "gem 'omniai'"
%w[cohere-ruby gemini-ai].each { |g| gem g }
gem "#{prefix}-mcp"
gemspec
"##;
        let deps = gemfile(src).unwrap();
        assert_eq!(
            names(&deps),
            vec![
                ("rails", false),
                ("ruby-openai", false),
                ("anthropic", false),
                ("rspec-rails", false),
                ("langchainrb", false),
            ]
        );
        assert!(src[deps[1].offset..].starts_with("ruby-openai'"));
    }

    #[test]
    fn gemspec_dependencies_of_every_kind() {
        let src = r##"require_relative "lib/bot/version"

Gem::Specification.new do |spec|
  spec.name = "support-bot"
  spec.summary = "uses ruby-openai"
  spec.add_dependency "ruby-openai", ">= 6"
  spec.add_runtime_dependency("mcp", "~> 0.3")
  spec.add_development_dependency %q<rspec>, [">= 3"]
  s.add_dependency name_from_somewhere
end
"##;
        assert_eq!(
            names(&gemspec(src).unwrap()),
            vec![("ruby-openai", false), ("mcp", false), ("rspec", false)]
        );
    }

    #[test]
    fn broken_ruby_is_malformed_with_its_line() {
        let err = gemfile("source 'https://rubygems.org'\ngem 'openai', (\n").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
        assert!(gemspec("Gem::Specification.new do |s|\n").is_err());
    }

    const LOCK: &str = "GIT
  remote: https://github.com/alexrudall/ruby-openai.git
  revision: 0123abc
  specs:
    ruby-openai (7.3.1)
      event_stream_parser (>= 0.3.0, < 2.0.0)
      faraday (>= 1)

GEM
  remote: https://rubygems.org/
  specs:
    anthropic (1.1.0)
      connection_pool
    connection_pool (2.5.0)
    event_stream_parser (1.0.0)
    faraday (2.12.2)
    nokogiri (1.16.0-x86_64-linux)
    rails (7.1.3)

PLATFORMS
  ruby
  x86_64-linux

DEPENDENCIES
  anthropic (~> 1.1)
  rails (~> 7.1)
  ruby-openai!

CHECKSUMS
  anthropic (1.1.0) sha256=00

BUNDLED WITH
   2.5.6
";

    #[test]
    fn lockfile_specs_are_locked_and_dependencies_declared() {
        let deps = gemfile_lock(LOCK).unwrap();
        assert_eq!(
            names(&deps),
            vec![
                ("ruby-openai", true),
                ("anthropic", true),
                ("connection_pool", true),
                ("event_stream_parser", true),
                ("faraday", true),
                ("nokogiri", true),
                ("rails", true),
                ("anthropic", false),
                ("rails", false),
                ("ruby-openai", false),
            ]
        );
        let first = &deps[0];
        assert!(LOCK[first.offset..].starts_with("ruby-openai (7.3.1)"));
    }

    #[test]
    fn broken_lockfiles_are_malformed() {
        assert!(gemfile_lock("GEM\n  specs:\n<<<<<<< HEAD\n    a (1)\n")
            .unwrap_err()
            .contains("merge conflict"));
        assert!(gemfile_lock("GEM\n  specs:\n    not a spec line\n").is_err());
        assert!(gemfile_lock("    rails (7.1)\n").is_err());
        assert!(gemfile_lock("{\"packages\": []}").is_err());
        assert_eq!(gemfile_lock("").unwrap(), Vec::new());
    }
}
