//! The console as a browser sees it: the app set up for it (a public URL,
//! a bootstrap token), a signed-in session's cookie and form token, and
//! requests from a given client address.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode};
use dingwarden::actions::console::{Via, csrf_token, sign_in};
use dingwarden::actions::{Actor, Ctx};
use http_body_util::BodyExt as _;
use tower::ServiceExt as _;

use super::TestApp;

/// The console's public URL in tests.
pub const PUBLIC_URL: &str = "https://ops.example.com";
/// A bootstrap token long enough to be accepted.
pub const BOOTSTRAP: &str = "bootstrap-token-0123456789abcdefghijklmnop";

/// A response as tests read it.
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Resp {
    /// Every `Set-Cookie` header.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }

    /// `name=value` of the cookie `name` this response sets.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookies()
            .iter()
            .map(|c| c.split(';').next().unwrap().to_owned())
            .find(|c| c.starts_with(&format!("{name}=")))
    }

    pub fn location(&self) -> &str {
        self.headers["location"].to_str().unwrap()
    }
}

impl TestApp {
    /// The app with the console on (public URL) and a bootstrap token.
    pub async fn with_console(self) -> Self {
        self.reconfigure(|c| {
            c.public_url = Some(PUBLIC_URL.parse().unwrap());
            c.admin_token = Some(BOOTSTRAP.to_owned().into());
        })
        .await
    }

    /// Signs `staff_id` in (as the DingTalk callback would) and returns the
    /// session cookie, `dw_session=…`.
    pub async fn console_cookie(&self, staff_id: &str) -> String {
        let ctx = Ctx::new(
            &self.store,
            &self.state.config,
            self.now(),
            Actor::System("test"),
        );
        let signed = sign_in(&ctx, staff_id, Via::DingTalk)
            .await
            .expect("signed in");
        format!("dw_session={}", signed.secret)
    }

    /// The form token of the session `cookie` names.
    pub fn console_csrf(cookie: &str) -> String {
        csrf_token(cookie.trim_start_matches("dw_session="))
    }

    /// Any request with `headers` from client address `from` (`None`: unknown).
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
        from: Option<&str>,
    ) -> Resp {
        let mut req = Request::builder().method(method).uri(path);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if !body.is_empty() {
            req = req.header("content-type", "application/x-www-form-urlencoded");
        }
        let mut req = req.body(Body::from(body.to_owned())).unwrap();
        if let Some(addr) = from {
            let addr: SocketAddr = addr.parse().unwrap();
            req.extensions_mut().insert(ConnectInfo(addr));
        }
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let (status, headers) = (resp.status(), resp.headers().clone());
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// GET `path` with the session `cookie`.
    pub async fn console_get(&self, path: &str, cookie: &str) -> Resp {
        self.request("GET", path, &[("cookie", cookie)], "", None)
            .await
    }

    /// POST a form to `path` with the session `cookie`, from the console's own origin.
    pub async fn console_post(&self, path: &str, cookie: &str, form: &str) -> Resp {
        let headers = [
            ("cookie", cookie),
            ("host", "ops.example.com"),
            ("origin", PUBLIC_URL),
        ];
        self.request("POST", path, &headers, form, None).await
    }
}
