//! Signing people in with DingTalk (OAuth 2, issue 16.1): the sign-in page
//! to send a browser to, and the three calls that turn the code DingTalk
//! hands back into a staff id — the person's token
//! (`POST /v1.0/oauth2/userAccessToken`), their `unionId`
//! (`GET /v1.0/contact/users/me`) and the staff id for it
//! (`POST oapi /topapi/user/getbyunionid` with the app's token). Errors
//! never carry a code or token.

use secrecy::{ExposeSecret as _, SecretString};
use serde_json::{Value, json};
use url::Url;

use super::api_error::{ApiError, parse_response};
use super::openapi::endpoint;

/// The header DingTalk's new OpenAPI reads tokens from.
const TOKEN_HEADER: &str = "x-acs-dingtalk-access-token";

/// Where to send the browser: DingTalk's sign-in page for this app,
/// returning to `redirect_uri` with `authCode` and `state`.
pub fn authorize_url(login_base: &Url, client_id: &str, redirect_uri: &str, state: &str) -> Url {
    let mut url = endpoint(login_base, "oauth2/auth");
    url.query_pairs_mut()
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("scope", "openid")
        .append_pair("state", state)
        .append_pair("prompt", "consent");
    url
}

/// The app and endpoints the exchange talks to.
pub struct OAuthClient<'a> {
    pub http: &'a reqwest::Client,
    pub api_base: &'a Url,
    pub oapi_base: &'a Url,
    pub client_id: &'a str,
    pub client_secret: &'a SecretString,
}

impl OAuthClient<'_> {
    /// The staff id of the person who was given `code`.
    pub async fn staff_id_for_code(&self, code: &str) -> Result<String, ApiError> {
        let user_token = self.user_token(code).await?;
        let union_id = self.union_id(&user_token).await?;
        let app_token = self.app_token().await?;
        self.staff_id(&app_token, &union_id).await
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<Value, ApiError> {
        let resp = req.send().await.map_err(ApiError::from_reqwest)?;
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.map_err(ApiError::from_reqwest)?;
        parse_response(status, &bytes)
    }

    async fn user_token(&self, code: &str) -> Result<String, ApiError> {
        let body = json!({
            "clientId": self.client_id,
            "clientSecret": self.client_secret.expose_secret(),
            "code": code,
            "grantType": "authorization_code",
        });
        let url = endpoint(self.api_base, "v1.0/oauth2/userAccessToken");
        let v = self.send(self.http.post(url).json(&body)).await?;
        field(&v, "accessToken")
    }

    async fn union_id(&self, user_token: &str) -> Result<String, ApiError> {
        let url = endpoint(self.api_base, "v1.0/contact/users/me");
        let v = self
            .send(self.http.get(url).header(TOKEN_HEADER, user_token))
            .await?;
        field(&v, "unionId")
    }

    async fn app_token(&self) -> Result<String, ApiError> {
        let body = json!({
            "appKey": self.client_id,
            "appSecret": self.client_secret.expose_secret(),
        });
        let url = endpoint(self.api_base, "v1.0/oauth2/accessToken");
        let v = self.send(self.http.post(url).json(&body)).await?;
        field(&v, "accessToken")
    }

    async fn staff_id(&self, app_token: &str, union_id: &str) -> Result<String, ApiError> {
        let mut url = endpoint(self.oapi_base, "topapi/user/getbyunionid");
        url.query_pairs_mut().append_pair("access_token", app_token);
        let body = json!({"unionid": union_id});
        let v = self.send(self.http.post(url).json(&body)).await?;
        field(&v["result"], "userid")
    }
}

/// A non-empty string field of an answer.
fn field(v: &Value, name: &str) -> Result<String, ApiError> {
    v[name]
        .as_str()
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
        .ok_or_else(|| ApiError::Decode(format!("no {name} in the answer")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_in_page_url_carries_every_parameter_once() {
        let base = Url::parse("https://login.dingtalk.com").unwrap();
        let url = authorize_url(
            &base,
            "dingapp",
            "https://ops.example.com/admin/auth/callback",
            "s t&x",
        );
        assert_eq!(url.path(), "/oauth2/auth");
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let want = [
            (
                "redirect_uri",
                "https://ops.example.com/admin/auth/callback",
            ),
            ("response_type", "code"),
            ("client_id", "dingapp"),
            ("scope", "openid"),
            ("state", "s t&x"),
            ("prompt", "consent"),
        ];
        assert_eq!(pairs.len(), want.len());
        for (k, v) in want {
            assert!(pairs.contains(&(k.to_owned(), v.to_owned())), "{k}");
        }
    }

    #[test]
    fn answers_without_the_field_are_decode_errors() {
        assert_eq!(field(&json!({"unionId": "u"}), "unionId").unwrap(), "u");
        assert!(matches!(
            field(&json!({"unionId": ""}), "unionId"),
            Err(ApiError::Decode(_))
        ));
        assert!(matches!(
            field(&json!({}), "userid"),
            Err(ApiError::Decode(_))
        ));
    }
}
