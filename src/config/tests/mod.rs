//! Tests of configuration loading and value parsing.

use chrono::NaiveTime;

use super::*;

mod start_up;

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
