//! Text → [`Command`]. The text is normalised first ([`normal`]: NFKC,
//! trailing sentence punctuation, spaces). Case-insensitive; a leading `/`
//! and leading @mentions are ignored; Chinese and English keywords are
//! interchangeable (`确认 3` == `ack 3`); a Chinese keyword may be glued to
//! its number (`确认3`) and a Chinese command to its subcommand
//! (`测验列表` == `测验 列表`, for every alias in the catalogue); a whole
//! message that is one of the catalogue's phrasings (`收到`) is that
//! command. Free text (reports, feedback, notice titles and bodies,
//! reasons, notes) is kept exactly as typed; names, ids, numbers and dates
//! are read normalised.

mod cursor;
mod normal;
mod subcommands;
#[cfg(test)]
mod tests;

pub(crate) use self::cursor::squash;
use self::cursor::{Cursor, is};
use self::normal::Normalised;
use self::subcommands::{
    parse_incident, parse_notice, parse_offboard, parse_outbox, parse_password, parse_quiz,
    parse_role,
};
use super::command::Command;
use crate::i18n::Lang;

/// Why text is not a command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// Not a command at all, or a command with a subcommand it does not
    /// have (`notice stauts 1`): a case for "did you mean".
    Unknown,
    /// The command named by this catalogue key, used wrongly.
    Usage(&'static str),
    /// The command named by `key` with a `value` that is not a valid `kind`
    /// (`2026-13-45` as a date).
    Invalid {
        key: &'static str,
        value: String,
        kind: ValueKind,
    },
}

/// What a value had to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// `YYYY-MM-DD`.
    Date,
    /// A notice, incident or delivery number: `3` or `#3`.
    Id,
    /// A whole number from `min`, up to `max` when there is one.
    Number { min: u32, max: Option<u32> },
}

type Result<T> = std::result::Result<T, ParseError>;

fn invalid(key: &'static str, value: &str, kind: ValueKind) -> ParseError {
    ParseError::Invalid {
        key,
        value: value.to_owned(),
        kind,
    }
}

mod kw {
    pub const HELP: &[&str] = &["help", "帮助", "?", "菜单"];
    pub const HELLO: &[&str] = &["hello", "你好"];
    pub const LANG: &[&str] = &["lang", "language", "语言"];
    pub const ME: &[&str] = &["me", "我的"];
    pub const QUIZ: &[&str] = &["quiz", "测验", "测试", "答题"];
    pub const LIST: &[&str] = &["list", "列表"];
    pub const QUIT: &[&str] = &["quit", "退出", "放弃"];
    pub const ANSWER: &[&str] = &["answer", "答"];
    pub const ACK: &[&str] = &["ack", "确认"];
    pub const CONFIRM: &[&str] = &["confirm", "确认执行"];
    pub const DONE: &[&str] = &["done", "完成"];
    pub const PASSWORD: &[&str] = &["password", "密码"];
    pub const PASSWORD_DONE: &[&str] = &["已改密"];
    pub const CHANGED: &[&str] = &["done", "已改", "完成"];
    pub const REPORT: &[&str] = &["report", "上报"];
    pub const FEEDBACK: &[&str] = &["feedback", "反馈"];
    pub const NOTICE: &[&str] = &["notice", "通知"];
    pub const NOTICES: &[&str] = &["notices", "通知列表"];
    pub const EXPORT: &[&str] = &["export", "导出"];
    pub const ACKS: &[&str] = &["acks", "确认记录"];
    pub const NEW: &[&str] = &["new", "新建"];
    pub const TEMPLATE: &[&str] = &["template", "模板"];
    pub const EXIT: &[&str] = &["exit", "退出"];
    pub const POLICY_KIND: &[&str] = &["policy", "制度"];
    pub const SECURITY: &[&str] = &["security", "安全"];
    pub const SEND: &[&str] = &["send", "发送"];
    pub const TO: &[&str] = &["to", "给"];
    pub const STATUS: &[&str] = &["status", "状态"];
    pub const REMIND: &[&str] = &["remind", "提醒"];
    pub const NOW: &[&str] = &["now", "立即", "现在"];
    pub const CLOSE: &[&str] = &["close", "关闭"];
    pub const ASSIGN: &[&str] = &["assign", "布置"];
    pub const BY: &[&str] = &["by", "截止"];
    pub const STATS: &[&str] = &["stats", "统计"];
    pub const POLICY: &[&str] = &["policy", "策略"];
    pub const NIST: &[&str] = &["nist"];
    pub const RESET_REQUIRED: &[&str] = &["reset-required", "强制改密"];
    pub const OFFBOARD: &[&str] = &["offboard", "离职"];
    pub const ROLE: &[&str] = &["role", "角色"];
    pub const GRANT: &[&str] = &["grant", "授予"];
    pub const REVOKE: &[&str] = &["revoke", "撤销"];
    pub const INCIDENTS: &[&str] = &["incidents", "事件列表"];
    pub const INCIDENT: &[&str] = &["incident", "事件"];
    pub const OUTBOX: &[&str] = &["outbox", "发件箱"];
    pub const RETRY: &[&str] = &["retry", "重试"];
    pub const ALL: &[&str] = &["all", "全员"];
    pub const DEPT: &[&str] = &["dept", "部门"];
    pub const USERS: &[&str] = &["users", "用户"];
    pub const GROUP: &[&str] = &["group", "本群"];

