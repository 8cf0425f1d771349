//! Each format's extractor on positives and look-alikes, through the
//! whole scanner (keyword hits, gate, judge, de-duplication).

use crate::detect::Scanner;
use crate::finding::Finding;
use crate::rules::Confidence;

fn scanner() -> &'static Scanner {
    use std::sync::OnceLock;
    static S: OnceLock<Scanner> = OnceLock::new();
    S.get_or_init(|| Scanner::new(crate::rules::builtin_rules().unwrap()))
}

fn structured(path: &str, text: &str) -> Vec<Finding> {
    scanner()
        .scan(path, text.as_bytes())
        .into_iter()
        .filter(|f| f.rule_id.starts_with("structured-"))
        .collect()
}

/// (secret, key path, confidence) of the structured findings.
fn found(path: &str, text: &str) -> Vec<(String, String, Confidence)> {
    structured(path, text)
        .into_iter()
        .map(|f| (f.secret, f.key_path.unwrap_or_default(), f.confidence))
        .collect()
}

fn secrets(path: &str, text: &str) -> Vec<String> {
    found(path, text).into_iter().map(|f| f.0).collect()
}

#[test]
fn yaml_nesting_lists_and_name_value_pairs() {
    let y = "database:\n  production:\n    user: app\n    password: Tr0ub4dor&3\n  test:\n    password: ${DB_PASSWORD}\nservice:\n  environment:\n    - DB_PASSWORD=xK9mQ2vL7p\n    - API_TOKEN=$TOKEN\n  passwords:\n    - Zq8#wE3rT1\nenv:\n  - name: SMTP_PASSWORD\n    value: \"m4ilPa55w0rd\"\n  - name: LOG_LEVEL\n    value: debug\nblock:\n  password: |\n    not judged\n";
    let f = found("deploy/values.yaml", y);
    let got: Vec<(&str, &str)> = f.iter().map(|(s, p, _)| (s.as_str(), p.as_str())).collect();
    assert_eq!(
        got,
        vec![
            ("Tr0ub4dor&3", "database.production.password"),
            ("xK9mQ2vL7p", "service.environment.DB_PASSWORD"),
            ("Zq8#wE3rT1", "service.passwords"),
            ("m4ilPa55w0rd", "env.SMTP_PASSWORD"),
        ]
    );
    assert!(f.iter().all(|x| x.2 >= Confidence::Medium));
}

#[test]
fn json_with_comments_nested_arrays_and_name_value() {
    let j = r#"{
  // local overrides
  "db": {"password": "s3cr3tPa55", "host": "db"},
  "tokens": {"deploy_token": "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7",},
  "api_keys": ["k8Jd92LmQp0zXw7vRt5s", "${KEY}"],
  "Parameters": [{"ParameterKey": "DbPassword", "ParameterValue": "pa55W0rdX"}],
  "password_policy": "Zx81ab!!cd"
}"#;
    let s = secrets("conf/app.json", j);
    assert_eq!(
        s,
        vec![
            "s3cr3tPa55",
            "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7",
            "k8Jd92LmQp0zXw7vRt5s",
            "pa55W0rdX"
        ]
    );
}

#[test]
fn xml_elements_attributes_and_key_value_entries() {
    let x = r#"<?xml version="1.0"?>
<!-- <password>commented1X</password> -->
<configuration>
  <appSettings>
    <add key="DbPassword" value="Xk29sLq0w" />
    <add key="PageSize" value="20" />
  </appSettings>
  <connection user="app" password="Qw3rty!9z" />
  <servers><server><id>nexus</id><password>N3xusPa55</password></server></servers>
  <dict><key>ApiToken</key><string>aB3dE6gH9jK2mN5pQ8sT1vW4</string></dict>
  <password>${env.PASS}</password>
</configuration>"#;
    let f = found("web.config", x);
    let got: Vec<(&str, &str)> = f.iter().map(|(s, p, _)| (s.as_str(), p.as_str())).collect();
    assert_eq!(
        got,
        vec![
            ("Xk29sLq0w", "configuration.appSettings.DbPassword"),
            ("Qw3rty!9z", "configuration.connection.password"),
            ("N3xusPa55", "configuration.servers.server.password"),
            ("aB3dE6gH9jK2mN5pQ8sT1vW4", "configuration.dict.ApiToken"),
        ]
    );
}

