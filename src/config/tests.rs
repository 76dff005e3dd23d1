//! Tests of configuration loading and value parsing.

use chrono::NaiveTime;

use super::*;

fn sources(env: &[(&str, &str)], file: &[(&str, &str)]) -> Sources {
    let m = |kv: &[(&str, &str)]| {
        kv.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    Sources::from_maps(m(env), m(file))
}

#[test]
fn missing_secret_names_the_variable() {
    let e = Config::load(&sources(&[("DINGTALK_APP_KEY", "k")], &[]), false).unwrap_err();
    assert_eq!(e.var, "DINGTALK_APP_SECRET");
    let e = Config::load(&sources(&[], &[]), false).unwrap_err();
    assert_eq!(e.var, "DINGTALK_APP_KEY");
}

#[test]
fn dev_mode_fills_in_secrets_and_an_admin() {
    let c = Config::load(&sources(&[], &[]), true).unwrap();
    assert_eq!(c.app_secrets.len(), 1);
    assert!(c.primary_secret().len() >= 32);
    assert_eq!(c.admins, vec!["admin"]);
    assert_eq!(c.database_url.0, DEFAULT_DATABASE_URL);
}

#[test]
fn env_wins_over_file_and_lists_split() {
    let c = Config::load(
        &sources(
            &[
                ("DINGTALK_APP_KEY", "envkey"),
                ("DINGTALK_APP_SECRET", "new, old"),
            ],
            &[
                ("DINGTALK_APP_KEY", "filekey"),
                ("DINGWARDEN_ADMINS", "a,b,,c"),
            ],
        ),
        false,
    )
    .unwrap();
    assert_eq!(c.app_key, "envkey");
    assert_eq!(c.robot_code, "envkey");
    assert_eq!(c.app_secrets.len(), 2);
    assert_eq!(c.primary_secret(), "new");
    assert_eq!(c.admins, vec!["a", "b", "c"]);
}

#[test]
fn invalid_values_name_their_variable() {
    let base = [("DINGTALK_APP_KEY", "k"), ("DINGTALK_APP_SECRET", "s")];
    for (var, bad) in [
        ("DINGWARDEN_LISTEN", "nope"),
        ("DINGWARDEN_TIMEZONE", "Mars/Olympus"),
        ("DINGWARDEN_SIGNATURE_WINDOW_SECS", "-1"),
        ("DINGWARDEN_QUIET_HOURS", "25:00-08:00"),
        ("DINGTALK_API_BASE", "ftp://x"),
        ("DINGWARDEN_DATABASE_URL", "mysql://x"),
        ("DINGTALK_EVENT_AES_KEY", "short"),
        ("DINGWARDEN_PASSWORD_ESCALATE_AFTER_DAYS", "soon"),
        ("DINGWARDEN_QUIZ_FOLLOWUP_DAYS", "soon"),
        ("DINGWARDEN_QUIZ_FOLLOWUP_DAYS", "400"),
    ] {
        let mut env = base.to_vec();
        env.push((var, bad));
        let e = Config::load(&sources(&env, &[]), false).unwrap_err();
        assert_eq!(e.var, var, "{e}");
        assert!(e.to_string().starts_with(var));
    }
}

#[test]
fn debug_redacts_secrets_and_db_password() {
    let c = Config::load(
        &sources(
            &[
                ("DINGTALK_APP_KEY", "k"),
                ("DINGTALK_APP_SECRET", "supersecretvalue"),
                ("DINGWARDEN_DATABASE_URL", "postgres://u:hunter2@db/x"),
            ],
            &[],
        ),
        false,
    )
    .unwrap();
    let dbg = format!("{c:?}");
    assert!(!dbg.contains("supersecretvalue"));
    assert!(!dbg.contains("hunter2"));
}

#[test]
fn dingtalk_admins_are_not_admins_unless_asked() {
    let base = [("DINGTALK_APP_KEY", "k"), ("DINGTALK_APP_SECRET", "s")];
    let c = Config::load(&sources(&base, &[]), false).unwrap();
    assert!(!c.dingtalk_admins_are_admins);
    assert!(!Config::for_tests("http://127.0.0.1:1", "s").dingtalk_admins_are_admins);
    for (value, expected) in [("true", true), ("ON", true), ("1", true), ("false", false)] {
        let mut env = base.to_vec();
        env.push(("DINGWARDEN_DINGTALK_ADMINS_ARE_ADMINS", value));
        let c = Config::load(&sources(&env, &[]), false).unwrap();
        assert_eq!(c.dingtalk_admins_are_admins, expected, "{value}");
    }
    let mut env = base.to_vec();
    env.push(("DINGWARDEN_DINGTALK_ADMINS_ARE_ADMINS", "sometimes"));
    let e = Config::load(&sources(&env, &[]), false).unwrap_err();
    assert_eq!(e.var, "DINGWARDEN_DINGTALK_ADMINS_ARE_ADMINS");
    // The TOML file may give it as a boolean.
    let c = Config::load(
        &sources(&base, &[("DINGWARDEN_DINGTALK_ADMINS_ARE_ADMINS", "true")]),
        false,
    )
    .unwrap();
    assert!(c.dingtalk_admins_are_admins);
}

#[test]
fn quiz_follow_up_days_default_to_three_and_zero_turns_them_off() {
    let base = [("DINGTALK_APP_KEY", "k"), ("DINGTALK_APP_SECRET", "s")];
    let c = Config::load(&sources(&base, &[]), false).unwrap();
    assert_eq!(c.quiz_followup_days, 3);
    let mut env = base.to_vec();
    env.push(("DINGWARDEN_QUIZ_FOLLOWUP_DAYS", "0"));
    assert_eq!(
        Config::load(&sources(&env, &[]), false)
            .unwrap()
            .quiz_followup_days,
        0
    );
    let c = Config::load(
        &sources(&base, &[("DINGWARDEN_QUIZ_FOLLOWUP_DAYS", "7")]),
        false,
    );
    assert_eq!(c.unwrap().quiz_followup_days, 7);
}

#[test]
fn quiet_hours_wrap_midnight() {
    let q = QuietHours::parse("21:00-08:00").unwrap().unwrap();
    let t = |s| NaiveTime::parse_from_str(s, "%H:%M").unwrap();
    assert!(q.contains(t("22:30")));
    assert!(q.contains(t("07:59")));
    assert!(!q.contains(t("08:00")));
    assert!(!q.contains(t("12:00")));
    assert_eq!(QuietHours::parse("off").unwrap(), None);
}

#[test]
fn password_escalation_days_default_to_seven_and_can_be_off() {
    let base = [("DINGTALK_APP_KEY", "k"), ("DINGTALK_APP_SECRET", "s")];
    let load = |extra: &[(&str, &str)]| {
        let mut env = base.to_vec();
        env.extend_from_slice(extra);
        Config::load(&sources(&env, &[]), false).unwrap()
    };
    assert_eq!(load(&[]).password_escalate_after_days, Some(7));
    let var = "DINGWARDEN_PASSWORD_ESCALATE_AFTER_DAYS";
    assert_eq!(load(&[(var, "14")]).password_escalate_after_days, Some(14));
    assert_eq!(load(&[(var, "OFF")]).password_escalate_after_days, None);
}

#[test]
fn delivery_settings_default_and_parse() {
    let base = [("DINGTALK_APP_KEY", "k"), ("DINGTALK_APP_SECRET", "s")];
    let c = Config::load(&sources(&base, &[]), false).unwrap();
    assert_eq!(c.delivery.max_attempts, 12);
    assert_eq!(c.delivery.backoff_base, Duration::from_secs(2));
    assert_eq!(c.delivery.concurrency, 1, "one batch in flight by default");
    assert_eq!(c.delivery.openapi_qps, 10);
    assert_eq!(c.delivery.robot_per_minute, 20);
    assert_eq!(c.delivery.openapi_timeout, Duration::from_secs(10));
    assert!(c.delivery.custom_robots.is_empty());
    let mut env = base.to_vec();
    env.push(("DINGWARDEN_CUSTOM_ROBOTS", "ops=tok1:SECabc, alerts=tok2"));
    env.push(("DINGWARDEN_OPENAPI_QPS", "5"));
    let c = Config::load(&sources(&env, &[]), false).unwrap();
    let r = &c.delivery.custom_robots;
    assert_eq!((r[0].name.as_str(), r[1].name.as_str()), ("ops", "alerts"));
    assert_eq!(r[0].access_token.expose_secret(), "tok1");
    assert_eq!(r[0].secret.as_ref().unwrap().expose_secret(), "SECabc");
    assert!(r[1].secret.is_none());
    assert_eq!(c.delivery.openapi_qps, 5);
    assert!(!format!("{c:?}").contains("SECabc"));
}

#[test]
fn bad_delivery_settings_name_their_variable_without_echoing_tokens() {
    let base = [("DINGTALK_APP_KEY", "k"), ("DINGTALK_APP_SECRET", "s")];
    for (var, bad) in [
        ("DINGWARDEN_OUTBOX_MAX_ATTEMPTS", "0"),
        ("DINGWARDEN_OPENAPI_QPS", "fast"),
        ("DINGWARDEN_OPENAPI_TIMEOUT_MS", "-5"),
        ("DINGWARDEN_CUSTOM_ROBOTS", "ops"),
        (
            "DINGWARDEN_CUSTOM_ROBOTS",
            "ops=secrettoken,ops=secrettoken",
        ),
        ("DINGWARDEN_CUSTOM_ROBOTS", "ops=secrettoken:"),
    ] {
        let mut env = base.to_vec();
        env.push((var, bad));
        let e = Config::load(&sources(&env, &[]), false).unwrap_err();
        assert_eq!(e.var, var, "{e}");
        assert!(!e.to_string().contains("secrettoken"), "{e}");
    }
}

#[test]
fn toml_file_keys_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.toml");
    std::fs::write(
        &path,
        "dingtalk_app_key = \"k\"\nDINGWARDEN_ADMINS = [\"a\", \"b\"]\n",
    )
    .unwrap();
    let map = read_toml(&path).unwrap();
    assert_eq!(map["DINGTALK_APP_KEY"], "k");
    assert_eq!(map["DINGWARDEN_ADMINS"], "a,b");
    std::fs::write(&path, "listne = \"x\"\n").unwrap();
    assert!(
        read_toml(&path)
            .unwrap_err()
            .message
            .contains("unknown setting")
    );
}