    /// Chinese keywords that may be glued to what follows (`确认3`), longest first.
    pub const GLUEABLE: &[&str] = &[
        "已改密",
        "通知列表",
        "事件列表",
        "确认执行",
        "确认",
        "完成",
        "测验",
        "上报",
        "反馈",
        "导出",
        "帮助",
        "我的",
        "答",
    ];
}

/// The words of the first line of `text`, normalised as the parser reads
/// them (preamble dropped, glued heads split): what "did you mean" compares.
pub fn head_words(text: &str) -> Vec<String> {
    let norm = Normalised::new(text);
    let mut c = Cursor::start(&norm);
    c.split_head();
    std::iter::from_fn(|| c.next().map(str::to_owned)).collect()
}

/// Parses one chat message.
pub fn parse(text: &str) -> Result<Command> {
    let norm = Normalised::new(text);
    let mut c = Cursor::start(&norm);
    if let Some(spec) = c.phrasing() {
        // A phrasing means its command without arguments (tested for each).
        return parse(spec.name);
    }
    c.split_head();
    let first = c.next().ok_or(ParseError::Unknown)?;
    let cmd = match first {
        w if is(Some(w), kw::HELP) => Command::Help,
        w if is(Some(w), kw::HELLO) => Command::Hello,
        w if is(Some(w), kw::LANG) => parse_lang(&mut c)?,
        w if is(Some(w), kw::ME) => Command::Me,
        w if is(Some(w), kw::QUIZ) => parse_quiz(&mut c)?,
        w if is(Some(w), kw::ANSWER) => parse_answer(&mut c)?,
        w if is(Some(w), kw::ACK) => parse_ack(&mut c)?,
        w if is(Some(w), kw::CONFIRM) => parse_confirm(&mut c)?,
        w if is(Some(w), kw::DONE) => parse_done(&mut c)?,
        w if is(Some(w), kw::PASSWORD_DONE) => Command::PasswordDone,
        w if is(Some(w), kw::PASSWORD) => parse_password(&mut c)?,
        w if is(Some(w), kw::REPORT) => {
            parse_text(&mut c, "report", |text| Command::Report { text })?
        }
        w if is(Some(w), kw::FEEDBACK) => parse_feedback(&mut c)?,
        w if is(Some(w), kw::NOTICES) => Command::Notices,
        w if is(Some(w), kw::NOTICE) => parse_notice(&mut c)?,
        w if is(Some(w), kw::EXPORT) => parse_export(&mut c)?,
        w if is(Some(w), kw::OFFBOARD) => parse_offboard(&mut c)?,
        w if is(Some(w), kw::ROLE) => parse_role(&mut c)?,
        w if is(Some(w), kw::INCIDENTS) => Command::Incidents,
        w if is(Some(w), kw::INCIDENT) => parse_incident(&mut c)?,
        w if is(Some(w), kw::OUTBOX) => parse_outbox(&mut c)?,
        w => match answer_letter(w) {
            Some(choice) => Command::Answer {
                choice,
                question: None,
            },
            None => return Err(ParseError::Unknown),
        },
    };
    Ok(cmd)
}

