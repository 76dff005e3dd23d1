//! Browser tests (issue 16.7): the console driven through headless
//! Chromium by WebDriver (Debian's `chromium` and `chromium-driver`), the
//! app served on a loopback port against the fake DingTalk. Without
//! Chromium or its driver the tests say so on one line and return (a
//! skip, never a failure). One browser per test, screenshots of every page
//! under `target/browser-screenshots/`.
//!
//! `DINGWARDEN_CHROMIUM` and `DINGWARDEN_CHROMEDRIVER` override where the
//! two are looked for (default: `chromium`, `chromedriver` on `PATH`).

mod console;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::helpers::TestApp;

/// A program on `PATH` (or the path in `var`), if it exists.
fn find(var: &str, name: &str) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(var) {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// A free loopback port (for the driver).
fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// Where screenshots and downloads go: `target/browser-screenshots`.
pub fn out_dir(sub: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join(sub);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A headless Chromium on the app, which is served at [`Browser::base`].
pub struct Browser {
    pub client: Client,
    driver: Child,
    /// `http://127.0.0.1:PORT`, the app's public URL.
    pub base: String,
    /// Where the browser saves downloads.
    pub downloads: PathBuf,
    server: tokio::task::JoinHandle<()>,
}

impl Browser {
    /// Serves `app` on loopback (its public URL set to match) and opens a
    /// browser; `None` (after saying why) when Chromium is not installed.
    pub async fn start(app: TestApp) -> Option<(Self, TestApp)> {
        let (Some(chromium), Some(driver)) = (
            find("DINGWARDEN_CHROMIUM", "chromium"),
            find("DINGWARDEN_CHROMEDRIVER", "chromedriver"),
        ) else {
            println!("browser tests skipped: chromium and chromium-driver are not installed");
            return None;
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = app.with_console().await;
        let app = app
            .reconfigure(|c| c.public_url = Some(base.parse().unwrap()))
            .await;
        let service = app
            .router
            .clone()
            .into_make_service_with_connect_info::<SocketAddr>();
        let server = tokio::spawn(async move {
            axum::serve(listener, service).await.unwrap();
        });
        let port = free_port();
        let driver = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let downloads = out_dir("browser-downloads");
        let client = connect(port, &chromium, &downloads).await;
        Some((
            Self {
                client,
                driver,
                base,
                downloads,
                server,
            },
            app,
        ))
    }

    /// Goes to `path` on the app.
    pub async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
    }

    /// The current path (and query).
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Waits until the browser is at `path`.
    pub async fn wait_for_path(&self, path: &str) {
        let until = Instant::now() + Duration::from_secs(20);
        while self.path().await != path {
            assert!(
                Instant::now() < until,
                "still at {} instead of {path}",
                self.path().await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the page's text contains `needle`; the text.
    pub async fn wait_for_text(&self, needle: &str) -> String {
        let until = Instant::now() + Duration::from_secs(20);
        loop {
            let text = match self.client.find(Locator::Css("body")).await {
                Ok(body) => body.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(needle) {
                return text;
            }
            assert!(Instant::now() < until, "no {needle:?} in {text}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks the element `css` names.
    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }

    /// Saves a screenshot of the page as `target/browser-screenshots/NAME.png`.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(
            out_dir("browser-screenshots").join(format!("{name}.png")),
            png,
        )
        .unwrap();
    }

    /// Ends the browser, its driver and the server.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        self.server.abort();
    }
}

/// A WebDriver session on the driver at `port`, once it answers.
async fn connect(port: u16, chromium: &Path, downloads: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("chrome"));
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1000", "--lang=zh-CN"],
            "prefs": {"download.default_directory": downloads, "download.prompt_for_download": false},
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let until = Instant::now() + Duration::from_secs(20);
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(c) => return c,
            Err(e) if Instant::now() < until => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("chromedriver did not start a browser: {e}"),
        }
    }
}