#[test]
fn dev_mode_never_reads_dingtalk_credentials() {
    let real = [
        ("DINGTALK_APP_KEY", "dingrealkey"),
        ("DINGTALK_APP_SECRET", "the-real-app-secret-0123456789"),
        ("DINGTALK_EVENT_TOKEN", "realtoken"),
        ("DINGWARDEN_CUSTOM_ROBOTS", "ops=realrobottoken"),
    ];
    let file = [("DINGTALK_EVENT_AES_KEY", "a".repeat(43))];
    let file: Vec<(&str, &str)> = file.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let c = Config::load(&sources(&real, &file), true).unwrap();
    assert_ne!(c.primary_secret(), "the-real-app-secret-0123456789");
    assert_eq!(c.app_secrets.len(), 1);
    assert_eq!(c.app_key, "dingwarden-dev");
    assert!(c.event_token.is_none() && c.event_aes_key.is_none());
    assert!(c.delivery.custom_robots.is_empty());
    assert_eq!(
        c.dev_ignored,
        vec![
            "DINGTALK_APP_KEY",
            "DINGTALK_APP_SECRET",
            "DINGTALK_EVENT_TOKEN",
            "DINGTALK_EVENT_AES_KEY",
            "DINGWARDEN_CUSTOM_ROBOTS"
        ]
    );
    assert!(!format!("{c:?}").contains("the-real-app-secret"));
    // Without --dev the same settings are used as given.
    let c = Config::load(&sources(&real, &file), false).unwrap();
    assert_eq!(c.primary_secret(), "the-real-app-secret-0123456789");
    assert!(c.dev_ignored.is_empty());
}