/// Requires that nothing follows on the line.
fn end(c: &mut Cursor<'_>, cmd: Command) -> Result<Command> {
    if c.at_line_end() {
        Ok(cmd)
    } else {
        Err(ParseError::Usage(cmd.key()))
    }
}

fn answer_letter(w: &str) -> Option<char> {
    let mut chars = w.chars();
    let ch = chars.next()?.to_ascii_uppercase();
    (chars.next().is_none() && ('A'..='F').contains(&ch)).then_some(ch)
}

/// An id written `N` or `#N`.
fn id(w: Option<&str>) -> Option<i64> {
    let w = w?;
    w.strip_prefix('#')
        .unwrap_or(w)
        .parse()
        .ok()
        .filter(|n| *n > 0)
}

/// The next word as the id `key` needs: missing is a usage error, a word
/// that is not an id is named as such.
fn need_id(c: &mut Cursor<'_>, key: &'static str) -> Result<i64> {
    let w = c.next().ok_or(ParseError::Usage(key))?;
    id(Some(w)).ok_or_else(|| invalid(key, w, ValueKind::Id))
}

fn parse_lang(c: &mut Cursor<'_>) -> Result<Command> {
    match c.next() {
        None => Ok(Command::Lang(None)),
        Some(w) => match w.parse::<Lang>() {
            Ok(lang) => end(c, Command::Lang(Some(lang))),
            Err(()) => Err(ParseError::Usage("lang")),
        },
    }
}

fn parse_answer(c: &mut Cursor<'_>) -> Result<Command> {
    let choice = c
        .next()
        .and_then(answer_letter)
        .ok_or(ParseError::Usage("answer"))?;
    let question = if c.at_line_end() {
        None
    } else {
        Some(need_id(c, "answer")?)
    };
    end(c, Command::Answer { choice, question })
}

fn parse_ack(c: &mut Cursor<'_>) -> Result<Command> {
    if c.at_line_end() {
        return Ok(Command::Ack { notice: None });
    }
    let notice = need_id(c, "ack")?;
    end(
        c,
        Command::Ack {
            notice: Some(notice),
        },
    )
}

/// `confirm CODE`: one word, the code (checked by the action, not here).
fn parse_confirm(c: &mut Cursor<'_>) -> Result<Command> {
    let code = c.next().ok_or(ParseError::Usage("confirm"))?.to_owned();
    end(c, Command::Confirm { code })
}

fn parse_done(c: &mut Cursor<'_>) -> Result<Command> {
    let notice = need_id(c, "done")?;
    let w = c.next().ok_or(ParseError::Usage("done"))?;
    let item = id(Some(w))
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| invalid("done", w, ValueKind::Number { min: 1, max: None }))?;
    end(c, Command::Done { notice, item })
}

fn parse_text(
    c: &mut Cursor<'_>,
    key: &'static str,
    make: impl Fn(String) -> Command,
) -> Result<Command> {
    let text = c.free_rest();
    if text.is_empty() {
        Err(ParseError::Usage(key))
    } else {
        Ok(make(text.to_owned()))
    }
}

fn parse_feedback(c: &mut Cursor<'_>) -> Result<Command> {
    let mut probe = c.clone();
    if probe.eat(kw::LIST) && probe.free_rest().is_empty() {
        return Ok(Command::FeedbackList);
    }
    parse_text(c, "feedback", |text| Command::Feedback { text })
}

/// `export [acks] ID`.
fn parse_export(c: &mut Cursor<'_>) -> Result<Command> {
    c.eat(kw::ACKS);
    let notice = need_id(c, "export")?;
    end(c, Command::Export { notice })
}