#[test]
fn ini_properties_env_and_toml() {
    assert_eq!(
        found(
            "conf/app.ini",
            "[smtp]\nuser = app\npassword = hunter2Xy\n; password = commented\n"
        ),
        vec![(
            "hunter2Xy".into(),
            "smtp.password".into(),
            Confidence::Medium
        )]
    );
    assert_eq!(secrets("app.properties", "spring.datasource.password=Pr0dPa55!\nspring.datasource.username=app\ndb.password ${DB}\n"), vec!["Pr0dPa55!"]);
    assert_eq!(
        secrets("redis.conf", "requirepass f00bAr3dX\n"),
        vec!["f00bAr3dX"]
    );
    assert_eq!(
        secrets(
            ".env.production",
            "export DB_PASSWORD=\"Xy7!pQ2w\"\nAPI_TOKEN=\nSECRET=${X}\n"
        ),
        vec!["Xy7!pQ2w"]
    );
    let t = "[database]\npassword = \"T0mlPa55w\"\nclients = { api_key = \"aB3dE6gH9jK2mN5pQ8sT\" }\nnote = \"\"\"\npassword = \"inside\"\n\"\"\"\n";
    assert_eq!(
        secrets("config.toml", t),
        vec!["T0mlPa55w", "aB3dE6gH9jK2mN5pQ8sT"]
    );
}

#[test]
fn shell_and_dockerfile() {
    let sh = "export DB_PASSWORD=Xk29sLq0w\nmysql -u root -pR00tPa55 app\nsshpass -p 'Ssh9Pa55' ssh host\ncurl -u admin:Cu7lPa55 https://x.internal\ndocker run -e API_TOKEN=aB3dE6gH9jK2mN5pQ8sT nginx\nwget --http-password=Wg3tPa55 https://x\npsql --password $PGPASS\nPGPASSWORD=\"$X\" psql\n";
    assert_eq!(
        secrets("deploy.sh", sh),
        vec![
            "Xk29sLq0w",
            "R00tPa55",
            "Ssh9Pa55",
            "aB3dE6gH9jK2mN5pQ8sT",
            "Wg3tPa55"
        ]
    );
    // curl's `-u user:password` is the basic-auth rule's, which says more.
    let curl = scanner().scan("deploy.sh", b"curl -u admin:Cu7lPa55 https://x.internal\n");
    assert!(curl.iter().any(|f| f.secret == "Cu7lPa55"), "{curl:?}");
    let curl = found(
        "deploy.sh",
        "curl --user admin:Cu7lPa55 https://x.internal\n",
    );
    assert!(curl.len() <= 1);
    let d = "FROM node:20\nARG NPM_TOKEN=aB3dE6gH9jK2mN5pQ8sT1v\nENV DB_PASSWORD D0ckerPa55\nENV A=1 SECRET_KEY=zQ8sT1vW4yZ7bC0eF3hJ6\nRUN mysql -pRunPa55w0 db\n";
    assert_eq!(
        secrets("Dockerfile", d),
        vec![
            "aB3dE6gH9jK2mN5pQ8sT1v",
            "D0ckerPa55",
            "zQ8sT1vW4yZ7bC0eF3hJ6",
            "RunPa55w0"
        ]
    );
}

