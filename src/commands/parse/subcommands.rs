//! The commands with subcommands (quiz, password, notice, role, incident,
//! outbox) and the audiences they address.

use super::{Cursor, ParseError, Result, ValueKind, end, invalid, is, kw, need_id};
use crate::commands::command::{Audience, Command, NoticeKind, PolicySpec};
use crate::domain::schedule::parse_date;

pub(super) fn parse_quiz(c: &mut Cursor<'_>) -> Result<Command> {
    if c.at_line_end() {
        return Ok(Command::QuizStart { bank: None });
    }
    if c.eat(kw::LIST) {
        return end(c, Command::QuizList);
    }
    if c.eat(kw::QUIT) {
        return end(c, Command::QuizQuit);
    }
    if c.eat(kw::ASSIGN) {
        return parse_quiz_assign(c);
    }
    if c.eat(kw::STATS) {
        let bank = c.next().map(str::to_owned);
        return end(c, Command::QuizStats { bank });
    }
    let bank = c.next().unwrap_or_default();
    // `quiz asign`, `quiz asign default to all`: a subcommand mistyped, not a bank.
    let subcommands = [kw::LIST, kw::QUIT, kw::ASSIGN, kw::STATS];
    if !c.at_line_end() || subcommands.iter().any(|words| near_miss(bank, words)) {
        return Err(ParseError::Unknown);
    }
    Ok(Command::QuizStart {
        bank: Some(bank.to_owned()),
    })
}

/// Whether `word` is one edit away from one of `words` (and none of them).
fn near_miss(word: &str, words: &[&str]) -> bool {
    let word = word.to_lowercase();
    words
        .iter()
        .any(|w| w.chars().count() >= 2 && strsim::damerau_levenshtein(&word, w) == 1)
}

pub(super) fn parse_quiz_assign(c: &mut Cursor<'_>) -> Result<Command> {
    const KEY: &str = "quiz assign";
    let usage = ParseError::Usage(KEY);
    let bank = c.next().ok_or(usage.clone())?.to_owned();
    if !c.eat(kw::TO) {
        return Err(usage);
    }
    let line = c.rest_of_line();
    // `… by 2026-12-31` / `… 截止 2026-12-31` ends the audience.
    let words: Vec<&str> = line.split_whitespace().collect();
    let (aud_words, by) = match words.iter().position(|w| is(Some(w), kw::BY)) {
        Some(i) => {
            let word = words.get(i + 1).ok_or(usage.clone())?;
            let date = parse_date(word).ok_or_else(|| invalid(KEY, word, ValueKind::Date))?;
            if words.len() != i + 2 {
                return Err(usage);
            }
            (&words[..i], Some(date))
        }
        None => (&words[..], None),
    };
    let audience = audience(aud_words).ok_or(usage)?;
    Ok(Command::QuizAssign { bank, audience, by })
}

/// `all` | `dept NAME…` | `users ID,ID …` | `group`.
pub(super) fn audience(words: &[&str]) -> Option<Audience> {
    let (first, rest) = words.split_first()?;
    match *first {
        w if is(Some(w), kw::ALL) && rest.is_empty() => Some(Audience::All),
        w if is(Some(w), kw::GROUP) && rest.is_empty() => Some(Audience::Group),
        w if is(Some(w), kw::DEPT) && !rest.is_empty() => Some(Audience::Dept(rest.join(" "))),
        w if is(Some(w), kw::USERS) => {
            let ids = staff_ids(&rest.join(","));
            (!ids.is_empty()).then_some(Audience::Users(ids))
        }
        _ => None,
    }
}

