//! JVM builds: Maven `pom.xml`, Gradle `build.gradle` / `build.gradle.kts`, and
//! Gradle version catalogs (`gradle/libs.versions.toml`).
//!
//! A dependency is named `group:artifact`; the version is dropped. Only what the
//! build really depends on counts: Maven `<dependencyManagement>` (and the BOMs it
//! imports), Gradle `constraints { }`, plugin and exclusion coordinates only manage
//! or exclude versions, so they are skipped. A catalog entry is a declared
//! coordinate that a build may or may not use; it counts like a declaration.
//!
//! Gradle scripts, Groovy and Kotlin DSL alike, go through one small tokenizer that
//! knows both languages' strings and comments: the manifest dispatch does not say
//! which DSL a file is written in, and one reader gives both the same meaning. A file
//! a reader rejects is an `Err` with its message and line, never a panic.

use quick_xml::events::Event;
use quick_xml::Reader;

use super::{find, Dependency};

/// `group:artifact` of a coordinate string `group:artifact[:version][:classifier][@ext]`,
/// or `None` when either part is missing or not a literal Maven name (a `${…}`
/// template, a project path `:core`, a file name).
fn coordinate(s: &str) -> Option<String> {
    let mut parts = s.split(':');
    let group = parts.next()?.trim();
    let artifact = parts.next()?.trim();
    let artifact = artifact.split('@').next().unwrap_or(artifact);
    let ok = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
    };
    (ok(group) && ok(artifact)).then(|| format!("{group}:{artifact}"))
}

fn dep(name: String, offset: usize) -> Dependency {
    Dependency {
        name,
        offset,
        locked: false,
    }
}

// ---------------------------------------------------------------------------------
// Maven
// ---------------------------------------------------------------------------------

/// The paths (from the root element) at which a `<dependency>` is a real one: the
/// project's and each profile's `<dependencies>`. `<dependencyManagement>`, plugin
/// dependencies and `<exclusions>` sit elsewhere and never match.
const POM_DEPENDENCY_PARENTS: [&[&str]; 2] = [
    &["project", "dependencies"],
    &["project", "profiles", "profile", "dependencies"],
];

#[derive(Default)]
struct PomDep {
    group: Option<String>,
    artifact: Option<(String, usize)>,
    scope: Option<String>,
}

/// Dependencies of a Maven `pom.xml`: every `<dependency>` of the project's and its
/// profiles' `<dependencies>`, as `groupId:artifactId`. The offset is the
/// `artifactId` text. A dependency with `<scope>import</scope>` is a BOM, not a
/// dependency (Maven only honours it under `<dependencyManagement>`), and is skipped.
pub fn pom(text: &str) -> Result<Vec<Dependency>, String> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<String> = Vec::new();
    // Depth of the `<dependency>` being read, and what it says so far.
    let mut current: Option<(usize, PomDep)> = None;
    // The direct child of that `<dependency>` whose text is being read.
    let mut field: Option<(String, String, Option<usize>)> = None;
    let mut out = Vec::new();
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            let at = reader.error_position() as usize;
            format!("line {}: {e}", line_of(text, at))
        })?;
        match event {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if name == "dependency"
                    && current.is_none()
                    && POM_DEPENDENCY_PARENTS.iter().any(|p| stack == *p)
                {
                    current = Some((stack.len(), PomDep::default()));
                } else if let Some((depth, _)) = &current {
                    if stack.len() == depth + 1 {
                        field = Some((name.clone(), String::new(), None));
                    }
                }
                stack.push(name);
            }
            Event::Text(t) => {
                if let Some((_, value, at)) = &mut field {
                    let raw = t.decode().map_err(|e| e.to_string())?;
                    let lead = raw.len() - raw.trim_start().len();
                    if at.is_none() && lead < raw.len() {
                        *at = Some(before + lead);
                    }
                    value.push_str(&raw);
                }
            }
            Event::CData(t) => {
                if let Some((_, value, at)) = &mut field {
                    at.get_or_insert(before + "<![CDATA[".len());
                    value.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::End(_) => {
                stack.pop();
                if let Some((depth, d)) = &mut current {
                    if stack.len() == *depth + 1 {
                        if let Some((name, value, at)) = field.take() {
                            let value = value.trim().to_string();
                            match name.as_str() {
                                "groupId" => d.group = Some(value),
                                "artifactId" => d.artifact = Some((value, at.unwrap_or(before))),
                                "scope" => d.scope = Some(value),
                                _ => {}
                            }
                        }
                    } else if stack.len() == *depth {
                        let d = std::mem::take(d);
                        current = None;
                        if let (Some(group), Some((artifact, at))) = (d.group, d.artifact) {
                            if d.scope.as_deref() != Some("import")
                                && !group.is_empty()
                                && !artifact.is_empty()
                            {
                                out.push(dep(format!("{group}:{artifact}"), at));
                            }
                        }
                    }
                }
            }
            Event::Eof => break,
            // Comments, declarations, processing instructions, empty elements
            // (`<optional/>`) and entity references carry no coordinates.
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!("unexpected end of file inside <{open}>"));
    }
    Ok(out)
}

fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

// ---------------------------------------------------------------------------------
// Gradle
// ---------------------------------------------------------------------------------

/// A Gradle dependency configuration: the standard ones, plus source-set and
/// variant prefixed forms (`testImplementation`, `debugApi`, `jvmMainImplementation`,
/// `kaptTest`, `kspJvm`). `classpath` (build script plugins) is not the unit's code.
fn is_configuration(name: &str) -> bool {
    const EXACT: [&str; 14] = [
        "implementation",
        "api",
        "compileOnly",
        "runtimeOnly",
        "compileOnlyApi",
        "annotationProcessor",
        "kapt",
        "ksp",
        "developmentOnly",
        "testAndDevelopmentOnly",
        // Removed in Gradle 7, still in old builds.
        "compile",
        "runtime",
        "testCompile",
        "testRuntime",
    ];
    const SUFFIXES: [&str; 5] = [
        "Implementation",
        "Api",
        "CompileOnly",
        "RuntimeOnly",
        "AnnotationProcessor",
    ];
    if EXACT.contains(&name) {
        return true;
    }
    let lower_start = name.starts_with(|c: char| c.is_ascii_lowercase());
    let suffixed = SUFFIXES
        .iter()
        .any(|s| name.len() > s.len() && name.ends_with(s));
    let prefixed = ["kapt", "ksp"].iter().any(|p| {
        name.strip_prefix(p)
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
    });
    lower_start && (suffixed || prefixed)
}

/// Wrappers whose argument is a coordinate: a platform (BOM) declared in a
/// configuration is a dependency the build resolves.
fn is_platform(name: &str) -> bool {
    matches!(name, "platform" | "enforcedPlatform")
}