#[test]
fn source_code_assignments_calls_and_dicts() {
    let py = "DATABASES = {\n    'default': {\n        'PASSWORD': 'Dj4ngoPa55',\n    }\n}\nSECRET_KEY = os.environ['SECRET_KEY']\npassword = get_password()\ntoken = f\"{a}{b}\"\nclient = Client(api_key=\"aB3dE6gH9jK2mN5pQ8sT\")\nuser, pwd = 'admin', 'Tupl3Pa55'\n# password = 'Comment3dX'\n\"\"\"password = 'Docstr1ngX'\"\"\"\n";
    let f = found("app/settings.py", py);
    let got: Vec<(&str, &str)> = f.iter().map(|(s, p, _)| (s.as_str(), p.as_str())).collect();
    assert_eq!(
        got,
        vec![
            ("Dj4ngoPa55", "DATABASES.default.PASSWORD"),
            ("aB3dE6gH9jK2mN5pQ8sT", "api_key"),
            ("Tupl3Pa55", "pwd"),
        ]
    );
    let js = "const config = { db: { password: 'J5Pa55w0rd' }, apiKey: process.env.KEY };\nthis.token = `${a}`;\nclient.setPassword(\"S3tterPa55\");\nconst t = token + 'x';\n";
    assert_eq!(
        secrets("src/config.ts", js),
        vec!["J5Pa55w0rd", "S3tterPa55"]
    );
    let go = "package main\nconst Password = \"G0c0nstPa5\"\nfunc f() {\n\tuser, pass := \"admin\", \"G0multiPa5\"\n\tcfg := Config{Token: \"aB3dE6gH9jK2mN5pQ8sT\"}\n\tvar secret string = \"zQ8sT1vW4yZ7bC0eF3hJ6\"\n}\n";
    assert_eq!(
        secrets("main.go", go),
        vec![
            "G0c0nstPa5",
            "G0multiPa5",
            "aB3dE6gH9jK2mN5pQ8sT",
            "zQ8sT1vW4yZ7bC0eF3hJ6"
        ]
    );
    let php = "<?php\ndefine('DB_PASSWORD', 'Php3efinePa5');\n$password = 'PhpVarPa55';\n$cfg = ['api_key' => 'aB3dE6gH9jK2mN5pQ8sT'];\n$cfg['secret'] = getenv('S');\n";
    assert_eq!(
        secrets("wp-config.php", php),
        vec!["Php3efinePa5", "PhpVarPa55", "aB3dE6gH9jK2mN5pQ8sT"]
    );
    let rb = "config.password = \"RubyPa55w0\"\nopts = { :api_key => \"aB3dE6gH9jK2mN5pQ8sT\", token: ENV['T'] }\n";
    assert_eq!(
        secrets("config/initializers/x.rb", rb),
        vec!["RubyPa55w0", "aB3dE6gH9jK2mN5pQ8sT"]
    );
    let java = "class A {\n  private static final String DB_PASSWORD = \"JavaPa55w0\";\n  void f() { ds.setPassword(\"S3tJavaPa5\"); props.setProperty(\"mail.password\", \"Pr0pPa55w\"); }\n}\n";
    assert_eq!(
        secrets("src/A.java", java),
        vec!["JavaPa55w0", "S3tJavaPa5", "Pr0pPa55w"]
    );
    let rs = "const API_KEY: &str = \"aB3dE6gH9jK2mN5pQ8sT\";\nlet password = String::from(\"Ru5tPa55w\");\nfn f<'a>(token: &'a str) {}\n";
    assert_eq!(
        secrets("src/config.rs", rs),
        vec!["aB3dE6gH9jK2mN5pQ8sT", "Ru5tPa55w"]
    );
    let cs = "var c = new Client { ApiKey = \"aB3dE6gH9jK2mN5pQ8sT\" };\nvar d = new Dictionary<string, string> { { \"Password\", \"CsDictPa55\" } };\nvar e = $\"{x}\";\n";
    assert_eq!(
        secrets("Program.cs", cs),
        vec!["aB3dE6gH9jK2mN5pQ8sT", "CsDictPa55"]
    );
    let kt = "val accessToken = \"aB3dE6gH9jK2mN5pQ8sT\"\nval password: String = \"K0tlinPa55\"\nval t = \"$prefix-x\"\n";
    assert_eq!(
        secrets("app/Main.kt", kt),
        vec!["aB3dE6gH9jK2mN5pQ8sT", "K0tlinPa55"]
    );
    let tf = "resource \"aws_db_instance\" \"main\" {\n  password = \"Terr4formPa5\"\n  username = var.user\n}\nvariable \"db_password\" {\n  default = \"Var1ablePa5\"\n}\nlocals { token = \"${var.t}\" }\n";
    let f = found("infra/main.tf", tf);
    let got: Vec<(&str, &str)> = f.iter().map(|(s, p, _)| (s.as_str(), p.as_str())).collect();
    assert_eq!(
        got,
        vec![
            ("Terr4formPa5", "main.password"),
            ("Var1ablePa5", "db_password")
        ]
    );
}

#[test]
fn look_alike_keys_and_values_are_not_findings() {
    for (path, text) in [
        ("a.yml", "password_reset_url: https://x.internal/reset\npassenger: Zx81abcd99\npublic_key: MFkwEwYHKoZIzj0CAQYIKoZI\ntoken_endpoint: https://x/t\nauth_method: client-secret-post\npassword_policy: Strict9!\n"),
        ("a.yml", "password: \"{{ .Values.db.password }}\"\npassword: <%= ENV['P'] %>\npassword: '%(pw)s'\npassword: '%env(DB_PASSWORD)%'\npassword: !Ref DbPassword\npassword: !ImportValue Db\npassword: <PLACEHOLDER>\npassword: null\npassword: true\npassword: ''\npassword: password\nsecret: ENC[AES256_GCM,data:abc,iv:def]\n"),
        ("a.py", "password = os.environ['P']\ntoken = request.args.get('token')\napi_key = None\nsecret = ''\npassword = \"Enter your password\"\nPASSWORD = settings.PASSWORD\n"),
        ("a.js", "const token = tokens[i];\nconst password = input.value;\nlet secret = `${a}${b}`;\nconst apiKey = 'api_key';\n"),
        ("locales/de.json", "{\"password\": \"Passw0rtFeld\"}"),
        ("package-lock.json", "{\"token\": \"aB3dE6gH9jK2mN5pQ8sT1vW4\"}"),
    ] {
        assert_eq!(found(path, text), vec![], "{path}: {text}");
    }
}