#[test]
fn a_secret_list_without_a_secret_is_a_configuration_error() {
    for blank in [",", " , ", ",,,"] {
        let e = Config::load(
            &sources(
                &[("DINGTALK_APP_KEY", "k"), ("DINGTALK_APP_SECRET", blank)],
                &[],
            ),
            false,
        )
        .unwrap_err();
        assert_eq!(e.var, "DINGTALK_APP_SECRET", "{blank:?}");
    }
    for (var, value) in [
        ("DINGWARDEN_ADMINS", ","),
        ("DINGWARDEN_CUSTOM_ROBOTS", ","),
    ] {
        let vars = [
            ("DINGTALK_APP_KEY", "k"),
            ("DINGTALK_APP_SECRET", "s"),
            (var, value),
        ];
        assert!(Config::load(&sources(&vars, &[]), false).is_ok(), "{var}");
    }
}

#[test]
fn ingress_defaults_to_http_and_dev_stays_on_http() {
    let base = [("DINGTALK_APP_KEY", "k"), ("DINGTALK_APP_SECRET", "s")];
    let c = Config::load(&sources(&base, &[]), false).unwrap();
    assert_eq!(c.stream.ingress, Ingress::Http);
    assert_eq!(c.stream.keepalive, std::time::Duration::from_secs(60));
    for (value, expected) in [
        ("stream", Ingress::Stream),
        ("BOTH", Ingress::Both),
        ("http", Ingress::Http),
    ] {
        let mut env = base.to_vec();
        env.push(("DINGWARDEN_INGRESS", value));
        env.push(("DINGWARDEN_STREAM_KEEPALIVE_SECS", "15"));
        let c = Config::load(&sources(&env, &[]), false).unwrap();
        assert_eq!(c.stream.ingress, expected, "{value}");
        assert_eq!(c.stream.keepalive, std::time::Duration::from_secs(15));
        // `serve --dev` keeps HTTP so `dingwarden chat` works.
        assert_eq!(
            Config::load(&sources(&env, &[]), true)
                .unwrap()
                .stream
                .ingress,
            Ingress::Http
        );
    }
    for (var, bad) in [
        ("DINGWARDEN_INGRESS", "websocket"),
        ("DINGWARDEN_STREAM_KEEPALIVE_SECS", "0"),
    ] {
        let mut env = base.to_vec();
        env.push((var, bad));
        assert_eq!(
            Config::load(&sources(&env, &[]), false).unwrap_err().var,
            var
        );
    }
}