pub(super) fn staff_ids(s: &str) -> Vec<String> {
    s.split([',', '，', '、', ' ', '\u{3000}'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

pub(super) fn parse_password(c: &mut Cursor<'_>) -> Result<Command> {
    if c.eat(kw::CHANGED) {
        return end(c, Command::PasswordDone);
    }
    if c.eat(kw::STATUS) {
        return end(c, Command::PasswordStatus);
    }
    if c.eat(kw::POLICY) {
        return parse_policy(c);
    }
    if c.eat(kw::RESET_REQUIRED) {
        return parse_reset_required(c);
    }
    Err(ParseError::Unknown)
}

pub(super) fn parse_policy(c: &mut Cursor<'_>) -> Result<Command> {
    const KEY: &str = "password policy";
    let Some(first) = c.next() else {
        return Ok(Command::PasswordPolicy { policy: None });
    };
    if is(Some(first), kw::NIST) {
        return end(
            c,
            Command::PasswordPolicy {
                policy: Some(PolicySpec::Nist),
            },
        );
    }
    let days = number(KEY, first, 1, 3650)?;
    let remind = if c.eat(kw::REMIND) {
        let list = c.next().ok_or(ParseError::Usage(KEY))?;
        let mut days_before = Vec::new();
        for part in list.split([',', '、']).filter(|p| !p.is_empty()) {
            days_before.push(number(KEY, part.trim(), 1, days - 1)?);
        }
        days_before.sort_unstable_by(|a, b| b.cmp(a));
        days_before.dedup();
        days_before
    } else {
        vec![7, 3, 1].into_iter().filter(|d| *d < days).collect()
    };
    end(
        c,
        Command::PasswordPolicy {
            policy: Some(PolicySpec::Periodic { days, remind }),
        },
    )
}

/// `word` as a whole number in `min..=max`, or an error naming it.
fn number(key: &'static str, word: &str, min: u32, max: u32) -> Result<u32> {
    let kind = ValueKind::Number {
        min,
        max: Some(max),
    };
    word.parse()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| invalid(key, word, kind))
}

pub(super) fn parse_reset_required(c: &mut Cursor<'_>) -> Result<Command> {
    let usage = ParseError::Usage("password reset-required");
    let audience = match c.next() {
        Some(w) if is(Some(w), kw::ALL) => Audience::All,
        Some(w) if is(Some(w), kw::DEPT) => {
            Audience::Dept(c.next().ok_or(usage.clone())?.to_owned())
        }
        Some(w) if is(Some(w), kw::USERS) => {
            let ids = staff_ids(c.next().ok_or(usage.clone())?);
            Audience::Users(ids)
        }
        _ => return Err(usage),
    };
    let reason = c.free_rest();
    if reason.is_empty() {
        return Err(usage);
    }
    Ok(Command::PasswordResetRequired {
        audience,
        reason: reason.to_owned(),
    })
}

pub(super) fn parse_notice(c: &mut Cursor<'_>) -> Result<Command> {
    let key_id = |c: &mut Cursor<'_>, key: &'static str, make: fn(i64) -> Command| {
        let n = need_id(c, key)?;
        end(c, make(n))
    };
    if c.eat(kw::NEW) {
        return parse_notice_new(c);
    }
    if c.eat(kw::TEMPLATE) {
        return if c.eat(kw::EXIT) {
            end(c, Command::NoticeTemplateExit)
        } else {
            Err(ParseError::Usage("notice template exit"))
        };
    }
    if c.eat(kw::SEND) {
        return parse_notice_send(c);
    }
    if c.eat(kw::STATUS) {
        return key_id(c, "notice status", |notice| Command::NoticeStatus {
            notice,
        });
    }
    if c.eat(kw::REMIND) {
        let notice = need_id(c, "notice remind")?;
        let repeat = c.eat(kw::NOW);
        return end(c, Command::NoticeRemind { notice, repeat });
    }
    if c.eat(kw::CLOSE) {
        return key_id(c, "notice close", |notice| Command::NoticeClose { notice });
    }
    if c.eat(kw::LIST) {
        return end(c, Command::Notices);
    }
    if c.at_line_end() {
        return Ok(Command::Notices);
    }
    Err(ParseError::Unknown)
}

pub(super) fn parse_notice_new(c: &mut Cursor<'_>) -> Result<Command> {
    let kind = if c.eat(kw::EXIT) {
        NoticeKind::Exit
    } else if c.eat(kw::POLICY_KIND) {
        NoticeKind::Policy
    } else if c.eat(kw::SECURITY) {
        NoticeKind::Security
    } else {
        NoticeKind::General
    };
    let title = c.free_rest_of_line();
    if title.is_empty() {
        return Err(ParseError::Usage("notice new"));
    }
    let title = title.to_owned();
    let body = c.following_lines().to_owned();
    Ok(Command::NoticeNew { kind, title, body })
}

pub(super) fn parse_notice_send(c: &mut Cursor<'_>) -> Result<Command> {
    let usage = ParseError::Usage("notice send");
    let notice = need_id(c, "notice send")?;
    if !c.eat(kw::TO) {
        return Err(usage);
    }
    let words: Vec<&str> = c.rest_of_line().split_whitespace().collect();
    let audience = audience(&words).ok_or(usage)?;
    Ok(Command::NoticeSend { notice, audience })
}

pub(super) fn parse_offboard(c: &mut Cursor<'_>) -> Result<Command> {
    let staff_id = c.next().ok_or(ParseError::Usage("offboard"))?.to_owned();
    end(c, Command::Offboard { staff_id })
}

pub(super) fn parse_role(c: &mut Cursor<'_>) -> Result<Command> {
    if c.at_line_end() {
        return Ok(Command::RoleList);
    }
    if c.eat(kw::LIST) {
        return end(c, Command::RoleList);
    }
    let grant = if c.eat(kw::GRANT) {
        true
    } else if c.eat(kw::REVOKE) {
        false
    } else {
        return Err(ParseError::Unknown);
    };
    let key = if grant { "role grant" } else { "role revoke" };
    let staff_id = c.next().ok_or(ParseError::Usage(key))?.to_owned();
    let role = c
        .next()
        .and_then(|r| r.parse().ok())
        .ok_or(ParseError::Usage(key))?;
    let cmd = if grant {
        Command::RoleGrant { staff_id, role }
    } else {
        Command::RoleRevoke { staff_id, role }
    };
    end(c, cmd)
}

pub(super) fn parse_incident(c: &mut Cursor<'_>) -> Result<Command> {
    if c.eat(kw::LIST) {
        return end(c, Command::Incidents);
    }
    if !c.eat(kw::CLOSE) {
        return if c.at_line_end() {
            Ok(Command::Incidents)
        } else {
            Err(ParseError::Unknown)
        };
    }
    let incident = need_id(c, "incident close")?;
    let note = Some(c.free_rest())
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    Ok(Command::IncidentClose { incident, note })
}

pub(super) fn parse_outbox(c: &mut Cursor<'_>) -> Result<Command> {
    if c.eat(kw::RETRY) {
        let id = need_id(c, "outbox retry")?;
        return end(c, Command::OutboxRetry { id });
    }
    if c.at_line_end() {
        return Ok(Command::Outbox);
    }
    Err(ParseError::Unknown)
}
