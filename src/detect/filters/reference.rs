//! Values that refer to something else instead of holding a secret:
//! environment lookups, template variables, identifiers and calls in code.

use super::code::is_scoped_path;
use super::{find, is_identifier};

/// Calls and lookups that produce the value at run time instead of holding it.
const REFERENCE_PARTS: &[&str] = &[
    "os.environ",
    "getenv",
    "process.env",
    "import.meta.env",
    "deno.env",
    "env(",
    "env[",
    "env.",
    "env::var",
    "env!(",
    "secrets.",
    "vault(",
    "vault:",
    "config.",
    "config[",
    "settings.",
    "environment.",
    "params.",
    "props.",
    "self.",
    "this.",
    "args.",
    "options.",
    "opts.",
    "request.",
    "req.",
    "context.",
    "ctx.",
    "$env:",
    "keyring.",
    "credentials.",
    "secret_ref",
    "valuefrom",
    "secretkeyref",
    "arn:aws:",
    "arn:aws-",
    "ssm:",
    "op://",
    "secretsmanager",
    "keyvault",
    "{{resolve:",
    "lookup(",
];

/// Prefixes of Terraform / HCL and templating references.
const REFERENCE_PREFIXES: &[&str] = &[
    "var.", "local.", "data.", "module.", "each.", "!ref", "!sub", "!getatt", "!vault", "%env(",
    "env:",
];

pub fn is_reference(secret: &str, line: &[u8], path: &str) -> bool {
    let lower = secret.to_ascii_lowercase();
    if lower.starts_with('$') || lower.starts_with('&') {
        return true;
    }
    // `@token`, `@Microsoft.KeyVault(SecretUri=...)`, `@config.key`: an
    // instance variable, decorator or Key Vault reference. A quoted value
    // with punctuation after the `@` is a password that starts with one.
    if let Some(rest) = secret.strip_prefix('@') {
        let head = rest.split('(').next().unwrap_or(rest);
        let named = head
            .split(['.', ':'])
            .all(|seg| !seg.is_empty() && is_identifier(seg));
        if named || !is_quoted_in(line, secret) {
            return true;
        }
    }
    if REFERENCE_PARTS.iter().any(|p| lower.contains(p))
        || REFERENCE_PREFIXES.iter().any(|p| lower.starts_with(p))
    {
        return true;
    }
    // A function call or subscript: `get_password()`, `read_token(path`,
    // `config["x"]`, `Optional[str]`, `Token::new(`.
    if is_call(secret) || is_scoped_path(secret) {
        return true;
    }
    // In code an unquoted identifier or member chain on the right-hand side
    // is another variable: `password = settings_password`, `key = a.b.c`.
    // In .env, YAML, properties and Dockerfiles the same text is a literal.
    let is_ident_chain = secret
        .split('.')
        .flat_map(|seg| seg.split("::"))
        .all(|seg| !seg.is_empty() && is_identifier(seg));
    if is_code_path(path) && is_expression(secret) {
        return true;
    }
    // A password inside a URI (`scheme://user:PASSWORD@host`) is a literal
    // whatever the file type, even though it is never directly quoted.
    if is_ident_chain && !is_quoted_in(line, secret) && !is_uri_password(line, secret) {
        if is_code_path(path) {
            return true;
        }
        let has_lower = secret.bytes().any(|b| b.is_ascii_lowercase());
        let has_upper = secret.bytes().any(|b| b.is_ascii_uppercase());
        // `token: GITHUB_TOKEN` names a variable in any syntax.
        if has_upper && !has_lower && secret.contains('_') {
            return true;
        }
    }
    false
}

/// Whether `secret` appears in `line` as `:secret@`, the password of a URI's
/// user-info.
fn is_uri_password(line: &[u8], secret: &str) -> bool {
    let s = secret.as_bytes();
    line.windows(s.len() + 2)
        .any(|w| w[0] == b':' && w[w.len() - 1] == b'@' && &w[1..w.len() - 1] == s)
}

const CODE_EXTENSIONS: &[&str] = &[
    "py", "pyi", "ipynb", "js", "jsx", "ts", "tsx", "mjs", "cjs", "go", "java", "kt", "kts",
    "scala", "groovy", "gradle", "rb", "php", "cs", "rs", "swift", "c", "h", "cc", "cpp", "hpp",
    "m", "tf", "hcl", "lua", "dart", "ex", "exs", "clj", "jl", "vue", "svelte",
];

/// `t.secret||r(16)`, `e.apiKey||i.apiKey}`, `password})`: an identifier
/// or member chain followed by an operator or a closing bracket is code
/// (minified JavaScript, nested literals), not a value.
fn is_expression(secret: &str) -> bool {
    let end = secret
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(secret.len());
    let (head, rest) = secret.split_at(end);
    let head_is_chain = head
        .split('.')
        .all(|seg| !seg.is_empty() && is_identifier(seg));
    head_is_chain
        && ["||", "&&", "??", "?.", ")", "}", "]"]
            .iter()
            .any(|op| rest.starts_with(op))
}

fn is_code_path(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((_, ext)) => CODE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()),
        None => false,
    }
}

/// `name(`, `a.b(`, `A::b(` or `a[`: the start of a call or subscript,
/// whether or not the regex captured its end. Macro invocations count too
/// (`vec![0u8`, `format!(`, `Token![=]`, `json!{`): in any file type an
/// identifier followed by `!(` is code, as passwords are not written so.
fn is_call(s: &str) -> bool {
    let open = match s.find(['(', '[', '{']) {
        Some(open) if s.as_bytes()[open] == b'{' && !s[..open].ends_with('!') => return false,
        open => open,
    };
    match open {
        Some(open) if open > 0 => {
            let head = s[..open].strip_suffix('!').unwrap_or(&s[..open]);
            let mut segs = head.split(['.', ':']).filter(|seg| !seg.is_empty());
            let first = segs.next();
            first.is_some_and(is_identifier) && segs.all(is_identifier)
        }
        _ => false,
    }
}

/// Whether `secret` is (part of) a string literal in `line`: an odd number
/// of one kind of quote precedes it. `"postgres://u:PW@h"` holds a literal
/// even though no quote touches `PW`.
fn is_quoted_in(line: &[u8], secret: &str) -> bool {
    let Some(at) = find(line, secret.as_bytes()) else {
        return false;
    };
    let mut open: Option<u8> = None;
    let mut escaped = false;
    for &b in &line[..at] {
        match (open, b) {
            (_, b'\\') if !escaped => {
                escaped = true;
                continue;
            }
            (None, b'"' | b'\'' | b'`') if !escaped => open = Some(b),
            (Some(q), c) if c == q && !escaped => open = None,
            _ => {}
        }
        escaped = false;
    }
    open.is_some() || matches!(line.get(at + secret.len()), Some(b'"' | b'\'' | b'`'))
}
