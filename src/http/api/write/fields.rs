//! Reading a JSON request body field by field: a body that is not a JSON
//! object is a 400 `bad_json`; an unknown field, a missing one or one of the
//! wrong type is a 400 `bad_field` naming it. Also the audience object
//! shared by sending a notice and assigning a quiz.

use axum::extract::{FromRequest, Json, Request};
use axum::http::StatusCode;
use serde_json::{Map, Value};

use crate::domain::audience::Audience;
use crate::error::AppError;

/// A JSON request body (any JSON value); malformed ones are JSON errors.
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match Json::<Value>::from_request(req, state).await {
            Ok(Json(v)) => Ok(JsonBody(v)),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(crate::http::payload_too_large())
            }
            Err(e) if e.status() == StatusCode::UNSUPPORTED_MEDIA_TYPE => Err(AppError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "bad_json",
                "expected Content-Type: application/json",
            )),
            Err(e) => Err(AppError::bad_request("bad_json", e.body_text())),
        }
    }
}

fn bad(field: &str, message: impl Into<String>) -> AppError {
    AppError::bad_request("bad_field", message).with_field(field)
}

/// A JSON object's fields, checked against the names a request takes.
pub struct Fields {
    map: Map<String, Value>,
    /// Where these fields are (`""` for the body, `"audience."` inside it).
    prefix: &'static str,
}

impl Fields {
    /// The body `v` as an object with no field but `allowed`.
    pub fn new(v: Value, allowed: &[&str]) -> Result<Self, AppError> {
        Self::at(v, allowed, "")
    }

    fn at(v: Value, allowed: &[&str], prefix: &'static str) -> Result<Self, AppError> {
        let Value::Object(map) = v else {
            let what = if prefix.is_empty() {
                "the body"
            } else {
                prefix.trim_end_matches('.')
            };
            return Err(AppError::bad_request(
                "bad_json",
                format!("{what} must be a JSON object"),
            ));
        };
        if let Some(unknown) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
            let name = format!("{prefix}{unknown}");
            return Err(bad(&name, format!("unknown field `{name}`")));
        }
        Ok(Self { map, prefix })
    }

    fn name(&self, field: &str) -> String {
        format!("{}{field}", self.prefix)
    }

    /// Whether the field is present and not null.
    pub fn has(&self, field: &str) -> bool {
        self.map.get(field).is_some_and(|v| !v.is_null())
    }

    /// A text field; absent or null is `None`.
    pub fn text(&self, field: &str) -> Result<Option<&str>, AppError> {
        match self.map.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(bad(
                &self.name(field),
                format!("`{}` must be a string", self.name(field)),
            )),
        }
    }

    /// A text field that must be there and not blank (returned trimmed).
    pub fn required_text(&self, field: &str) -> Result<&str, AppError> {
        match self.text(field)?.map(str::trim) {
            Some(s) if !s.is_empty() => Ok(s),
            _ => Err(bad(
                &self.name(field),
                format!("`{}` is required", self.name(field)),
            )),
        }
    }

    /// A list of texts; absent or null is empty.
    pub fn texts(&self, field: &str) -> Result<Vec<String>, AppError> {
        let name = self.name(field);
        match self.map.get(field) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| bad(&name, format!("`{name}` must be a list of strings"))),
            Some(_) => Err(bad(&name, format!("`{name}` must be a list of strings"))),
        }
    }

    /// Takes the field out (for a nested object).
    fn take(&mut self, field: &str) -> Option<Value> {
        self.map.remove(field).filter(|v| !v.is_null())
    }
}

