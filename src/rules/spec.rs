//! The rule file format, exactly as written in `rules/*.toml` and in the
//! `[[rules]]` section of `guardrail.toml`. Typos are errors
//! (`deny_unknown_fields`), so a misspelled key never silently disables a check.

use serde::{Deserialize, Serialize};

/// How bad a leak of this kind is. Ordered from least to most severe so that
/// `>=` comparisons read naturally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The CVSS-like score GitHub reads from `properties.security-severity`.
    pub fn security_score(self) -> f64 {
        match self {
            Severity::Info => 0.0,
            Severity::Low => 3.0,
            Severity::Medium => 5.5,
            Severity::High => 8.0,
            Severity::Critical => 9.5,
        }
    }
}

/// Provider-specific rules are `high` confidence; the keyword-plus-entropy
/// generic tier is `low`, and a low-confidence finding that overlaps a
/// higher-confidence one is dropped.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    #[default]
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// How a finding was found. Regex rules are `rule`; the other detectors
/// are code (key-aware parsing of config and source files, credential
/// files recognised by name, password-hash formats) that reports under a
/// rule id of its own, so metadata, examples, suppression and SARIF work
/// the same for every finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Detector {
    #[default]
    Rule,
    Structured,
    CredentialFile,
    Hash,
}

impl Detector {
    pub fn as_str(self) -> &'static str {
        match self {
            Detector::Rule => "rule",
            Detector::Structured => "structured",
            Detector::CredentialFile => "credential-file",
            Detector::Hash => "hash",
        }
    }
}

/// Context filters that reject look-alikes of a secret. The generic tier
/// turns them all on; provider rules whose secret is free-form (passwords in
/// URIs, `.netrc`) pick the ones that apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Filter {
    /// `changeme`, `<your-token>`, `${VAR}`, `{{ var }}`, `%(x)s`, `xxxx`, `****`, `example`, `dummy`...
    Placeholder,
    /// `os.environ[...]`, `getenv(...)`, `process.env.X`, `secrets.X`, bare identifiers.
    Reference,
    /// Canonical UUIDs.
    Uuid,
    /// `abcdef`, `123456`, `aaaaaa` and friends.
    Sequential,
    /// Hex digests next to hash-ish keys and lockfile integrity fields.
    Hash,
    /// File-system paths and URLs without credentials.
    Path,
    /// Plain words: letters only, no digits and no symbols.
    Word,
}

impl Filter {
    pub const ALL: [Filter; 7] = [
        Filter::Placeholder,
        Filter::Reference,
        Filter::Uuid,
        Filter::Sequential,
        Filter::Hash,
        Filter::Path,
        Filter::Word,
    ];
}

/// What an allowlist regex is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum RegexTarget {
    #[default]
    Secret,
    Match,
    Line,
}

/// How an allowlist combines its criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum AllowCondition {
    /// Any non-empty criterion matching allows the finding.
    #[default]
    Or,
    /// Every non-empty criterion must match (gitleaks' `condition = "AND"`).
    And,
}

/// One allowlist: a finding is allowed when any of its non-empty criteria
/// match (regexes on the target, stopwords in the secret, or the path), or
/// with `condition = "and"` when all of them do.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AllowlistSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regexes: Vec<String>,
    #[serde(default)]
    pub regex_target: RegexTarget,
    /// Case-insensitive substrings of the secret.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stopwords: Vec<String>,
    /// Regexes on the `/`-separated path relative to the scan root.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    #[serde(default)]
    pub condition: AllowCondition,
}

/// Examples that tests (and `guardrail rules check`) run. In a positive
/// example, `⟪REGEX⟫` is replaced at check time by a string generated from
/// REGEX with a fixed seed, and the rule must report exactly that string as
/// its secret; this keeps live-looking tokens out of the repository.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ExamplesSpec {
    /// Path the examples are scanned under (for rules with `path` or
    /// path-dependent filters); `example.txt` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default)]
    pub positive: Vec<String>,
    #[serde(default)]
    pub negative: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub description: String,
    /// Required for `detector = "rule"`; a rule of another detector may
    /// leave it out (empty): its keywords then only select files for the
    /// detector, which reports under the rule's id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub regex: String,
    /// Capture group holding the secret (0 = whole match). When absent, the
    /// first capture group if the regex has one, else the whole match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_group: Option<usize>,
    /// Lower-case literals; a file must contain one (ASCII case-insensitive)
    /// for the regex to run. Empty means "run on every file" and needs
    /// `keywordless_reason`.
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keywordless_reason: Option<String>,
    /// Minimum Shannon entropy (bits per byte) of the secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entropy: Option<f64>,
    /// Regex on the path; the rule only runs on matching files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub severity: Severity,
    #[serde(default)]
    pub confidence: Confidence,
    /// Ids of rules that find the same secret with less to say about it
    /// (`gcp-service-account-key` over `private-key-pkcs8`): where a finding
    /// of this rule overlaps one of theirs at no higher confidence, theirs
    /// is dropped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supersedes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<Filter>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Documentation of the token format this rule follows (the provider's
    /// own pages first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// The service or product that issues the secret (`GitHub`, `Stripe`),
    /// for grouping in `rules list`; absent for generic and format rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Which detector reports this rule's findings, and how a finding says
    /// it was found (JSON `detector`).
    #[serde(default)]
    pub detector: Detector,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowlist: Vec<AllowlistSpec>,
    #[serde(default)]
    pub examples: ExamplesSpec,
}

/// What key names mean to the structured detector (`[keys]` in a pack,
/// `rules/keys.toml` for the built-ins, or `guardrail.toml`). Every entry
/// is a name in words (`api key`), matched in any case style: `apiKey`,
/// `API_KEY`, `api.key`, `api-key`, `apikey`, `01_api_key`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct KeysSpec {
    /// Names whose literal value is a password: reported even when the
    /// value has little entropy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub password: Vec<String>,
    /// Names of secrets other than passwords (client secret, private key,
    /// salt): the value must look random.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secret: Vec<String>,
    /// Names of tokens and API keys: the value must look random.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub token: Vec<String>,
    /// Names above that are also recognised at the end of a run-together
    /// word (`dbpassword`, `requirepass`, `mysqlpwd`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suffix: Vec<String>,
    /// Trailing words that do not change what a name means
    /// (`secret_key_base`, `password_value`, `token_b64`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub neutral: Vec<String>,
    /// Names that only look like a secret-bearing one (`passenger`,
    /// `public key`, `csrf token`); a key holding one anywhere is not one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub look_alike: Vec<String>,
}

impl KeysSpec {
    /// Append another spec's entries (packs and config add up).
    pub fn extend(&mut self, other: &KeysSpec) {
        self.password.extend(other.password.iter().cloned());
        self.secret.extend(other.secret.iter().cloned());
        self.token.extend(other.token.iter().cloned());
        self.suffix.extend(other.suffix.iter().cloned());
        self.neutral.extend(other.neutral.iter().cloned());
        self.look_alike.extend(other.look_alike.iter().cloned());
    }
}

/// A rule pack file: `rules/*.toml`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RulePackSpec {
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
    /// Key semantics for the structured detector (see [`KeysSpec`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<KeysSpec>,
}
