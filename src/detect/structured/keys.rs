//! Key semantics: which names hold a secret, from `[keys]` in the rule
//! packs (`rules/keys.toml`) and the config. A name is split into words
//! whatever its case style (`dbPassword`, `DB_PASSWORD`, `db.password`,
//! `db-password`, `01_password`) and judged by its end: the last words,
//! after dropping neutral ones (`_value`, `_b64`, `_key`), must be a
//! secret-bearing name, and no look-alike (`passenger`, `public key`,
//! `password reset`) may occur anywhere in it.

use std::collections::{HashMap, HashSet};

use crate::rules::KeysSpec;

/// What a secret-bearing key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyKind {
    Password,
    Secret,
    Token,
}

impl KeyKind {
    /// The id of the rule that reports values under such keys.
    pub fn rule_id(self) -> &'static str {
        match self {
            KeyKind::Password => "structured-password",
            KeyKind::Secret => "structured-secret",
            KeyKind::Token => "structured-token",
        }
    }
}

/// [`KeysSpec`], compiled for lookups.
#[derive(Debug, Default)]
pub struct KeySemantics {
    /// Names with their words joined (`api key` -> `apikey`).
    terms: HashMap<String, KeyKind>,
    max_term_words: usize,
    suffix: Vec<(String, KeyKind)>,
    neutral: HashSet<String>,
    look_alike: HashSet<String>,
    max_look_alike_words: usize,
}

/// A name in lower-case words: the words are `text[bounds[i].0..bounds[i].1]`.
#[derive(Default)]
pub struct Words {
    text: String,
    bounds: Vec<(usize, usize)>,
    joined: String,
}

impl Words {
    /// Split `name` into its words: at every byte that is not an ASCII
    /// letter or digit, at camelCase humps (`dbPassword`, `APIKey` ->
    /// `api`, `key`) and between letters and digits; words of digits
    /// only (`01_password`, `password2`) are dropped.
    pub fn split(&mut self, name: &[u8]) {
        self.text.clear();
        self.bounds.clear();
        let mut start: Option<usize> = None;
        let n = name.len();
        for i in 0..n {
            let b = name[i];
            if !b.is_ascii_alphanumeric() {
                self.end_word(&mut start);
                continue;
            }
            if start.is_some() && i > 0 {
                let p = name[i - 1];
                let hump = p.is_ascii_lowercase() && b.is_ascii_uppercase();
                // `APIKey`: the last capital of a run starts the next word.
                let run_end = p.is_ascii_uppercase()
                    && b.is_ascii_uppercase()
                    && name.get(i + 1).is_some_and(u8::is_ascii_lowercase);
                let digit_edge = p.is_ascii_digit() != b.is_ascii_digit();
                if hump || run_end || digit_edge {
                    self.end_word(&mut start);
                }
            }
            if start.is_none() {
                start = Some(self.text.len());
            }
            self.text.push(b.to_ascii_lowercase() as char);
        }
        self.end_word(&mut start);
    }

    fn end_word(&mut self, start: &mut Option<usize>) {
        if let Some(s) = start.take() {
            if self.text[s..].bytes().all(|b| b.is_ascii_digit()) {
                self.text.truncate(s);
            } else {
                self.bounds.push((s, self.text.len()));
            }
        }
    }

    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bounds.is_empty()
    }

    pub fn word(&self, i: usize) -> &str {
        let (s, e) = self.bounds[i];
        &self.text[s..e]
    }

    /// Words `from..to` joined without separators.
    fn join(&mut self, from: usize, to: usize) -> &str {
        self.joined.clear();
        for i in from..to {
            let (s, e) = self.bounds[i];
            self.joined.push_str(&self.text[s..e]);
        }
        &self.joined
    }
}

fn joined(phrase: &str) -> (String, usize) {
    let mut w = Words::default();
    w.split(phrase.as_bytes());
    let n = w.len();
    (w.join(0, n).to_string(), n)
}

impl KeySemantics {
    pub fn new(spec: &KeysSpec) -> KeySemantics {
        let mut k = KeySemantics::default();
        for (list, kind) in [
            (&spec.password, KeyKind::Password),
            (&spec.secret, KeyKind::Secret),
            (&spec.token, KeyKind::Token),
        ] {
            for name in list {
                let (j, n) = joined(name);
                if n == 0 {
                    continue;
                }
                k.max_term_words = k.max_term_words.max(n);
                // The first list naming a term decides its kind.
                k.terms.entry(j).or_insert(kind);
            }
        }
        for s in &spec.suffix {
            let (j, _) = joined(s);
            if let Some(&kind) = k.terms.get(&j) {
                k.suffix.push((j, kind));
            }
        }
        k.neutral = spec.neutral.iter().map(|n| joined(n).0).collect();
        for name in &spec.look_alike {
            let (j, n) = joined(name);
            if n > 0 {
                k.max_look_alike_words = k.max_look_alike_words.max(n);
                k.look_alike.insert(j);
            }
        }
        k
    }