/// Dependencies of a `build.gradle` or `build.gradle.kts`: string coordinates
/// (`implementation("g:a:v")`, `api 'g:a'`, `implementation(platform("g:a:v"))`) and
/// named forms (`implementation(group = "g", name = "a")`, `implementation group: 'g',
/// name: 'a'`) passed to a dependency configuration. `constraints { }` blocks and
/// catalog accessors (`libs.x`, read from the catalog itself) are not read.
pub fn gradle(text: &str) -> Result<Vec<Dependency>, String> {
    // One reader for both DSLs. The dispatch does not say which DSL a file is, and
    // reading "whatever the Kotlin grammar accepts" from its tree loses forms: the
    // Groovy `implementation enforcedPlatform("g:a:v")` is also valid Kotlin (an
    // infix call), so a grammar-first reader silently misses it.
    let toks = tokenize(text)?;
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let after_dot = i > 0 && toks[i - 1] == Tok::Punct(b'.');
        match toks[i] {
            Tok::Ident("constraints") if toks.get(i + 1) == Some(&Tok::Punct(b'{')) => {
                i = skip_block(&toks, i + 1);
            }
            Tok::Ident(name) if !after_dot && is_configuration(name) => {
                i = token_arguments(&toks, i + 1, &mut out);
            }
            // Kotlin's `"kspJvm"("g:a:v")`: a configuration named by a string.
            Tok::Str(name, _)
                if is_configuration(name) && toks.get(i + 1) == Some(&Tok::Punct(b'(')) =>
            {
                i = token_arguments(&toks, i + 1, &mut out);
            }
            _ => i += 1,
        }
    }
    Ok(out)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok<'a> {
    /// An identifier or keyword.
    Ident(&'a str),
    /// A string literal's raw content (templates left as written) and its offset.
    Str(&'a str, usize),
    /// Any other character.
    Punct(u8),
}

/// Groovy / Kotlin build script tokens: comments dropped, strings (`'…'`, `"…"`,
/// `'''…'''`, `"""…"""`, with `${…}` templates) kept whole. Unterminated strings and
/// comments and unbalanced brackets are errors.
fn tokenize(text: &str) -> Result<Vec<Tok<'_>>, String> {
    let b = text.as_bytes();
    let mut toks = Vec::new();
    let mut brackets: Vec<(u8, usize)> = Vec::new();
    let mut i = 0;
    if text.starts_with("#!") {
        i = text.find('\n').unwrap_or(text.len());
    }
    while i < b.len() {
        let c = b[i];
        match c {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = find(text, "\n", i).unwrap_or(b.len());
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = find(text, "*/", i + 2)
                    .ok_or_else(|| format!("line {}: unterminated comment", line_of(text, i)))?;
                i = end + 2;
            }
            b'\'' | b'"' => {
                let (start, end, next) = string_end(text, i)?;
                toks.push(Tok::Str(&text[start..end], start));
                i = next;
            }
            _ if c.is_ascii_alphabetic() || c == b'_' || c == b'$' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$')
                {
                    i += 1;
                }
                toks.push(Tok::Ident(&text[start..i]));
            }
            _ if c.is_ascii_whitespace() => i += 1,
            _ if !c.is_ascii() => i += 1,
            _ => {
                match c {
                    b'(' | b'[' | b'{' => brackets.push((c, i)),
                    b')' | b']' | b'}' => {
                        let open = match c {
                            b')' => b'(',
                            b']' => b'[',
                            _ => b'{',
                        };
                        if brackets.pop().map(|(o, _)| o) != Some(open) {
                            return Err(format!(
                                "line {}: unbalanced `{}`",
                                line_of(text, i),
                                c as char
                            ));
                        }
                    }
                    _ => {}
                }
                toks.push(Tok::Punct(c));
                i += 1;
            }
        }
    }
    if let Some((open, at)) = brackets.pop() {
        return Err(format!(
            "line {}: `{}` is never closed",
            line_of(text, at),
            open as char
        ));
    }
    Ok(toks)
}

/// The string starting at `i` (a quote): its content range and the index after it.
fn string_end(text: &str, i: usize) -> Result<(usize, usize, usize), String> {
    let b = text.as_bytes();
    let q = b[i];
    let unterminated = || format!("line {}: unterminated string", line_of(text, i));
    if b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q) {
        let delim = if q == b'"' { "\"\"\"" } else { "'''" };
        let end = find(text, delim, i + 3).ok_or_else(unterminated)?;
        return Ok((i + 3, end, end + 3));
    }
    let mut j = i + 1;
    // Depth of `${ … }` templates: a quote inside one is a nested string.
    let mut depth = 0usize;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'\n' if depth == 0 => return Err(unterminated()),
            b'$' if q == b'"' && b.get(j + 1) == Some(&b'{') => {
                depth += 1;
                j += 2;
            }
            b'}' if depth > 0 => {
                depth -= 1;
                j += 1;
            }
            b'\'' | b'"' if depth > 0 => {
                let (_, _, next) = string_end(text, j)?;
                j = next;
            }
            c if c == q && depth == 0 => return Ok((i + 1, j, j + 1)),
            _ => j += 1,
        }
    }
    Err(unterminated())
}
/// Index after the block whose `{` is at `open`.
fn skip_block(toks: &[Tok], open: usize) -> usize {
    let mut depth = 0usize;
    for (k, t) in toks.iter().enumerate().skip(open) {
        match t {
            Tok::Punct(b'{') => depth += 1,
            Tok::Punct(b'}') => {
                depth -= 1;
                if depth == 0 {
                    return k + 1;
                }
            }
            _ => {}
        }
    }
    toks.len()
}

