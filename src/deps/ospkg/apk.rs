//! apk's database, `/lib/apk/db/installed`: one record per package,
//! `X:value` lines (`P` name, `V` version, `A` arch, `o` origin, `L`
//! licence), records separated by blank lines.

use super::{DbError, OsPackage};

pub fn parse(text: &str, path: &str) -> Result<Vec<OsPackage>, DbError> {
    let mut out = Vec::new();
    let mut cur: Option<OsPackage> = None;
    let finish = |cur: &mut Option<OsPackage>, out: &mut Vec<OsPackage>| -> Result<(), DbError> {
        if let Some(mut p) = cur.take() {
            if p.name.is_empty() || p.version.is_empty() {
                return Err(DbError::new(
                    path,
                    format!("line {}: record without P: or V:", p.line),
                ));
            }
            if p.source_name.is_empty() {
                p.source_name = p.name.clone();
            }
            p.source_version = p.version.clone();
            out.push(p);
        }
        Ok(())
    };
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            finish(&mut cur, &mut out)?;
            continue;
        }
        let b = line.as_bytes();
        if b.len() < 2 || b[1] != b':' {
            return Err(DbError::new(
                path,
                format!("line {}: expected `X:value`", i + 1),
            ));
        }
        let p = cur.get_or_insert_with(|| OsPackage {
            name: String::new(),
            version: String::new(),
            source_name: String::new(),
            source_version: String::new(),
            arch: String::new(),
            license: None,
            line: i + 1,
        });
        let v = line[2..].trim();
        match b[0] {
            b'P' => p.name = v.to_string(),
            b'V' => p.version = v.to_string(),
            b'A' => p.arch = v.to_string(),
            b'o' => p.source_name = v.to_string(),
            b'L' => p.license = Some(v.to_string()).filter(|l| !l.is_empty()),
            _ => {}
        }
    }
    finish(&mut cur, &mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records() {
        let t = "C:Q1abc=\nP:libcrypto3\nV:3.1.4-r5\nA:x86_64\nL:Apache-2.0\no:openssl\nF:lib\nR:libcrypto.so.3\n\nP:musl\nV:1.2.4_git20230717-r4\n";
        let p = parse(t, "lib/apk/db/installed").unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(
            (p[0].name.as_str(), p[0].source_name.as_str()),
            ("libcrypto3", "openssl")
        );
        assert_eq!(p[0].license.as_deref(), Some("Apache-2.0"));
        assert_eq!(p[1].source_name, "musl");
        assert_eq!(p[1].line, 10);
        let e = parse("P:x\n\nV:1\n", "db").unwrap_err();
        assert!(
            e.to_string().contains("line 1: record without P: or V:"),
            "{e}"
        );
        assert!(parse("garbage\n", "db").is_err());
    }
}
