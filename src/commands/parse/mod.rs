//! Text → [`Command`]. Case-insensitive; a leading `/` and leading
//! @mentions are ignored; Chinese and English keywords are interchangeable
//! (`确认 3` == `ack 3`), and a Chinese keyword may be glued to its number
//! (`确认3`). Free text (titles, reports) is kept exactly as typed.

#[cfg(test)]
mod tests;

mod subcommands;

use self::subcommands::{
    parse_incident, parse_notice, parse_offboard, parse_outbox, parse_password, parse_quiz,
    parse_role,
};
use super::command::Command;
use crate::i18n::Lang;

/// Why text is not a command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// Not a command at all.
    Unknown,
    /// The command named by this catalogue key, used wrongly.
    Usage(&'static str),
}

type Result<T> = std::result::Result<T, ParseError>;

mod kw {
    pub const HELP: &[&str] = &["help", "帮助", "?", "？", "菜单"];
    pub const LANG: &[&str] = &["lang", "language", "语言"];
    pub const ME: &[&str] = &["me", "我的"];
    pub const QUIZ: &[&str] = &["quiz", "测验", "答题"];
    pub const LIST: &[&str] = &["list", "列表"];
    pub const QUIT: &[&str] = &["quit", "退出", "放弃"];
    pub const ANSWER: &[&str] = &["answer", "答"];
    pub const ACK: &[&str] = &["ack", "确认"];
    pub const DONE: &[&str] = &["done", "完成"];
    pub const PASSWORD: &[&str] = &["password", "密码"];
    pub const PASSWORD_DONE: &[&str] = &["已改密"];
    pub const CHANGED: &[&str] = &["done", "已改", "完成"];
    pub const REPORT: &[&str] = &["report", "上报"];
    pub const FEEDBACK: &[&str] = &["feedback", "反馈"];
    pub const NOTICE: &[&str] = &["notice", "通知"];
    pub const NOTICES: &[&str] = &["notices", "通知列表"];
    pub const NEW: &[&str] = &["new", "新建"];
    pub const TEMPLATE: &[&str] = &["template", "模板"];
    pub const EXIT: &[&str] = &["exit", "退出"];
    pub const POLICY_KIND: &[&str] = &["policy", "制度"];
    pub const SECURITY: &[&str] = &["security", "安全"];
    pub const SEND: &[&str] = &["send", "发送"];
    pub const TO: &[&str] = &["to", "给"];
    pub const STATUS: &[&str] = &["status", "状态"];
    pub const REMIND: &[&str] = &["remind", "提醒"];
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
        "确认",
        "完成",
        "测验",
        "上报",
        "反馈",
        "帮助",
        "我的",
        "答",
    ];
}

fn is(tok: Option<&str>, words: &[&str]) -> bool {
    tok.is_some_and(|t| words.iter().any(|w| t.eq_ignore_ascii_case(w)))
}

/// A position in the command text; words are read from the first line only.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn skip_spaces(&mut self) {
        let rest = &self.text[self.pos..];
        let trimmed = rest.trim_start_matches(SPACES);
        self.pos += rest.len() - trimmed.len();
    }

    /// The next word on the current line, without consuming it.
    fn peek(&mut self) -> Option<&'a str> {
        self.skip_spaces();
        let rest = &self.text[self.pos..];
        let end = rest
            .find(|c: char| SPACES.contains(&c) || c == '\n' || c == '\r')
            .unwrap_or(rest.len());
        (end > 0).then(|| &rest[..end])
    }

    fn next(&mut self) -> Option<&'a str> {
        let w = self.peek()?;
        self.pos += w.len();
        Some(w)
    }

    /// Consumes the next word if it is one of `words`.
    fn eat(&mut self, words: &[&str]) -> bool {
        let hit = is(self.peek(), words);
        if hit {
            self.next();
        }
        hit
    }

    /// The rest of the current line, trimmed.
    fn rest_of_line(&mut self) -> &'a str {
        let rest = &self.text[self.pos..];
        let end = rest.find('\n').unwrap_or(rest.len());
        self.pos += end;
        rest[..end].trim()
    }

    /// Everything left, all lines, trimmed.
    fn rest(&mut self) -> &'a str {
        let rest = &self.text[self.pos..];
        self.pos = self.text.len();
        rest.trim()
    }

    /// The lines after the current one.
    fn following_lines(&mut self) -> &'a str {
        let rest = &self.text[self.pos..];
        self.pos = self.text.len();
        rest.find('\n')
            .map(|i| rest[i + 1..].trim_matches('\n'))
            .unwrap_or("")
    }

    fn at_line_end(&mut self) -> bool {
        self.peek().is_none()
    }
}