#[test]
fn tests_and_examples_are_low_confidence_and_tagged() {
    let f = structured("tests/fixtures/config.yml", "password: Tr0ub4dor&3\n");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].confidence, Confidence::Low);
    assert_eq!(f[0].tags, vec!["test-fixture".to_string()]);
    let f = structured("config/.env.example", "DB_PASSWORD=Tr0ub4dor3\n");
    assert_eq!(f[0].confidence, Confidence::Low);
}

#[test]
fn a_provider_rule_wins_over_a_structured_finding_of_the_same_secret() {
    let token = format!("ghp_{}", "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6");
    let all = scanner().scan(
        "config/app.yml",
        format!("github:\n  token: {token}\n").as_bytes(),
    );
    let ids: Vec<&str> = all.iter().map(|f| f.rule_id.as_str()).collect();
    assert!(ids.iter().any(|id| id.starts_with("github-")), "{ids:?}");
    assert!(!ids.contains(&"structured-token"), "{ids:?}");
}

#[test]
fn a_structured_finding_wins_over_the_generic_line_tier() {
    let all = scanner().scan("config/app.yml", b"db:\n  password: Tr0ub4dor&3xK\n");
    let ids: Vec<&str> = all.iter().map(|f| f.rule_id.as_str()).collect();
    assert_eq!(ids, vec!["structured-password"]);
    assert_eq!(all[0].key_path.as_deref(), Some("db.password"));
}

#[test]
fn broken_files_do_not_panic_and_still_yield_pairs() {
    // Unterminated strings, stray brackets, binary-ish bytes, templates.
    let junk = "password: \"unterminated\n{{ if }}\n  - ]]]\npassword = 'Br0kenPa55'\n\x01\x02\x7f password: Zq8#wE3rT1\n}}}))\n";
    for path in [
        "a.yml",
        "a.json",
        "a.xml",
        "a.ini",
        "a.toml",
        "a.sh",
        "a.py",
        "a.js",
        "a.go",
        "a.rb",
        "a.php",
        "a.rs",
        "a.tf",
        "a.cs",
        "a.kt",
        "a.java",
        "Dockerfile",
        ".env",
        "a.properties",
    ] {
        let _ = found(path, junk);
        // Every prefix, to hit every early end of input.
        for cut in (0..junk.len()).step_by(7) {
            if junk.is_char_boundary(cut) {
                let _ = found(path, &junk[..cut]);
            }
        }
    }
    assert_eq!(secrets("a.py", junk), vec!["Br0kenPa55"]);
    assert_eq!(
        secrets("a.yml", "password: \"unterminated\n"),
        Vec::<String>::new()
    );
}

/// Every secret-bearing name in `[keys]` holds a keyword of a structured
/// rule, or keys spelled that way would never be judged.
#[test]
fn every_key_name_is_covered_by_a_structured_keyword() {
    let rules = crate::rules::builtin_rules().unwrap();
    let norm = |s: &str| {
        s.bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| b.to_ascii_lowercase() as char)
            .collect::<String>()
    };
    let keywords: Vec<String> = rules
        .rules()
        .iter()
        .filter(|r| r.spec.detector == crate::rules::Detector::Structured)
        .flat_map(|r| r.spec.keywords.iter().map(|k| norm(k)))
        .collect();
    let sem = super::keys::KeySemantics::new(&rules.keys);
    let missing: Vec<&str> = sem
        .terms()
        .filter(|t| !keywords.iter().any(|k| t.contains(k.as_str())))
        .collect();
    assert!(
        missing.is_empty(),
        "key names without a structured keyword: {missing:?}"
    );
}

/// Keyword hits inside names that are not secret-bearing (`TokenStream`,
/// `author`, a `pass` statement) do not get a file parsed.
#[test]
fn the_gate_looks_at_the_names_around_hits() {
    let st = super::Structured::new(&crate::rules::builtin_rules().unwrap().keys);
    let span = |data: &[u8], word: &[u8]| {
        let at = data.windows(word.len()).position(|w| w == word).unwrap();
        vec![at..at + word.len()]
    };
    let d = b"let ts = TokenStream::new(); // author";
    assert!(!st.gate(d, &span(d, b"Token")));
    // In code only a name with a quote after it on its line counts.
    let d = b"    pass\n";
    assert!(st.gate_hits(d, &span(d, b"pass"), true, true).is_empty());
    let d = b"    password = read_it()\n";
    assert!(st.gate_hits(d, &span(d, b"pass"), true, true).is_empty());
    let d = b"    password = 'x1'\n";
    assert!(!st.gate_hits(d, &span(d, b"pass"), true, true).is_empty());
    let d = b"db_password = x";
    assert!(st.gate(d, &span(d, b"pass")));
}