/// Reads the arguments of a configuration call starting at `i`: comma-separated
/// coordinates, `platform(…)` wrappers, `[…]` lists and `key: value` / `key = value`
/// named forms, with or without parentheses. Returns where to resume.
fn token_arguments(toks: &[Tok], mut i: usize, out: &mut Vec<Dependency>) -> usize {
    let paren = toks.get(i) == Some(&Tok::Punct(b'('));
    if paren {
        i += 1;
    }
    let mut group: Option<(&str, usize)> = None;
    let mut name: Option<&str> = None;
    loop {
        match (toks.get(i), toks.get(i + 1)) {
            (Some(Tok::Str(s, at)), _) => {
                if let Some(c) = coordinate(s) {
                    out.push(dep(c, *at));
                }
                i += 1;
            }
            (Some(Tok::Ident(key)), Some(Tok::Punct(b':' | b'='))) => {
                if let Some(Tok::Str(s, at)) = toks.get(i + 2) {
                    match *key {
                        "group" => group = Some((s, *at)),
                        "name" => name = Some(s),
                        _ => {}
                    }
                }
                i += 3;
            }
            (Some(Tok::Ident(w)), next) if is_platform(w) => {
                let wrapped = next == Some(&Tok::Punct(b'('));
                let at = if wrapped { i + 2 } else { i + 1 };
                if let Some(Tok::Str(s, off)) = toks.get(at) {
                    if let Some(c) = coordinate(s) {
                        out.push(dep(c, *off));
                    }
                }
                i = at + 1;
                if wrapped && toks.get(i) == Some(&Tok::Punct(b')')) {
                    i += 1;
                }
            }
            (Some(Tok::Punct(b'[')), _) => {
                i += 1;
                while let Some(t) = toks.get(i) {
                    match t {
                        Tok::Str(s, at) => {
                            if let Some(c) = coordinate(s) {
                                out.push(dep(c, *at));
                            }
                        }
                        Tok::Punct(b']') => break,
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            _ => break,
        }
        if toks.get(i) == Some(&Tok::Punct(b',')) {
            i += 1;
        } else {
            break;
        }
    }
    if let (Some((g, at)), Some(n)) = (group, name) {
        if let Some(c) = coordinate(&format!("{g}:{n}")) {
            out.push(dep(c, at));
        }
    }
    if paren && toks.get(i) == Some(&Tok::Punct(b')')) {
        i += 1;
    }
    i
}

// ---------------------------------------------------------------------------------
// Version catalogs
// ---------------------------------------------------------------------------------

/// Entries of a Gradle version catalog's `[libraries]`: `x = "g:a:v"`,
/// `x = { module = "g:a", … }` and `x = { group = "g", name = "a", … }`. Versions,
/// bundles and plugins name no new library and are not read.
pub fn version_catalog(text: &str) -> Result<Vec<Dependency>, String> {
    let doc: toml::Table = toml::from_str(text).map_err(|e| e.message().to_string())?;
    let Some(libraries) = doc.get("libraries") else {
        return Ok(Vec::new());
    };
    let libraries = libraries
        .as_table()
        .ok_or("`libraries` is not a table".to_string())?;
    let section = section_offset(text, "libraries").unwrap_or(0);
    let mut out = Vec::new();
    for (key, value) in libraries {
        let offset = key_offset(text, key, section).unwrap_or(section);
        let name = match value {
            toml::Value::String(s) => coordinate(s),
            toml::Value::Table(t) => {
                let s = |k: &str| t.get(k).and_then(|v| v.as_str());
                match (s("module"), s("group"), s("name")) {
                    (Some(m), _, _) => coordinate(m),
                    (None, Some(g), Some(n)) => coordinate(&format!("{g}:{n}")),
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(name) = name {
            out.push(dep(name, offset));
        }
    }
    Ok(out)
}

/// Offset of the `[name]` table header.
fn section_offset(text: &str, name: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t.strip_prefix('[')
            .and_then(|r| r.split(']').next())
            .is_some_and(|h| h.trim() == name)
            && !t.starts_with("[[")
        {
            return Some(offset + (line.len() - line.trim_start().len()));
        }
        offset += line.len();
    }
    None
}

/// Offset of `key = …` (bare or quoted) at the start of a line, at or after `from`.
fn key_offset(text: &str, key: &str, from: usize) -> Option<usize> {
    let mut offset = from;
    for line in text.get(from..)?.split_inclusive('\n') {
        let t = line.trim_start();
        let lead = line.len() - t.len();
        let rest = t
            .strip_prefix(&format!("\"{key}\""))
            .or_else(|| t.strip_prefix(&format!("'{key}'")))
            .or_else(|| t.strip_prefix(key));
        if rest.is_some_and(|r| r.trim_start().starts_with('=')) {
            return Some(offset + lead);
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::{dependencies, ManifestKind};
    use super::*;
    use crate::detect::code::lang::{parse, Lang};
    use std::time::Duration;

    fn names(deps: &[Dependency]) -> Vec<&str> {
        deps.iter().map(|d| d.name.as_str()).collect()
    }

    /// Each dependency's offset points at text that starts with `expect`.
    fn assert_at(text: &str, deps: &[Dependency], expect: &[&str]) {
        assert_eq!(deps.len(), expect.len(), "{deps:?}");
        for (d, e) in deps.iter().zip(expect) {
            assert!(
                text[d.offset..].starts_with(e),
                "{} at {}: {:?}",
                d.name,
                d.offset,
                &text[d.offset..(d.offset + 20).min(text.len())]
            );
            assert!(!d.locked);
        }
    }

    #[test]
    fn coordinates() {
        assert_eq!(coordinate("g:a:1.0").as_deref(), Some("g:a"));
        assert_eq!(coordinate("g:a").as_deref(), Some("g:a"));
        assert_eq!(coordinate("g:a:1.0:sources@jar").as_deref(), Some("g:a"));
        assert_eq!(coordinate("g:a@aar").as_deref(), Some("g:a"));
        assert_eq!(coordinate("g:a:$v").as_deref(), Some("g:a"));
        assert_eq!(coordinate("$group:a:1"), None);
        assert_eq!(coordinate("g:a${x}:1"), None);
        assert_eq!(coordinate(":core"), None);
        assert_eq!(coordinate("libs/x.jar"), None);
        assert_eq!(coordinate("g :a b"), None);
    }

    const POM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <groupId>com.acme</groupId>
  <artifactId>support-bot</artifactId>
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId></parent>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>org.springframework.ai</groupId>
        <artifactId>spring-ai-bom</artifactId>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <!-- <dependency><groupId>com.openai</groupId><artifactId>openai-java</artifactId></dependency> -->
    <dependency>
      <groupId>org.springframework.ai</groupId>
      <artifactId>spring-ai-starter-model-openai</artifactId>
      <exclusions>
        <exclusion>
          <groupId>com.azure</groupId>
          <artifactId>azure-ai-openai</artifactId>
        </exclusion>
      </exclusions>
    </dependency>
    <dependency>
      <artifactId>  langchain4j  </artifactId>
      <groupId>dev.langchain4j</groupId>
      <version>${langchain4j.version}</version>
    </dependency>
    <dependency><groupId>a</groupId><artifactId><![CDATA[b]]></artifactId></dependency>
    <dependency><groupId>only-group</groupId></dependency>
  </dependencies>
  <profiles>
    <profile>
      <id>bedrock</id>
      <dependencies>
        <dependency>
          <groupId>software.amazon.awssdk</groupId>
          <artifactId>bedrockruntime</artifactId>
        </dependency>
      </dependencies>
    </profile>
  </profiles>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-surefire-plugin</artifactId>
        <dependencies>
          <dependency><groupId>com.anthropic</groupId><artifactId>anthropic-java</artifactId></dependency>
        </dependencies>
      </plugin>
    </plugins>
  </build>
</project>
"#;

    #[test]
    fn pom_reads_project_and_profile_dependencies_only() {
        let deps = dependencies(ManifestKind::Pom, POM).unwrap();
        assert_eq!(
            names(&deps),
            vec![
                "org.springframework.ai:spring-ai-starter-model-openai",
                "dev.langchain4j:langchain4j",
                "a:b",
                "software.amazon.awssdk:bedrockruntime",
            ]
        );
        assert_at(
            POM,
            &deps,
            &[
                "spring-ai-starter",
                "langchain4j  <",
                "b]]",
                "bedrockruntime",
            ],
        );
    }

    #[test]
    fn pom_with_prefixed_namespace_and_import_scope_in_dependencies() {
        let text = r#"<m:project xmlns:m="http://maven.apache.org/POM/4.0.0"><m:dependencies>
<m:dependency><m:groupId>com.openai</m:groupId><m:artifactId>openai-java</m:artifactId></m:dependency>
<m:dependency><m:groupId>x</m:groupId><m:artifactId>bom</m:artifactId><m:scope>import</m:scope></m:dependency>
</m:dependencies></m:project>"#;
        let deps = pom(text).unwrap();
        assert_eq!(names(&deps), vec!["com.openai:openai-java"]);
    }

    #[test]
    fn malformed_pom_is_an_error_not_a_panic() {
        // Mismatched end tag.
        let e = pom("<project><dependencies></dependency></project>").unwrap_err();
        assert!(e.contains("line 1"), "{e}");
        // Truncated file.
        let e = pom("<project>\n<dependencies>\n<dependency><groupId>g</groupId>").unwrap_err();
        assert!(e.contains("end of file"), "{e}");
        // Not XML at all; no project element means no dependencies, not a guess.
        assert!(pom("plugins { id 'java' }").is_ok_and(|d| d.is_empty()));
        assert!(pom("<project><dependencies><dependency a=></dependency>").is_err());
    }

    const KTS: &str = r#"import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    kotlin("jvm") version "2.0.21"
    id("org.springframework.boot") version "3.3.5"
}

val koogVersion: String by project

dependencies {
    implementation(platform("dev.langchain4j:langchain4j-bom:1.0.0"))
    implementation("dev.langchain4j:langchain4j-open-ai")
    api(group = "com.openai", name = "openai-java", version = "2.8.0")
    implementation("ai.koog:koog-agents:$koogVersion") {
        exclude(group = "org.slf4j", module = "slf4j-api")
    }
    testImplementation("""org.junit.jupiter:junit-jupiter:5.11.0""")
    "kspJvm"("com.google.adk:google-adk:0.1.0")
    implementation(libs.anthropic.java)
    implementation(project(":core"))
    implementation(files("libs/local.jar"))
    // implementation("com.google.genai:google-genai:1.0.0")
    val s = "io.github.ollama4j:ollama4j:1.0.0"
    classpath("com.google.cloud:google-cloud-vertexai:1.0.0")
    constraints {
        implementation("com.azure:azure-ai-openai:1.0.0-beta.16")
    }
}

kotlin { compilerOptions { jvmTarget.set(JvmTarget.JVM_21) } }
tasks.withType<Test> { useJUnitPlatform() }
"#;

    #[test]
    fn gradle_kotlin_dsl() {
        // The sample is real Kotlin, as the Kotlin grammar sees it.
        let tree = parse(Lang::Kotlin, KTS.as_bytes(), Duration::from_secs(5)).unwrap();
        assert!(!tree.root_node().has_error());
        let deps = dependencies(ManifestKind::Gradle, KTS).unwrap();
        assert_eq!(
            names(&deps),
            vec![
                "dev.langchain4j:langchain4j-bom",
                "dev.langchain4j:langchain4j-open-ai",
                "com.openai:openai-java",
                "ai.koog:koog-agents",
                "org.junit.jupiter:junit-jupiter",
                "com.google.adk:google-adk",
            ]
        );
        assert_at(
            KTS,
            &deps,
            &[
                "dev.langchain4j:langchain4j-bom",
                "dev.langchain4j:langchain4j-open-ai",
                "com.openai",
                "ai.koog",
                "org.junit",
                "com.google.adk",
            ],
        );
    }

    const GROOVY: &str = r#"#!/usr/bin/env groovy
plugins {
    id 'java'
    id "org.springframework.boot" version '3.3.5'
}

ext { springAiVersion = '1.0.0' }

dependencies {
    implementation platform("org.springframework.ai:spring-ai-bom:${springAiVersion}")
    implementation 'org.springframework.ai:spring-ai-starter-model-openai'
    implementation "dev.langchain4j:langchain4j:${versions["lc4j"]}"
    api group: 'com.anthropic', name: 'anthropic-java', version: '2.2.0'
    implementation('io.modelcontextprotocol.sdk:mcp:0.10.0') {
        exclude group: 'io.projectreactor', module: 'reactor-core'
    }
    testImplementation 'org.junit.jupiter:junit-jupiter:5.11.0',
        'org.mockito:mockito-core:5.0.0'
    runtimeOnly(['io.github.ollama4j:ollama4j:1.0.100'])
    kapt '''com.google.adk:google-adk:0.1.0'''
    implementation project(':core')
    implementation libs.koog.agents
    // implementation 'com.google.genai:google-genai:1.0.0'
    /* compileOnly 'com.openai:openai-java:2.8.0' */
    def note = "implementation 'com.azure:azure-ai-openai:1.0.0'"
    constraints {
        implementation 'software.amazon.awssdk:bedrockruntime:2.29.0'
    }
}
dependencyManagement {
    imports { mavenBom 'com.google.cloud:libraries-bom:26.50.0' }
}
"#;

    #[test]
    fn gradle_groovy_dsl() {
        let deps = dependencies(ManifestKind::Gradle, GROOVY).unwrap();
        assert_eq!(
            names(&deps),
            vec![
                "org.springframework.ai:spring-ai-bom",
                "org.springframework.ai:spring-ai-starter-model-openai",
                "dev.langchain4j:langchain4j",
                "com.anthropic:anthropic-java",
                "io.modelcontextprotocol.sdk:mcp",
                "org.junit.jupiter:junit-jupiter",
                "org.mockito:mockito-core",
                "io.github.ollama4j:ollama4j",
                "com.google.adk:google-adk",
            ]
        );
        assert_at(
            GROOVY,
            &deps,
            &[
                "org.springframework.ai:spring-ai-bom",
                "org.springframework.ai:spring-ai-starter",
                "dev.langchain4j",
                "com.anthropic",
                "io.modelcontextprotocol",
                "org.junit",
                "org.mockito",
                "io.github",
                "com.google.adk",
            ],
        );
    }

    /// Each form alone, in a script small enough to be valid Kotlin too (regression:
    /// a grammar-first reader missed `implementation enforcedPlatform("…")`).
    #[test]
    fn gradle_groovy_forms_one_by_one() {
        for form in [
            "implementation 'a.b:c:1'",
            "implementation \"a.b:c:1\"",
            "implementation('a.b:c:1')",
            "implementation(\"a.b:c:1\")",
            "implementation group: 'a.b', name: 'c'",
            "implementation(group: \"a.b\", name: \"c\", version: '1')",
            "implementation platform('a.b:c:1')",
            "implementation enforcedPlatform(\"a.b:c:1\")",
            "implementation(platform(\"a.b:c:1\"))",
            "implementation(group = \"a.b\", name = \"c\")",
            "debugImplementation 'a.b:c:1'",
        ] {
            let text = format!("dependencies {{\n    {form}\n}}\n");
            let deps = gradle(&text).unwrap();
            assert_eq!(names(&deps), vec!["a.b:c"], "{form}");
            assert!(text[deps[0].offset..].starts_with("a.b"), "{form}");
        }
    }

    #[test]
    fn malformed_gradle_is_an_error_not_a_panic() {
        for bad in [
            "dependencies {\n implementation 'dev.langchain4j:langchain4j:1.0\n}\n",
            "dependencies {\n implementation \"dev.langchain4j:langchain4j:1.0\"\n",
            "/* dependencies {\n implementation 'a:b:1' }\n",
            "dependencies { implementation('a:b:1'] }",
            "dependencies { implementation \"a:b:${x\" }",
            "'''",
        ] {
            let e = dependencies(ManifestKind::Gradle, bad);
            assert!(
                e.as_ref().is_err_and(|m| m.contains("line")),
                "{bad:?}: {e:?}"
            );
        }
        // Stray tokens are not dependencies.
        assert_eq!(
            gradle("implementation\n= 'x'\nimplementation : ,").unwrap(),
            vec![]
        );
        assert_eq!(gradle("").unwrap(), vec![]);
    }

    const CATALOG: &str = r#"[versions]
langchain4j = "1.0.0"

[libraries]
langchain4j-core = "dev.langchain4j:langchain4j:1.0.0"
langchain4j-openai = { module = "dev.langchain4j:langchain4j-open-ai", version.ref = "langchain4j" }
"koog.agents" = { group = "ai.koog", name = "koog-agents", version = "0.3.0" }
junit = { module = "org.junit.jupiter:junit-jupiter" }
broken = { version = "1" }

[plugins]
kotlin-jvm = { id = "org.jetbrains.kotlin.jvm", version = "2.0.21" }

[bundles]
ai = ["langchain4j-core", "langchain4j-openai"]
"#;

    #[test]
    fn version_catalog_libraries() {
        assert_eq!(
            ManifestKind::from_path("gradle/libs.versions.toml"),
            Some(ManifestKind::VersionCatalog)
        );
        let deps = dependencies(ManifestKind::VersionCatalog, CATALOG).unwrap();
        let mut got: Vec<(&str, &str)> = deps
            .iter()
            .map(|d| (d.name.as_str(), &CATALOG[d.offset..d.offset + 6]))
            .collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                ("ai.koog:koog-agents", "\"koog."),
                ("dev.langchain4j:langchain4j", "langch"),
                ("dev.langchain4j:langchain4j-open-ai", "langch"),
                ("org.junit.jupiter:junit-jupiter", "junit "),
            ]
        );
        let openai = deps
            .iter()
            .find(|d| d.name.ends_with("open-ai"))
            .expect("listed above");
        assert!(CATALOG[openai.offset..].starts_with("langchain4j-openai ="));
    }

    #[test]
    fn malformed_catalog_is_an_error_not_a_panic() {
        assert!(version_catalog("[libraries]\nx = { module = ").is_err());
        assert!(version_catalog("libraries = 3").is_err());
        assert_eq!(version_catalog("[versions]\nx = \"1\"\n").unwrap(), vec![]);
    }
}
