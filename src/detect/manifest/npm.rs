//! npm manifests and lockfiles: `package.json`, `package-lock.json` /
//! `npm-shrinkwrap.json` (v1 `dependencies` tree, v2/v3 `packages` map), `pnpm-lock.yaml`
//! (v5 to v9) and `yarn.lock` (classic v1 and berry).
//!
//! JSON and YAML are read with `serde_json` and `serde-saphyr`; neither gives spans, so an
//! offset is found by searching the text for the key, forward from the previous one
//! (`lock::Seeker`): entries are read in document order (`lock::InOrder`), so a whole lockfile
//! costs one pass over its text, not one per package. Lockfile entries are read
//! leniently ([`Entry`]): a field of an unexpected type is ignored, only a file that is
//! not JSON / YAML at all is an error. Classic `yarn.lock` is not YAML; it is read by a
//! line reader that knows its one-header-per-entry shape.
//!
//! A lockfile names a package once per resolved version; each name is reported once, at
//! its first occurrence.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;

use super::lock::{
    from_yaml, json_key, json_object_key, yaml_key, yaml_top_key, InOrder, Locked, Scalar, Seeker,
    TopMap,
};
use super::{find, Dependency};
use crate::model::Ecosystem;
use crate::rules::normalize_package;

/// Dependencies of every section of a `package.json`.
pub fn package_json(text: &str) -> Result<Vec<Dependency>, String> {
    let doc: Json = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for section in [
        "dependencies",
        "devDependencies",
        "peerDependencies",
        "optionalDependencies",
    ] {
        let Some(deps) = doc.get(section).and_then(|d| d.as_object()) else {
            continue;
        };
        let section_at = find(text, &format!("\"{section}\""), 0).unwrap_or(0);
        for name in deps.keys() {
            let quoted = serde_json::to_string(name).unwrap_or_default();
            let offset = find(text, &quoted, section_at).unwrap_or(section_at);
            out.push(Dependency {
                name: normalize_package(name, Ecosystem::Npm),
                offset,
                locked: false,
            });
        }
    }
    Ok(out)
}

/// One entry of an npm-family lockfile, with only the fields we read. A
/// `dependencies` map is read as entries too: nested packages in a v1 `package-lock`,
/// name → range (which reads as an empty entry) elsewhere.
#[derive(Debug, Default)]
struct Entry {
    /// The real package name, when the key is an alias or a path.
    name: Option<String>,
    /// `npm:real@1.0.0` for an alias in a v1 `package-lock`.
    version: Option<String>,
    /// yarn berry: the locator the entry resolved to (`openai@npm:4.20.0`).
    resolution: Option<String>,
    /// package-lock v2+: a symlink to a workspace folder.
    link: bool,
    dependencies: InOrder<Entry>,
    dev_dependencies: InOrder<Entry>,
    optional_dependencies: InOrder<Entry>,
}

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(EntryVisitor)
    }
}

struct EntryVisitor;

