//! Composer: `composer.json` (`require`, `require-dev`) and `composer.lock`
//! (`packages`, `packages-dev`), read with `serde_json`.
//!
//! Platform requirements (`php`, `ext-json`, `lib-curl`, `composer-plugin-api`, …) are
//! not packages: a Packagist name always has a vendor, `vendor/name`, so names without
//! a `/` are skipped. Names compare case-insensitively (Composer lowercases them), so
//! they are lowercased. Every package of a lockfile is locked, whoever required it.
//! serde gives no spans, so an offset is found by searching the text forward for the
//! quoted name (in a lockfile, the one that is the value of a `"name"` key).

use serde_json::Value as Json;

use super::lock::{json_key, Locked, Seeker};
use super::{find, Dependency};
use crate::model::Ecosystem;
use crate::rules::normalize_package;

/// A Packagist package name (`vendor/name`), not a platform requirement.
fn is_package(name: &str) -> bool {
    matches!(name.split_once('/'), Some((v, n)) if !v.is_empty() && !n.is_empty() && !n.contains('/'))
        && !name.contains(char::is_whitespace)
}

/// Packages a `composer.json` requires, for production and for development.
pub fn composer_json(text: &str) -> Result<Vec<Dependency>, String> {
    let doc: Json = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if !doc.is_object() {
        return Err("composer.json is not a JSON object".into());
    }
    let mut out = Vec::new();
    for section in ["require", "require-dev"] {
        let Some(deps) = doc.get(section).and_then(Json::as_object) else {
            continue;
        };
        let section_at = Seeker::new(text, 0)
            .seek(&format!("\"{section}\""), json_key)
            .unwrap_or(0);
        for name in deps.keys().filter(|n| is_package(n)) {
            let quoted = serde_json::to_string(name).unwrap_or_default();
            let offset = find(text, &quoted, section_at).unwrap_or(section_at);
            out.push(Dependency {
                name: normalize_package(name, Ecosystem::Composer),
                offset,
                locked: false,
            });
        }
    }
    out.sort_by_key(|d| d.offset);
    Ok(out)
}

/// `text[start..end]` is the value of a `"name"` key: `"name": "vendor/pkg"`.
fn is_name_value(text: &str, start: usize, _end: usize) -> bool {
    text[..start]
        .trim_end()
        .strip_suffix(':')
        .is_some_and(|t| t.trim_end().ends_with("\"name\""))
}

/// Every package of a `composer.lock`, production and development.
pub fn composer_lock(text: &str) -> Result<Vec<Dependency>, String> {
    let doc: Json = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if !doc.is_object() {
        return Err("composer.lock is not a JSON object".into());
    }
    let mut locked = Locked::new(Ecosystem::Composer);
    // `packages` comes before `packages-dev` in every lockfile Composer writes; a name
    // not found in that order falls back to its section's key.
    let mut seeker = Seeker::new(text, 0);
    for section in ["packages", "packages-dev"] {
        let Some(packages) = doc.get(section).and_then(Json::as_array) else {
            continue;
        };
        let section_at = find(text, &format!("\"{section}\""), 0).unwrap_or(0);
        for name in packages
            .iter()
            .filter_map(|p| p.get("name").and_then(Json::as_str))
            .filter(|n| is_package(n))
        {
            let quoted = serde_json::to_string(name).unwrap_or_default();
            let offset = seeker.seek(&quoted, is_name_value).unwrap_or(section_at);
            locked.push(name, offset);
        }
    }
    Ok(locked.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(deps: &[Dependency]) -> Vec<(&str, bool)> {
        deps.iter().map(|d| (d.name.as_str(), d.locked)).collect()
    }

    #[test]
    fn composer_json_requires_without_platform_packages() {
        let src = r#"{
    "name": "acme/assistant",
    "description": "uses openai-php/client",
    "require": {
        "php": "^8.2",
        "ext-json": "*",
        "OpenAI-PHP/Laravel": "^0.10",
        "prism-php/prism": "^0.60",
        "laravel/framework": "^11.0"
    },
    "require-dev": {
        "phpunit/phpunit": "^11.0"
    },
    "suggest": {
        "theodo-group/llphant": "for RAG"
    }
}"#;
        let deps = composer_json(src).unwrap();
        assert_eq!(
            names(&deps),
            vec![
                ("openai-php/laravel", false),
                ("prism-php/prism", false),
                ("laravel/framework", false),
                ("phpunit/phpunit", false),
            ]
        );
        assert!(src[deps[0].offset..].starts_with("\"OpenAI-PHP/Laravel\""));
    }

    #[test]
    fn composer_lock_packages_are_locked() {
        let src = r#"{
    "content-hash": "abc",
    "packages": [
        {
            "name": "theodo-group/llphant",
            "version": "0.10.2",
            "require": { "openai-php/client": "^0.10" }
        },
        { "name": "openai-php/client", "version": "v0.10.3" }
    ],
    "packages-dev": [
        { "name": "mockery/mockery", "version": "1.6.12" }
    ],
    "platform": { "php": "^8.2" }
}"#;
        let deps = composer_lock(src).unwrap();
        assert_eq!(
            names(&deps),
            vec![
                ("theodo-group/llphant", true),
                ("openai-php/client", true),
                ("mockery/mockery", true),
            ]
        );
        // The entry's own `"name"`, not the `require` of the package before it.
        assert!(src[..deps[1].offset].ends_with("{ \"name\": "));
    }

    #[test]
    fn malformed_composer_files_are_errors() {
        assert!(composer_json("{ \"require\": { \"a/b\": ").is_err());
        assert!(composer_json("[1, 2]").is_err());
        assert!(composer_lock("not json").is_err());
        // An odd section type is read past, not an error.
        assert_eq!(composer_lock("{\"packages\": {}}").unwrap(), Vec::new());
    }
}