/// The audience of a send or a campaign: `{"all": true}`,
/// `{"departments": [names or paths]}` or `{"users": [staff ids]}`, exactly
/// one of them, under `"audience"` (or at the top of `fields`, for callers
/// who leave the wrapper out).
pub fn audience(fields: &mut Fields) -> Result<Audience, AppError> {
    let keys = ["all", "departments", "users"];
    let nested = fields.take("audience");
    let inner = match nested {
        Some(v) => Fields::at(v, &keys, "audience.")?,
        None if keys.iter().any(|k| fields.has(k)) => Fields {
            map: std::mem::take(&mut fields.map),
            prefix: "",
        },
        None => {
            return Err(bad(
                "audience",
                "`audience` is required: {\"all\": true}, {\"departments\": [...]} or {\"users\": [...]}",
            ));
        }
    };
    let given: Vec<&str> = keys.into_iter().filter(|k| inner.has(k)).collect();
    match given.as_slice() {
        ["all"] => match inner.map.get("all") {
            Some(Value::Bool(true)) => Ok(Audience::All),
            _ => Err(bad(&inner.name("all"), "`all` must be true")),
        },
        ["departments"] => {
            let names = non_empty(&inner, "departments")?;
            Ok(match <[String; 1]>::try_from(names) {
                Ok([one]) => Audience::Dept(one),
                Err(many) => Audience::Depts(many),
            })
        }
        ["users"] => Ok(Audience::Users(non_empty(&inner, "users")?)),
        _ => Err(bad(
            "audience",
            "give exactly one of `all`, `departments` and `users`",
        )),
    }
}

/// A list of trimmed, non-blank texts with at least one entry.
fn non_empty(fields: &Fields, field: &str) -> Result<Vec<String>, AppError> {
    let list = fields.texts(field)?;
    let name = fields.name(field);
    let list: Vec<String> = list.iter().map(|s| s.trim().to_owned()).collect();
    if list.is_empty() || list.iter().any(String::is_empty) {
        return Err(bad(
            &name,
            format!("`{name}` must list at least one name, none blank"),
        ));
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn aud(v: Value) -> Result<Audience, String> {
        let mut f = Fields::new(v, &["audience", "all", "departments", "users", "x"]).unwrap();
        audience(&mut f).map_err(|e| e.field.unwrap_or_default())
    }

    #[test]
    fn audiences_in_and_out_of_the_wrapper() {
        assert_eq!(aud(json!({"audience": {"all": true}})), Ok(Audience::All));
        assert_eq!(aud(json!({"all": true})), Ok(Audience::All));
        assert_eq!(
            aud(json!({"audience": {"departments": ["研发部"]}})),
            Ok(Audience::Dept("研发部".into()))
        );
        assert_eq!(
            aud(json!({"departments": ["a", " b "]})),
            Ok(Audience::Depts(vec!["a".into(), "b".into()]))
        );
        assert_eq!(
            aud(json!({"audience": {"users": ["u1"]}})),
            Ok(Audience::Users(vec!["u1".into()]))
        );
    }

    #[test]
    fn bad_audiences_name_their_field() {
        assert_eq!(aud(json!({"x": 1})), Err("audience".into()));
        assert_eq!(
            aud(json!({"audience": {"all": false}})),
            Err("audience.all".into())
        );
        assert_eq!(
            aud(json!({"audience": {"all": true, "users": ["u"]}})),
            Err("audience".into())
        );
        assert_eq!(
            aud(json!({"audience": {"users": []}})),
            Err("audience.users".into())
        );
        assert_eq!(
            aud(json!({"audience": {"users": [" "]}})),
            Err("audience.users".into())
        );
        assert_eq!(
            aud(json!({"audience": {"users": [1]}})),
            Err("audience.users".into())
        );
        assert_eq!(
            aud(json!({"audience": {"group": true}})),
            Err("audience.group".into())
        );
        assert_eq!(
            aud(json!({"audience": "all"})),
            Err(String::new()),
            "not an object"
        );
    }

    #[test]
    fn fields_are_checked_by_name_and_type() {
        let f = Fields::new(
            json!({"title": " T ", "n": 5, "l": ["a"]}),
            &["title", "n", "l", "m"],
        );
        let f = f.unwrap();
        assert_eq!(f.required_text("title").unwrap(), "T");
        assert_eq!(f.text("n").unwrap_err().field.as_deref(), Some("n"));
        assert_eq!(
            f.required_text("m").unwrap_err().field.as_deref(),
            Some("m")
        );
        assert_eq!(f.texts("l").unwrap(), vec!["a"]);
        assert!(f.texts("m").unwrap().is_empty());
        let e = Fields::new(json!({"tilte": "x"}), &["title"])
            .err()
            .unwrap();
        assert_eq!(e.field.as_deref(), Some("tilte"));
        assert_eq!(Fields::new(json!([1]), &[]).err().unwrap().code, "bad_json");
    }
}
