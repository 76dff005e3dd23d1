//! Start-up checks: the TOML file, `--dev` and credentials, ingress, the
//! console, locale overrides, timeouts, proxies and the public URL.

use super::sources;
use crate::config::*;

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
