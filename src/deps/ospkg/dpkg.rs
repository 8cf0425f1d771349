//! dpkg's database: `/var/lib/dpkg/status` (RFC 822-style stanzas), and
//! distroless images' `/var/lib/dpkg/status.d/<package>` (one stanza per
//! file, same fields).

use super::{DbError, OsPackage};

/// Installed packages of a status file. A stanza without `Package` or
/// `Version` is an error naming its line; packages whose `Status` is not
/// `... installed` (removed, config-files, half-installed) are not
/// installed and are left out.
pub fn parse(text: &str, path: &str) -> Result<Vec<OsPackage>, DbError> {
    let mut out = Vec::new();
    let mut fields: Vec<(&str, String)> = Vec::new();
    let mut start = 0;
    let mut last_key: Option<usize> = None;
    let mut flush = |fields: &mut Vec<(&str, String)>, start: usize| -> Result<(), DbError> {
        if fields.is_empty() {
            return Ok(());
        }
        let get = |k: &str| {
            fields
                .iter()
                .find(|(f, _)| f.eq_ignore_ascii_case(k))
                .map(|(_, v)| v.trim())
        };
        let name = get("Package").ok_or_else(|| {
            DbError::new(
                path,
                format!("line {start}: stanza without a Package field"),
            )
        })?;
        let version = get("Version").ok_or_else(|| {
            DbError::new(path, format!("line {start}: package {name} has no Version"))
        })?;
        // `Status: want flag status`; status.d files often have none.
        let installed = get("Status").is_none_or(|s| {
            s.split_whitespace()
                .last()
                .is_some_and(|st| st == "installed")
        });
        if installed {
            let (source_name, source_version) = match get("Source") {
                Some(s) => match s.split_once('(') {
                    Some((n, v)) => (
                        n.trim().to_string(),
                        v.trim_end_matches(')').trim().to_string(),
                    ),
                    None => (s.to_string(), version.to_string()),
                },
                None => (name.to_string(), version.to_string()),
            };
            out.push(OsPackage {
                name: name.to_string(),
                version: version.to_string(),
                source_name,
                source_version,
                arch: get("Architecture").unwrap_or("").to_string(),
                license: None,
                line: start,
            });
        }
        fields.clear();
        Ok(())
    };
    for (i, line) in text.lines().enumerate() {
        let lineno = i + 1;
        if line.trim().is_empty() {
            flush(&mut fields, start)?;
            last_key = None;
            continue;
        }
        if line.starts_with([' ', '\t']) {
            // Continuation of the previous field (descriptions, conffiles).
            if last_key.is_none() {
                return Err(DbError::new(
                    path,
                    format!("line {lineno}: continuation line outside a field"),
                ));
            }
            continue;
        }
        let Some((k, v)) = line.split_once(':') else {
            return Err(DbError::new(
                path,
                format!("line {lineno}: expected `Field: value`"),
            ));
        };
        if fields.is_empty() {
            start = lineno;
        }
        fields.push((k.trim(), v.to_string()));
        last_key = Some(fields.len() - 1);
    }
    flush(&mut fields, start)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stanzas_sources_and_status() {
        let t = "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.11-1~deb12u2\nDescription: x\n more\n .\n\nPackage: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\nSource: bash (5.2.15-2)\n\nPackage: gone\nStatus: deinstall ok config-files\nVersion: 1.0\n";
        let p = parse(t, "var/lib/dpkg/status").unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].source_name, "openssl");
        assert_eq!(p[0].source_version, "3.0.11-1~deb12u2");
        assert_eq!(p[0].line, 1);
        assert_eq!(p[1].source_version, "5.2.15-2");
        assert_eq!(p[1].version, "5.2.15-2+b2");
        assert_eq!(p[1].line, 10);
    }

    #[test]
    fn malformed_names_the_line() {
        let e = parse("Package: a\nVersion: 1\n\nbroken line\n", "s").unwrap_err();
        assert_eq!(e.to_string(), "s: line 4: expected `Field: value`");
        let e = parse("Package: a\n", "s").unwrap_err();
        assert!(e.to_string().contains("has no Version"), "{e}");
    }
}