impl<'de> Visitor<'de> for EntryVisitor {
    type Value = Entry;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a lockfile entry")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entry, A::Error> {
        let mut e = Entry::default();
        while let Some(Scalar(key)) = map.next_key::<Scalar>()? {
            match key.as_deref() {
                Some("name") => e.name = map.next_value::<Scalar>()?.0,
                Some("version") => e.version = map.next_value::<Scalar>()?.0,
                Some("resolution") => e.resolution = map.next_value::<Scalar>()?.0,
                Some("link") => e.link = map.next_value::<Scalar>()?.0.as_deref() == Some("true"),
                Some("dependencies") => e.dependencies = map.next_value()?,
                Some("devDependencies") => e.dev_dependencies = map.next_value()?,
                Some("optionalDependencies") => e.optional_dependencies = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(e)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Entry, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Entry::default())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Entry, E> {
        Ok(Entry::default())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Entry, E> {
        Ok(Entry::default())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Entry, E> {
        Ok(Entry::default())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Entry, E> {
        Ok(Entry::default())
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<Entry, E> {
        Ok(Entry::default())
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<Entry, E> {
        Ok(Entry::default())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Entry, E> {
        Ok(Entry::default())
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Entry, E> {
        Ok(Entry::default())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Entry, E> {
        Ok(Entry::default())
    }
    fn visit_none<E: de::Error>(self) -> Result<Entry, E> {
        Ok(Entry::default())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Entry, D::Error> {
        Entry::deserialize(d)
    }
}

/// A plausible npm package name: `name` or `@scope/name`, no other `/`.
fn npm_name(name: &str) -> Option<&str> {
    let ok = match name.strip_prefix('@') {
        Some(scoped) => {
            matches!(scoped.split_once('/'), Some((s, n)) if !s.is_empty() && !n.is_empty() && !n.contains('/'))
        }
        None => !name.is_empty() && !name.contains('/'),
    };
    (ok && name.bytes().all(|b| b.is_ascii_graphic() && b != b':')).then_some(name)
}

/// Splits a descriptor `name@range` (`@scope/name@range`) at the `@` that ends the
/// name; a descriptor without a range is all name.
fn split_descriptor(d: &str) -> (&str, Option<&str>) {
    // `@` is ASCII, so its byte index is a char boundary.
    match d.bytes().skip(1).position(|b| b == b'@') {
        Some(i) => (&d[..i + 1], Some(&d[i + 2..])),
        None => (d, None),
    }
}

/// The real name behind an npm alias range `npm:real@range`, if `range` is one.
fn alias_target(range: &str) -> Option<&str> {
    let target = range.strip_prefix("npm:")?;
    match split_descriptor(target) {
        (name, Some(_)) => npm_name(name),
        (_, None) => None,
    }
}

/// The package a descriptor names, alias resolved: `oai@npm:openai@^4` → `openai`.
fn descriptor_name(d: &str) -> Option<&str> {
    let (name, range) = split_descriptor(d);
    range.and_then(alias_target).or_else(|| npm_name(name))
}

/// The raw serde form of `package-lock.json` / `npm-shrinkwrap.json`.
#[derive(Debug, Default, serde::Deserialize)]
struct PackageLockSyntax {
    /// v2 / v3: install path → entry.
    #[serde(default)]
    packages: InOrder<Entry>,
    /// v1 (and v2, as a copy of `packages`): name → entry, nested.
    #[serde(default)]
    dependencies: InOrder<Entry>,
}

/// Every package of a `package-lock.json` / `npm-shrinkwrap.json`: the v2/v3
/// `packages` map when present (the root `""` entry, workspace folders and links to
/// them are the project itself), else the v1 `dependencies` tree.
pub fn package_lock(text: &str) -> Result<Vec<Dependency>, String> {
    let TopMap(doc): TopMap<PackageLockSyntax> =
        serde_json::from_str(text).map_err(|e| e.to_string())?;
    let mut locked = Locked::new(Ecosystem::Npm);
    if !doc.packages.0.is_empty() {
        let start = Seeker::new(text, 0)
            .seek("\"packages\"", json_object_key)
            .unwrap_or(0);
        let mut seek = Seeker::new(text, start);
        for (path, entry) in doc.packages.entries() {
            let Some((_, installed)) = path.rsplit_once("node_modules/") else {
                continue; // the root `""` or a workspace folder
            };
            if entry.link {
                continue;
            }
            let name = entry
                .name
                .as_deref()
                .and_then(npm_name)
                .or_else(|| npm_name(installed));
            let quoted = serde_json::to_string(path).unwrap_or_default();
            // Point at the installed name, past `"node_modules/…/node_modules/`.
            let offset = seek
                .seek(&quoted, json_key)
                .map_or(start, |at| at + 1 + path.len() - installed.len());
            if let Some(name) = name {
                locked.push(name, offset);
            }
        }
    } else {
        let start = Seeker::new(text, 0)
            .seek("\"dependencies\"", json_object_key)
            .unwrap_or(0);
        let mut seek = Seeker::new(text, start);
        v1_tree(&doc.dependencies, &mut seek, start, &mut locked);
    }
    Ok(locked.finish())
}

/// A v1 `dependencies` tree, depth first in document order (serde's recursion limit
/// bounds its depth).
fn v1_tree(deps: &InOrder<Entry>, seek: &mut Seeker, start: usize, locked: &mut Locked) {
    for (key, entry) in deps.entries() {
        let quoted = serde_json::to_string(key).unwrap_or_default();
        let offset = seek
            .seek(&quoted, json_object_key)
            .map_or(start, |at| at + 1);
        let name = entry
            .version
            .as_deref()
            .and_then(alias_target)
            .or_else(|| npm_name(key));
        if let Some(name) = name {
            locked.push(name, offset);
        }
        v1_tree(&entry.dependencies, seek, start, locked);
    }
}

/// The raw serde form of `pnpm-lock.yaml`.
#[derive(Debug, Default, serde::Deserialize)]
struct PnpmLockSyntax {
    #[serde(default, rename = "lockfileVersion")]
    lockfile_version: Scalar,
    /// v5.3+ workspaces and every v9 lockfile: importer path → its dependencies.
    #[serde(default)]
    importers: InOrder<Entry>,
    /// Single-project v5 / v6 lockfiles keep the importer's dependencies at the top.
    #[serde(default)]
    dependencies: InOrder<Entry>,
    #[serde(default, rename = "devDependencies")]
    dev_dependencies: InOrder<Entry>,
    #[serde(default, rename = "optionalDependencies")]
    optional_dependencies: InOrder<Entry>,
    /// Package key (`/openai@4.20.0`, `openai@4.20.0`, `/openai/4.20.0`) → entry.
    #[serde(default)]
    packages: InOrder<Entry>,
}

/// The package name of a `pnpm-lock.yaml` `packages:` key. v5 writes
/// `/name/version[_peers]`, v6 `/name@version(peers)`, v9 `name@version(peers)`.
fn pnpm_key_name(key: &str, v5: bool) -> Option<&str> {
    let k = key.strip_prefix('/').unwrap_or(key);
    if v5 {
        let mut parts = k.splitn(3, '/');
        let first = parts.next()?;
        let name = if first.starts_with('@') {
            let second = parts.next()?;
            &k[..first.len() + 1 + second.len()]
        } else {
            first
        };
        npm_name(name)
    } else {
        match split_descriptor(k) {
            (name, Some(_)) => npm_name(name),
            (_, None) => None,
        }
    }
}

/// The direct dependencies of one importer section, by name.
fn direct(section: &InOrder<Entry>, seek: &mut Seeker, start: usize, locked: &mut Locked) {
    for (name, _) in section.entries() {
        let offset = seek.seek(name, yaml_key).unwrap_or(start);
        if let Some(name) = npm_name(name) {
            locked.push(name, offset);
        }
    }
}

/// Every package of a `pnpm-lock.yaml`: the direct dependencies of every importer, then
/// every key of `packages:`.
pub fn pnpm_lock(text: &str) -> Result<Vec<Dependency>, String> {
    let TopMap(doc): TopMap<PnpmLockSyntax> = from_yaml(text)?;
    let major = doc.lockfile_version.0.as_deref().and_then(|v| {
        v.trim_start_matches('v')
            .split('.')
            .next()?
            .parse::<u32>()
            .ok()
    });
    let v5 = major.is_some_and(|m| m < 6);
    let mut locked = Locked::new(Ecosystem::Npm);

    if !doc.importers.0.is_empty() {
        let start = yaml_top_key(text, "importers").unwrap_or(0);
        let mut seek = Seeker::new(text, start);
        for (path, importer) in doc.importers.entries() {
            let at = seek.seek(path, yaml_key).unwrap_or(start);
            for section in [
                &importer.dependencies,
                &importer.dev_dependencies,
                &importer.optional_dependencies,
            ] {
                direct(section, &mut seek, at, &mut locked);
            }
        }
    }
    // v5 / v6 single project: the importer's sections at the top level.
    for (section, key) in [
        (&doc.dependencies, "dependencies"),
        (&doc.dev_dependencies, "devDependencies"),
        (&doc.optional_dependencies, "optionalDependencies"),
    ] {
        if section.0.is_empty() {
            continue;
        }
        let start = yaml_top_key(text, key).unwrap_or(0);
        direct(section, &mut Seeker::new(text, start), start, &mut locked);
    }
    let start = yaml_top_key(text, "packages").unwrap_or(0);
    let mut seek = Seeker::new(text, start);
    for (key, entry) in doc.packages.entries() {
        let offset = seek.seek(key, yaml_key).unwrap_or(start);
        let name = entry
            .name
            .as_deref()
            .and_then(npm_name)
            .or_else(|| pnpm_key_name(key, v5));
        if let Some(name) = name {
            locked.push(name, offset);
        }
    }
    Ok(locked.finish())
}

/// Every package of a `yarn.lock`, classic (v1) or berry (v2+, YAML with
/// `__metadata`).
pub fn yarn_lock(text: &str) -> Result<Vec<Dependency>, String> {
    let berry = text
        .lines()
        .any(|l| l.trim_end() == "__metadata:" || l.trim_end() == "\"__metadata\":");
    if berry {
        yarn_berry(text)
    } else {
        yarn_classic(text)
    }
}

/// Berry: keys are comma-separated descriptors (`"openai@npm:^4.0.0, openai@npm:^4.1"`);
/// `resolution` names the package actually installed. Workspaces are the project.
fn yarn_berry(text: &str) -> Result<Vec<Dependency>, String> {
    let TopMap(doc): TopMap<InOrder<Entry>> = from_yaml(text)?;
    let mut locked = Locked::new(Ecosystem::Npm);
    let mut seek = Seeker::new(text, 0);
    for (key, entry) in doc.entries() {
        if key == "__metadata" {
            continue;
        }
        let offset = seek.seek(key, yaml_key).unwrap_or(0);
        let locator = entry
            .resolution
            .as_deref()
            .or_else(|| key.split(',').next())
            .unwrap_or("")
            .trim();
        if matches!(split_descriptor(locator), (_, Some(r)) if r.starts_with("workspace:")) {
            continue;
        }
        if let Some(name) = descriptor_name(locator) {
            locked.push(name, offset);
        }
    }
    Ok(locked.finish())
}

/// Classic: an entry starts with a header at column 0, descriptors separated by
/// commas, each optionally quoted, ending in `:`; its fields are indented.
fn yarn_classic(text: &str) -> Result<Vec<Dependency>, String> {
    let mut locked = Locked::new(Ecosystem::Npm);
    let mut offset = 0;
    let mut in_entry = false;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        let mut body = line.trim_end_matches(['\n', '\r']);
        let mut col = 0;
        if start == 0 {
            if let Some(b) = body.strip_prefix('\u{feff}') {
                body = b;
                col = '\u{feff}'.len_utf8();
            }
        }
        if body.trim().is_empty() || body.starts_with('#') {
            continue;
        }
        if body.starts_with([' ', '\t']) {
            if !in_entry {
                return Err(format!("line {}: indented line outside an entry", n + 1));
            }
            continue;
        }
        let Some(header) = body.trim_end().strip_suffix(':') else {
            return Err(format!(
                "line {}: expected an entry header ending in `:`",
                n + 1
            ));
        };
        in_entry = true;
        let mut name = None;
        let mut at = 0;
        for part in header.split(',') {
            let lead = part.len() - part.trim_start().len();
            let d = part.trim();
            let (d, quote) = match d.strip_prefix('"') {
                Some(inner) => match inner.strip_suffix('"') {
                    Some(inner) => (inner, 1),
                    None => {
                        return Err(format!(
                            "line {}: unterminated quote in entry header",
                            n + 1
                        ))
                    }
                },
                None => (d, 0),
            };
            if d.is_empty() {
                return Err(format!("line {}: empty descriptor in entry header", n + 1));
            }
            if name.is_none() {
                name = descriptor_name(d);
                at = col + lead + quote;
            }
            col += part.len() + 1;
        }
        if let Some(name) = name {
            locked.push(name, start + at);
        }
    }
    Ok(locked.finish())
}

#[cfg(test)]
mod tests {
    use super::super::{dependencies, Dependency, ManifestKind};

    fn names(kind: ManifestKind, text: &str) -> Vec<String> {
        dependencies(kind, text)
            .unwrap()
            .into_iter()
            .map(|d| d.name)
            .collect()
    }

    fn deps(kind: ManifestKind, text: &str) -> Vec<Dependency> {
        dependencies(kind, text).unwrap()
    }

    /// The text at a dependency's offset.
    fn at<'a>(text: &'a str, d: &[Dependency], name: &str) -> &'a str {
        let d = d.iter().find(|d| d.name == name).expect(name);
        &text[d.offset..]
    }

    #[test]
    fn package_json_sections() {
        let text = r#"{"name":"x","dependencies":{"ai":"^4","react":"18"},"devDependencies":{"@langchain/core":"1"}}"#;
        assert_eq!(
            names(ManifestKind::PackageJson, text),
            vec!["ai", "react", "@langchain/core"]
        );
    }

    #[test]
    fn malformed_package_json_is_an_error_not_a_panic() {
        assert!(dependencies(ManifestKind::PackageJson, "{\"dependencies\": {").is_err());
    }

    #[test]
    fn package_lock_v3_packages_nested_links_and_aliases() {
        let text = r#"{
  "name": "app",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "app",
      "dependencies": { "@langchain/openai": "^0.3.0", "zod": "^3" }
    },
    "node_modules/@langchain/openai": {
      "version": "0.3.0",
      "dependencies": { "openai": "^4.0.0" }
    },
    "node_modules/@langchain/openai/node_modules/openai": {
      "version": "4.20.0"
    },
    "node_modules/zod": { "version": "3.23.0" },
    "node_modules/oai": { "name": "openai", "version": "4.21.0" },
    "node_modules/shared": { "resolved": "packages/shared", "link": true },
    "packages/shared": { "name": "shared", "version": "1.0.0" }
  }
}"#;
        let d = deps(ManifestKind::PackageLock, text);
        let n: Vec<_> = d.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(n, vec!["@langchain/openai", "openai", "zod"]);
        assert!(d.iter().all(|d| d.locked));
        assert!(at(text, &d, "openai").starts_with("openai\": {\n      \"version\": \"4.20.0\""));
        assert!(at(text, &d, "@langchain/openai")
            .starts_with("@langchain/openai\": {\n      \"version\": \"0.3.0\""));
    }

    #[test]
    fn package_lock_v1_tree_recursive() {
        let text = r#"{
  "name": "app", "lockfileVersion": 1,
  "dependencies": {
    "@langchain/core": {
      "version": "0.2.0",
      "requires": { "langsmith": "^0.1" },
      "dependencies": {
        "langsmith": { "version": "0.1.0" }
      }
    },
    "my-ai": { "version": "npm:@anthropic-ai/sdk@0.20.0" },
    "react": { "version": "18.0.0" }
  }
}"#;
        let d = deps(ManifestKind::PackageLock, text);
        let n: Vec<_> = d.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            n,
            vec!["@langchain/core", "langsmith", "@anthropic-ai/sdk", "react"]
        );
        // The nested entry, not the `requires` line above it.
        assert!(at(text, &d, "langsmith").starts_with("langsmith\": { \"version\""));
    }

    #[test]
    fn package_lock_minified_and_odd_shapes() {
        let text = r#"{"lockfileVersion":2,"packages":{"":{"name":"x"},"node_modules/openai":{"version":"4"}},"dependencies":{"openai":{"version":"4"}}}"#;
        let d = deps(ManifestKind::PackageLock, text);
        assert_eq!(d.len(), 1);
        assert!(text[d[0].offset..].starts_with("openai\":{\"version"));
        // Odd field types are ignored, not fatal.
        let odd = r#"{"packages":{"node_modules/openai":{"version":4,"link":"no","name":null},"node_modules/x":[1,2]},"dependencies":7}"#;
        assert_eq!(names(ManifestKind::PackageLock, odd), vec!["openai", "x"]);
        assert!(names(ManifestKind::PackageLock, "{}").is_empty());
    }

    #[test]
    fn malformed_package_lock_is_an_error_not_a_panic() {
        for bad in [
            "",
            "{\"packages\": {",
            "[1,2]",
            "\"x\"",
            "{\"packages\":{\"node_modules/a\":{]}}",
        ] {
            assert!(
                dependencies(ManifestKind::PackageLock, bad).is_err(),
                "{bad}"
            );
        }
        // Nesting past serde's recursion limit is an error, not a stack overflow.
        let deep = "{\"dependencies\":".to_string()
            + &"{\"a\":{\"dependencies\":".repeat(200)
            + "{}"
            + &"}}".repeat(200)
            + "}";
        assert!(dependencies(ManifestKind::PackageLock, &deep).is_err());
    }

    #[test]
    fn pnpm_lock_v6_keys_and_importers() {
        let text = r#"lockfileVersion: '6.0'

importers:

  .:
    dependencies:
      '@langchain/openai':
        specifier: ^0.0.14
        version: 0.0.14(openai@4.20.0)

  packages/bot:
    devDependencies:
      typescript:
        specifier: ^5
        version: 5.4.0

packages:

  /@langchain/openai@0.0.14(openai@4.20.0):
    resolution: {integrity: sha512-x}
    dependencies:
      openai: 4.20.0
    dev: false

  /openai@4.20.0:
    resolution: {integrity: sha512-y}
    dev: false

  github.com/acme/thing/abc123:
    name: acme-thing
    dev: false
"#;
        let d = deps(ManifestKind::PnpmLock, text);
        let n: Vec<_> = d.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            n,
            vec!["@langchain/openai", "typescript", "openai", "acme-thing"]
        );
        assert!(d.iter().all(|d| d.locked));
        assert!(
            at(text, &d, "@langchain/openai").starts_with("@langchain/openai':\n        specifier")
        );
        assert!(at(text, &d, "openai").starts_with("/openai@4.20.0:"));
    }

    #[test]
    fn pnpm_lock_v9_and_v5_keys() {
        let v9 = r#"lockfileVersion: '9.0'
importers:
  .:
    dependencies:
      ai:
        specifier: ^4
        version: 4.0.0(react@18.0.0)
packages:
  '@anthropic-ai/sdk@0.30.0':
    resolution: {integrity: sha512-x}
  ai@4.0.0:
    resolution: {integrity: sha512-y}
  openai@4.20.0(zod@3.23.0):
    resolution: {integrity: sha512-z}
snapshots:
  ai@4.0.0(react@18.0.0): {}
"#;
        let d = deps(ManifestKind::PnpmLock, v9);
        let n: Vec<_> = d.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(n, vec!["ai", "@anthropic-ai/sdk", "openai"]);
        assert!(at(v9, &d, "@anthropic-ai/sdk").starts_with("@anthropic-ai/sdk@0.30.0':"));
        let v5 = r#"lockfileVersion: 5.4
specifiers:
  openai: ^3.3.0
dependencies:
  openai: 3.3.0
packages:
  /@babel/core/7.0.0_@babel+x@7.0.0:
    dev: true
  /openai/3.3.0:
    dev: false
"#;
        assert_eq!(
            names(ManifestKind::PnpmLock, v5),
            vec!["openai", "@babel/core"]
        );
    }

    #[test]
    fn malformed_pnpm_lock_is_an_error_not_a_panic() {
        for bad in [
            "packages: [\n",
            "importers:\n  .: {\n",
            "- a\n- b\n",
            "\t x: y",
        ] {
            assert!(dependencies(ManifestKind::PnpmLock, bad).is_err(), "{bad}");
        }
        assert!(names(ManifestKind::PnpmLock, "").is_empty());
        // Nesting past the YAML reader's depth limit is an error, not a stack overflow.
        let deep = "importers:\n".to_string() + &"[".repeat(10_000) + &"]".repeat(10_000);
        assert!(dependencies(ManifestKind::PnpmLock, &deep).is_err());
        // A section that cannot be found in the text still yields its names.
        assert_eq!(
            names(
                ManifestKind::PnpmLock,
                "{'importers': {'.': {'dependencies': {'openai': 4}}}}"
            ),
            vec!["openai"]
        );
        // Odd shapes and odd keys are skipped.
        assert!(names(
            ManifestKind::PnpmLock,
            "packages:\n  /@: {}\n  '': 3\n  1: x\n"
        )
        .is_empty());
    }

    #[test]
    fn yarn_classic_headers() {
        let text = r#"# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@anthropic-ai/sdk@^0.20.0":
  version "0.20.0"
  dependencies:
    openai "^4"

my-oai@npm:openai@^4.0.0:
  version "4.0.0"

openai@^4.0.0, openai@^4.20.0:
  version "4.20.0"
  resolved "https://registry.yarnpkg.com/openai/-/openai-4.20.0.tgz"

react@18.0.0:
  version "18.0.0"
"#;
        let d = deps(ManifestKind::YarnLock, text);
        let n: Vec<_> = d.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(n, vec!["@anthropic-ai/sdk", "openai", "react"]);
        assert!(d.iter().all(|d| d.locked));
        assert!(at(text, &d, "@anthropic-ai/sdk").starts_with("@anthropic-ai/sdk@^0.20.0\":"));
        // First occurrence: the alias entry installs openai too.
        assert!(at(text, &d, "openai").starts_with("my-oai@npm:openai"));
    }

    #[test]
    fn yarn_berry_yaml() {
        let text = r#"# This file is generated by running "yarn install" inside your project.

__metadata:
  version: 8
  cacheKey: 10c0

"@langchain/openai@npm:^0.3.0":
  version: 0.3.0
  resolution: "@langchain/openai@npm:0.3.0"
  dependencies:
    openai: "npm:^4.0.0"
  languageName: node
  linkType: hard

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."
  languageName: unknown
  linkType: soft

"oai@npm:openai@^4.20.0, openai@npm:^4.0.0":
  version: 4.20.0
  resolution: "openai@npm:4.20.0"
  languageName: node
  linkType: hard
"#;
        let d = deps(ManifestKind::YarnLock, text);
        let n: Vec<_> = d.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(n, vec!["@langchain/openai", "openai"]);
        assert!(at(text, &d, "openai").starts_with("oai@npm:openai@^4.20.0, openai@npm:^4.0.0\":"));
        assert!(at(text, &d, "@langchain/openai").starts_with("@langchain/openai@npm:^0.3.0\":"));
    }

    #[test]
    fn malformed_yarn_lock_is_an_error_not_a_panic() {
        for bad in [
            "openai@^4.0.0\n  version \"4\"\n",
            "  version \"4\"\n",
            "\"openai@^4:\n",
            "a@1, , b@2:\n",
            "<<<<<<< HEAD\n",
            "__metadata:\n  version: 8\n\"a@npm:1\": [\n",
        ] {
            assert!(
                dependencies(ManifestKind::YarnLock, bad).is_err(),
                "{bad:?}"
            );
        }
        assert!(names(ManifestKind::YarnLock, "").is_empty());
        assert!(names(ManifestKind::YarnLock, "\u{feff}# c\n@:\n\"é@1\":\n").is_empty());
    }

    #[test]
    fn offsets_follow_document_order_in_big_lockfiles() {
        // 20 000 entries: each key is found once, moving forward.
        let mut text = String::from("{\"lockfileVersion\":3,\"packages\":{\"\":{},");
        for i in 0..20_000 {
            text.push_str(&format!(
                "\"node_modules/p{i}\":{{\"version\":\"1.0.{i}\"}},"
            ));
        }
        text.push_str("\"node_modules/openai\":{\"version\":\"4\"}}}");
        let d = deps(ManifestKind::PackageLock, &text);
        assert_eq!(d.len(), 20_001);
        assert!(d.windows(2).all(|w| w[0].offset < w[1].offset));
        assert!(text[d[20_000].offset..].starts_with("openai\":{"));
    }
}
