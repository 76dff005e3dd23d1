//! Real-process smoke test: `serve --dev` on a loopback port, a scripted
//! `dingwarden chat` session against it, then SIGTERM and a clean exit.

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_dingwarden");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn serve_dev_and_chat_talk_then_shut_down_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    // The organisation's wording for one English text; Chinese stays built in.
    let locales = tempfile::tempdir().unwrap();
    std::fs::write(
        locales.path().join("en.ftl"),
        "commands-settings-ok-i-will-answer-you-in = Fine: English it is, from now on.\n",
    )
    .unwrap();
    let port = free_port();
    let mut server = Command::new(BIN)
        .args(["serve", "--dev"])
        .current_dir(dir.path())
        .env("DINGWARDEN_LOCALE_DIR", locales.path())
        .env("DINGWARDEN_LISTEN", format!("127.0.0.1:{port}"))
        // A shell with the real credentials: --dev must ignore them.
        .env("DINGTALK_APP_KEY", "dingrealappkey")
        .env("DINGTALK_APP_SECRET", REAL_SECRET)
        .env_remove("DINGWARDEN_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let dev_file = dir.path().join("dingwarden.dev.json");
    let start = Instant::now();
    while !dev_file.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "serve --dev did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    let mut chat = Command::new(BIN)
        .args(["chat", "--as", "alice"])
        .current_dir(dir.path())
        .env_remove("DINGTALK_APP_SECRET")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    chat.stdin
        .take()
        .unwrap()
        .write_all("帮助\nlang en\nhelp\n".as_bytes())
        .unwrap();
    let out = chat.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("alice› 帮助"), "{stdout}");
    assert!(stdout.contains("所有人"), "{stdout}");
    assert!(
        stdout.contains("Fine: English it is, from now on."),
        "{stdout}"
    );
    assert!(
        !stdout.contains("OK, I will answer you in English"),
        "{stdout}"
    );
    assert!(stdout.contains("Everyone"), "{stdout}");
    assert!(dir.path().join("dingwarden.db").exists());

    let status = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let start = Instant::now();
    let exit = loop {
        if let Some(s) = server.try_wait().unwrap() {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "no graceful shutdown"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
    let banner = std::io::read_to_string(server.stdout.take().unwrap()).unwrap();
    assert!(banner.contains("app secret:"), "{banner}");
    assert!(
        banner.contains("ignored:    DINGTALK_APP_KEY, DINGTALK_APP_SECRET"),
        "{banner}"
    );
    assert!(!banner.contains(REAL_SECRET), "{banner}");
    let dev_json = std::fs::read_to_string(&dev_file).unwrap();
    assert!(!dev_json.contains(REAL_SECRET), "{dev_json}");
}

/// What a real AppSecret might look like.
const REAL_SECRET: &str = "Zk3n9Qw_real-app-secret-7hT2pLx0vB5mC8dE1fG4";

#[test]
fn a_secret_list_of_commas_names_the_variable() {
    let out = Command::new(BIN)
        .arg("serve")
        .env("DINGTALK_APP_KEY", "k")
        .env("DINGTALK_APP_SECRET", ",")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("DINGTALK_APP_SECRET"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn serve_without_secrets_names_the_missing_variable() {
    let out = Command::new(BIN)
        .arg("serve")
        .env_remove("DINGTALK_APP_KEY")
        .env_remove("DINGTALK_APP_SECRET")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("DINGTALK_APP_KEY"), "{err}");
}

#[test]
fn a_bad_locale_override_file_stops_serve_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("en.ftl"), "\n\nbroken = {\n").unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--dev"])
        .env("DINGWARDEN_LOCALE_DIR", dir.path())
        .env("DINGWARDEN_LISTEN", "127.0.0.1:0")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let file = dir.path().join("en.ftl");
    let want = format!(
        "DINGWARDEN_LOCALE_DIR: {}:3: not valid Fluent",
        file.display()
    );
    assert!(err.contains(&want), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn chat_says_it_cannot_connect_when_nothing_listens() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let out = Command::new(BIN)
        .args(["chat", "--as", "alice", "--url"])
        .arg(format!("http://127.0.0.1:{port}"))
        .current_dir(dir.path())
        .env("DINGTALK_APP_SECRET", "dev-secret")
        .stdin(Stdio::piped())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!stdout.contains("connected"), "{stdout}");
    let want = format!("cannot connect to http://127.0.0.1:{port}: nothing is listening there");
    assert!(err.contains(&want), "{err}");
}
