//! Importing a roster CSV in the browser (administrators): `GET
//! /admin/roster` offers a file (or pasted text); `POST /admin/roster`
//! reads it as `roster import` does and shows the dry run — new, changed,
//! leaving and rejoining people, role changes, warnings — with nothing
//! written; the apply form on that page carries the same bytes back
//! (base64) with `do=apply`, and, when the leaver guard would refuse, a
//! box to tick that confirms the number of leavers (the `--allow-leavers N`
//! of the command line). Planning and applying are the roster action's
//! `plan` and `apply`: same leaver guard, same audit entries, the person
//! signed in as actor; a file with bad rows changes nothing (audited as
//! `roster.import.rejected` when it was meant to be applied).

mod view;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use maud::Markup;
use sha2::{Digest as _, Sha256};

use super::{Posted, Principal, admins_only, failed};
use crate::actions::roster::{self, RosterFailure, RosterRun};
use crate::actions::{ActionError, Ctx, Refusal};
use crate::domain::printable::one_line;
use crate::domain::roster::file::read_csv;
use crate::domain::roster::plan::check_leavers;
use crate::domain::roster::{LineError, RosterSource};
use crate::domain::schedule::local_date;
use crate::http::admin::layout::{self, Nav, Page, PageLang};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::t;

/// The page and its form's target: the one route read with the larger
/// upload limit ([`crate::http::MAX_UPLOAD_BYTES`]).
pub const PATH: &str = crate::http::UPLOAD_PATH;
/// The name the audit log gives pasted text.
const PASTED: &str = "pasted.csv";

fn roster_page(who: &Principal, lang: Lang, status: StatusCode, body: &Markup) -> Response {
    let title = t!(lang, "http-admin-act-roster-import-roster");
    let p = Page {
        lang,
        title: &title,
        nav: Nav::Roster,
        path: PATH,
        session: Some(who.session()),
    };
    (status, layout::page(&p, body)).into_response()
}

/// `GET /admin/roster`.
pub async fn page(who: Principal, PageLang(lang): PageLang) -> Response {
    if !who.is_admin() {
        return admins_only(lang);
    }
    roster_page(&who, lang, StatusCode::OK, &view::upload(&who, lang, None))
}

/// A roster file as sent: its bytes and the name the audit log gives it.
struct Upload {
    bytes: Vec<u8>,
    name: String,
}

/// The file chosen, the file carried back from the dry run (base64), or
/// the pasted text; or what is missing, in words.
fn upload_of(p: &Posted) -> Result<Upload, String> {
    let lang = p.lang;
    let named = |n: &str| match one_line(n.trim()) {
        n if n.is_empty() => PASTED.to_owned(),
        n => n.chars().take(120).collect(),
    };
    if let Some(f) = p.file("file") {
        return Ok(Upload {
            bytes: f.data.clone(),
            name: named(f.filename.as_deref().unwrap_or_default()),
        });
    }
    if let Some(data) = p.get("data") {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|_| {
                t!(
                    lang,
                    "http-admin-act-roster-form-was-damaged-choose-file-again"
                )
            })?;
        return Ok(Upload {
            bytes,
            name: named(p.text("filename")),
        });
    }
    let pasted = p.text("csv");
    if pasted.trim().is_empty() {
        return Err(t!(
            lang,
            "http-admin-act-roster-choose-csv-file-or-paste-its"
        ));
    }
    Ok(Upload {
        bytes: pasted.as_bytes().to_vec(),
        name: PASTED.to_owned(),
    })
}

/// `POST /admin/roster`: `do=plan` (default) shows the dry run,
/// `do=apply` applies (with `allow_leavers=N` when the guard asks for it).
/// HR is refused (403) by [`Posted`] before the body is read, as the larger
/// limit is for administrators only.
pub async fn post(State(state): State<AppState>, p: Posted) -> Response {
    let lang = p.lang;
    let up = match upload_of(&p) {
        Ok(up) => up,
        Err(why) => {
            let form = view::upload(&p.who, lang, Some(&why));
            return roster_page(&p.who, lang, StatusCode::BAD_REQUEST, &form);
        }
    };
    let apply = p.get("do") == Some("apply");
    let ctx = p.who.ctx(&state);
    let rows = match read_csv(&up.bytes, local_date(state.config.timezone, ctx.now)) {
        Ok(rows) => rows,
        Err(errors) => return rejected(&p, &ctx, &up, &errors, apply).await,
    };
    let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
    let entries: Vec<_> = rows.into_iter().map(|r| r.entry).collect();
    let fingerprint: String = Sha256::digest(&up.bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let run = RosterRun {
        source: RosterSource::Import,
        entries: &entries,
        lines: &lines,
        departments: None,
        origin: &up.name,
        fingerprint: Some(&fingerprint),
    };
    let refused = if apply {
        let allow = p.get("allow_leavers").and_then(|n| n.trim().parse().ok());
        match roster::apply(&ctx, run, allow).await {
            Ok(done) => {
                let body = view::applied(lang, &up.name, &done);
                return roster_page(&p.who, lang, StatusCode::OK, &body);
            }
            Err(ActionError::Refused(Refusal::TooManyLeavers { .. })) => true,
            Err(e) => return failed(&p.who, lang, ctx.config.timezone, e, PATH),
        }
    } else {
        false
    };
    dry_run(&p, &ctx, run, (&up, &fingerprint), refused).await
}

/// A file with bad rows: every problem by line, nothing written; audited
/// (`roster.import.rejected`) when it was meant to be applied.
async fn rejected(
    p: &Posted,
    ctx: &Ctx<'_>,
    up: &Upload,
    errors: &[LineError],
    apply: bool,
) -> Response {
    let lang = p.lang;
    let mut bad: Vec<u64> = errors.iter().map(|e| e.line).collect();
    bad.dedup();
    if apply {
        let failure = RosterFailure::ImportRejected {
            file: &up.name,
            bad_rows: bad.len(),
        };
        if let Err(e) = roster::failed(ctx, failure).await {
            return failed(&p.who, lang, ctx.config.timezone, e.into(), PATH);
        }
    }
    let body = view::rejected(&p.who, lang, &up.name, errors, bad.len());
    roster_page(&p.who, lang, StatusCode::BAD_REQUEST, &body)
}

/// The dry run's page (409 when applying was just refused for want of the
/// leavers' confirmation).
async fn dry_run(
    p: &Posted,
    ctx: &Ctx<'_>,
    run: RosterRun<'_>,
    (up, fingerprint): (&Upload, &str),
    refused: bool,
) -> Response {
    let lang = p.lang;
    match roster::plan(ctx, run).await {
        Ok(planned) => {
            let max = ctx.config.limits.roster_max_leave_percent;
            let guard = check_leavers(&planned.plan, max, None).err();
            let shown = view::Shown {
                name: &up.name,
                bytes: &up.bytes,
                fingerprint,
                guard: guard.as_ref(),
                refused,
            };
            let status = if refused {
                StatusCode::CONFLICT
            } else {
                StatusCode::OK
            };
            let body = view::planned(&p.who, lang, &planned, &shown);
            roster_page(&p.who, lang, status, &body)
        }
        Err(e) => failed(&p.who, lang, ctx.config.timezone, e, PATH),
    }
}