#[test]
fn a_short_bootstrap_token_stops_start_up_without_echoing_it() {
    let base = [("DINGTALK_APP_KEY", "k"), ("DINGTALK_APP_SECRET", "s")];
    let short = "tok-0123456789abcdefghijklmnopq"; // 31 characters
    let mut env = base.to_vec();
    env.push(("DINGWARDEN_ADMIN_TOKEN", short));
    let e = Config::load(&sources(&env, &[]), false).unwrap_err();
    assert_eq!(e.var, "DINGWARDEN_ADMIN_TOKEN");
    assert!(
        e.message.contains("32") && !e.message.contains(short),
        "{e}"
    );
    let long = "tok-0123456789abcdefghijklmnopqr"; // 32
    env.pop();
    env.push(("DINGWARDEN_ADMIN_TOKEN", long));
    let c = Config::load(&sources(&env, &[]), false).unwrap();
    assert_eq!(c.admin_token.unwrap().expose_secret(), long);
}

#[test]
fn the_console_settings_are_read_and_checked() {
    let base = [("DINGTALK_APP_KEY", "k"), ("DINGTALK_APP_SECRET", "s")];
    let c = Config::load(&sources(&base, &[]), false).unwrap();
    assert_eq!(c.public_url, None);
    assert_eq!(c.login_base.as_str(), "https://login.dingtalk.com/");
    let mut env = base.to_vec();
    env.push(("DINGWARDEN_PUBLIC_URL", "https://ops.example.com/dw/"));
    env.push(("DINGTALK_LOGIN_BASE", "http://127.0.0.1:9/"));
    let c = Config::load(&sources(&env, &[]), false).unwrap();
    assert_eq!(
        c.public_link("/admin/auth/callback").unwrap(),
        "https://ops.example.com/dw/admin/auth/callback"
    );
    assert_eq!(c.login_base.as_str(), "http://127.0.0.1:9/");
    for bad in [
        "ops.example.com",
        "ftp://x.example",
        "https://x.example/?a=1",
    ] {
        let mut env = base.to_vec();
        env.push(("DINGWARDEN_PUBLIC_URL", bad));
        let e = Config::load(&sources(&env, &[]), false).unwrap_err();
        assert_eq!(e.var, "DINGWARDEN_PUBLIC_URL", "{bad}");
    }
}

#[test]
fn a_bad_locale_override_stops_start_up_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("zh.ftl"), "# ok\nno-such-text = 你好\n").unwrap();
    let path = dir.path().display().to_string();
    let e = Config::load(&sources(&[("DINGWARDEN_LOCALE_DIR", &path)], &[]), true).unwrap_err();
    assert_eq!(e.var, "DINGWARDEN_LOCALE_DIR");
    assert!(
        e.message
            .starts_with(&format!("{path}/zh.ftl:2: unknown key 'no-such-text'")),
        "{e}"
    );
    let c = Config::load(&sources(&[], &[]), true).unwrap();
    assert!(c.locales.overrides().is_empty());
}