/// Whitespace between words: ASCII, the ideographic space and no-break space.
const SPACES: [char; 4] = [' ', '\t', '\u{3000}', '\u{a0}'];

/// Drops what chat clients add in front of a command: leading @mentions and
/// a leading `/`; splits a Chinese keyword glued to its argument. Everything
/// else, free text in particular, stays exactly as typed.
fn normalise(text: &str) -> String {
    let mut s = text.trim_start();
    while s.starts_with('@') {
        s = s
            .find(char::is_whitespace)
            .map_or("", |i| s[i..].trim_start());
    }
    let s = s.strip_prefix(['/', '／']).unwrap_or(s).trim_start();
    // `确认3` → `确认 3`
    for word in kw::GLUEABLE {
        if let Some(rest) = s.strip_prefix(word) {
            if rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '#' || c == '＃') {
                return format!("{word} {}", rest.trim_end());
            }
        }
    }
    s.trim_end().to_owned()
}

/// Parses one chat message.
pub fn parse(text: &str) -> Result<Command> {
    let text = normalise(text);
    let mut c = Cursor {
        text: &text,
        pos: 0,
    };
    let first = c.next().ok_or(ParseError::Unknown)?;
    let cmd = match first {
        w if is(Some(w), kw::HELP) => Command::Help,
        w if is(Some(w), kw::LANG) => parse_lang(&mut c)?,
        w if is(Some(w), kw::ME) => Command::Me,
        w if is(Some(w), kw::QUIZ) => parse_quiz(&mut c)?,
        w if is(Some(w), kw::ANSWER) => parse_answer(&mut c)?,
        w if is(Some(w), kw::ACK) => parse_ack(&mut c)?,
        w if is(Some(w), kw::DONE) => parse_done(&mut c)?,
        w if is(Some(w), kw::PASSWORD_DONE) => Command::PasswordDone,
        w if is(Some(w), kw::PASSWORD) => parse_password(&mut c)?,
        w if is(Some(w), kw::REPORT) => {
            parse_text(&mut c, "report", |text| Command::Report { text })?
        }
        w if is(Some(w), kw::FEEDBACK) => parse_feedback(&mut c)?,
        w if is(Some(w), kw::NOTICES) => Command::Notices,
        w if is(Some(w), kw::NOTICE) => parse_notice(&mut c)?,
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
    let ch = match ch {
        'Ａ'..='Ｆ' => char::from_u32(ch as u32 - 'Ａ' as u32 + 'A' as u32)?,
        'ａ'..='ｆ' => char::from_u32(ch as u32 - 'ａ' as u32 + 'A' as u32)?,
        c => c,
    };
    (chars.next().is_none() && ('A'..='F').contains(&ch)).then_some(ch)
}

/// An id written `N` or `#N`.
fn id(w: Option<&str>) -> Option<i64> {
    let w = w?;
    w.strip_prefix(['#', '＃'])
        .unwrap_or(w)
        .parse()
        .ok()
        .filter(|n| *n > 0)
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
    let usage = ParseError::Usage("answer");
    let choice = c.next().and_then(answer_letter).ok_or(usage.clone())?;
    let question = match c.next() {
        None => None,
        Some(w) => Some(id(Some(w)).ok_or(usage)?),
    };
    end(c, Command::Answer { choice, question })
}

fn parse_ack(c: &mut Cursor<'_>) -> Result<Command> {
    match c.next() {
        None => Ok(Command::Ack { notice: None }),
        w => {
            let notice = id(w).ok_or(ParseError::Usage("ack"))?;
            end(
                c,
                Command::Ack {
                    notice: Some(notice),
                },
            )
        }
    }
}

fn parse_done(c: &mut Cursor<'_>) -> Result<Command> {
    let usage = ParseError::Usage("done");
    let notice = id(c.next()).ok_or(usage.clone())?;
    let item = id(c.next())
        .and_then(|n| u32::try_from(n).ok())
        .ok_or(usage)?;
    end(c, Command::Done { notice, item })
}

fn parse_text(
    c: &mut Cursor<'_>,
    key: &'static str,
    make: impl Fn(String) -> Command,
) -> Result<Command> {
    let text = c.rest();
    if text.is_empty() {
        Err(ParseError::Usage(key))
    } else {
        Ok(make(text.to_owned()))
    }
}

fn parse_feedback(c: &mut Cursor<'_>) -> Result<Command> {
    let mut probe = Cursor {
        text: c.text,
        pos: c.pos,
    };
    if probe.eat(kw::LIST) && probe.rest().is_empty() {
        return Ok(Command::FeedbackList);
    }
    parse_text(c, "feedback", |text| Command::Feedback { text })
}