    /// What the key `name` holds, if it is secret-bearing. `words` is a
    /// scratch buffer.
    pub fn classify(&self, name: &[u8], words: &mut Words) -> Option<KeyKind> {
        words.split(name);
        let n = words.len();
        if n == 0 {
            return None;
        }
        for i in 0..n {
            for j in i + 1..=(i + self.max_look_alike_words).min(n) {
                if self.look_alike.contains(words.join(i, j)) {
                    return None;
                }
            }
        }
        let mut end = n;
        loop {
            for start in end.saturating_sub(self.max_term_words)..end {
                if let Some(&kind) = self.terms.get(words.join(start, end)) {
                    return Some(kind);
                }
            }
            let last = words.word(end - 1);
            // A plural of a name: `passwords`, `api_keys`.
            if let Some(stem) = last.strip_suffix('s').filter(|s| s.len() >= 3) {
                let stem = stem.to_string();
                let from = end.saturating_sub(self.max_term_words);
                for start in from..end {
                    words.join(start, end - 1);
                    let mut j = std::mem::take(&mut words.joined);
                    j.push_str(&stem);
                    let hit = self.terms.get(&j).copied();
                    words.joined = j;
                    if let Some(kind) = hit {
                        return Some(kind);
                    }
                }
            }
            let last = words.word(end - 1);
            if let Some((_, kind)) = self
                .suffix
                .iter()
                .find(|(s, _)| last.len() > s.len() && last.ends_with(s.as_str()))
            {
                return Some(*kind);
            }
            if end > 1 && self.neutral.contains(words.word(end - 1)) {
                end -= 1;
            } else {
                return None;
            }
        }
    }

    /// Every term and look-alike, joined (for the keyword coverage test).
    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.terms.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn semantics() -> KeySemantics {
        let rules = crate::rules::builtin_rules().unwrap();
        KeySemantics::new(&rules.keys)
    }

    #[test]
    fn words_in_every_case_style() {
        let mut w = Words::default();
        for (name, want) in [
            ("dbPassword", vec!["db", "password"]),
            ("DB_PASSWORD", vec!["db", "password"]),
            ("db.password", vec!["db", "password"]),
            ("db-password", vec!["db", "password"]),
            ("01_password", vec!["password"]),
            ("APIKey", vec!["api", "key"]),
            ("password2", vec!["password"]),
            ("$db_pass", vec!["db", "pass"]),
        ] {
            w.split(name.as_bytes());
            let got: Vec<&str> = (0..w.len()).map(|i| w.word(i)).collect();
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn secret_bearing_names_and_look_alikes() {
        let k = semantics();
        let mut w = Words::default();
        let kind = |name: &str, w: &mut Words| k.classify(name.as_bytes(), w);
        for (name, want) in [
            ("dbPassword", Some(KeyKind::Password)),
            ("DB_PASSWORD", Some(KeyKind::Password)),
            ("db.password", Some(KeyKind::Password)),
            ("db-password", Some(KeyKind::Password)),
            ("01_password", Some(KeyKind::Password)),
            ("dbpassword", Some(KeyKind::Password)),
            ("requirepass", Some(KeyKind::Password)),
            ("MYSQL_PWD", Some(KeyKind::Password)),
            ("passphrase", Some(KeyKind::Password)),
            ("client_secret", Some(KeyKind::Secret)),
            ("SECRET_KEY_BASE", Some(KeyKind::Secret)),
            ("privateKey", Some(KeyKind::Secret)),
            ("AUTH_SALT", Some(KeyKind::Secret)),
            ("apiKey", Some(KeyKind::Token)),
            ("API_KEY", Some(KeyKind::Token)),
            ("x-api-key", Some(KeyKind::Token)),
            ("access_token", Some(KeyKind::Token)),
            ("oauth_token", Some(KeyKind::Token)),
            ("auth", Some(KeyKind::Token)),
            ("passenger", None),
            ("passthrough", None),
            ("bypass", None),
            ("secretary", None),
            ("password_reset_url", None),
            ("public_key", None),
            ("token_endpoint", None),
            ("password_policy", None),
            ("auth_method", None),
            ("password_file", None),
            ("secret_path", None),
            ("token_env", None),
            ("TokenStream", None),
            ("csrf_token", None),
            ("author", None),
            ("key", None),
            ("api", None),
            ("secret_name", None),
        ] {
            assert_eq!(kind(name, &mut w), want, "{name}");
        }
    }
}