#[test]
fn timeouts_have_defaults_and_refuse_zero() {
    use std::time::Duration;
    let base = [("DINGTALK_APP_KEY", "k"), ("DINGTALK_APP_SECRET", "s")];
    let t = Config::load(&sources(&base, &[]), false).unwrap().timeouts;
    assert_eq!(t.claim, Duration::from_millis(2000));
    assert_eq!(t.request, Duration::from_secs(30));
    assert_eq!(t.header_read, Duration::from_secs(10));
    let mut env = base.to_vec();
    env.extend([
        ("DINGWARDEN_CLAIM_TIMEOUT_MS", "750"),
        ("DINGWARDEN_REQUEST_TIMEOUT_SECS", "5"),
        ("DINGWARDEN_HEADER_READ_TIMEOUT_SECS", "3"),
    ]);
    let t = Config::load(&sources(&env, &[]), false).unwrap().timeouts;
    assert_eq!(t.claim, Duration::from_millis(750));
    assert_eq!(t.request, Duration::from_secs(5));
    assert_eq!(t.header_read, Duration::from_secs(3));
    for var in [
        "DINGWARDEN_CLAIM_TIMEOUT_MS",
        "DINGWARDEN_REQUEST_TIMEOUT_SECS",
        "DINGWARDEN_HEADER_READ_TIMEOUT_SECS",
    ] {
        let mut env = base.to_vec();
        env.push((var, "0"));
        assert_eq!(
            Config::load(&sources(&env, &[]), false).unwrap_err().var,
            var
        );
    }
}

#[test]
fn trusted_proxies_are_addresses_or_blocks() {
    let base = [("DINGTALK_APP_KEY", "k"), ("DINGTALK_APP_SECRET", "s")];
    assert!(
        Config::load(&sources(&base, &[]), false)
            .unwrap()
            .trusted_proxies
            .is_empty()
    );
    let mut env = base.to_vec();
    env.push(("DINGWARDEN_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1,::1"));
    let c = Config::load(&sources(&env, &[]), false).unwrap();
    let shown: Vec<String> = c.trusted_proxies.iter().map(ToString::to_string).collect();
    assert_eq!(shown, ["10.0.0.0/8", "127.0.0.1/32", "::1/128"]);
    env.pop();
    env.push(("DINGWARDEN_TRUSTED_PROXIES", "10.0.0.0/33"));
    let e = Config::load(&sources(&env, &[]), false).unwrap_err();
    assert_eq!(e.var, "DINGWARDEN_TRUSTED_PROXIES");
}

#[test]
fn public_url_is_an_absolute_http_url_without_query() {
    let base = [("DINGTALK_APP_KEY", "k"), ("DINGTALK_APP_SECRET", "s")];
    let c = Config::load(&sources(&base, &[]), false).unwrap();
    assert_eq!(c.public_url, None);
    assert_eq!(c.public_link("/admin/"), None);
    for (given, link) in [
        ("https://sec.example.com", "https://sec.example.com/admin/x"),
        (
            "https://sec.example.com/",
            "https://sec.example.com/admin/x",
        ),
        (
            "http://10.0.0.5:8080/dw/",
            "http://10.0.0.5:8080/dw/admin/x",
        ),
    ] {
        let mut env = base.to_vec();
        env.push(("DINGWARDEN_PUBLIC_URL", given));
        let c = Config::load(&sources(&env, &[]), false).unwrap();
        assert_eq!(c.public_link("/admin/x").as_deref(), Some(link), "{given}");
    }
    for bad in [
        "sec.example.com",
        "/admin",
        "ftp://sec.example.com",
        "https://sec.example.com/?a=1",
        "https://sec.example.com/#top",
        "https://user:pw@sec.example.com",
    ] {
        let mut env = base.to_vec();
        env.push(("DINGWARDEN_PUBLIC_URL", bad));
        let e = Config::load(&sources(&env, &[]), false).unwrap_err();
        assert_eq!(e.var, "DINGWARDEN_PUBLIC_URL", "{bad}: {e}");
        assert!(!e.to_string().contains("pw@"), "{e}");
    }
}
