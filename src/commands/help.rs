//! `help`: the commands this user may run, generated from the catalogue;
//! the greeting; and the answers to misused commands.

use super::catalogue::{CATALOGUE, CommandSpec};
use super::parse::ValueKind;
use crate::domain::inert::inert;
use crate::domain::notice::shorten;
use crate::domain::{Access, Button, Message, Reply, User};
use crate::i18n::Lang;
use crate::tr;

/// Help for `user`: only commands that work and that they may run.
pub fn help(user: &User, lang: Lang) -> Reply {
    let mut text = tr!(
        lang,
        "### 钉钉安全助手 dingwarden\n",
        "### dingwarden security assistant\n"
    );
    let sections = [
        (Access::Everyone, tr!(lang, "**所有人**", "**Everyone**")),
        (
            Access::Staff,
            tr!(lang, "**管理员与人事**", "**Admins and HR**"),
        ),
        (Access::Admin, tr!(lang, "**管理员**", "**Admins**")),
    ];
    for (access, heading) in sections {
        let specs: Vec<&CommandSpec> = CATALOGUE
            .iter()
            .filter(|s| s.available && s.access == access && user.may(s.access))
            .collect();
        if specs.is_empty() {
            continue;
        }
        text.push_str(&format!("\n{heading}\n\n"));
        for s in specs {
            let (usage, help) = match lang {
                Lang::Zh => (s.usage_zh, s.help_zh),
                Lang::En => (s.usage_en, s.help_en),
            };
            // DingTalk markdown has no inline code; bold sets the command apart.
            text.push_str(&format!("- **{usage}** {help}{}\n", also_said(s, lang)));
        }
    }
    text.push_str(&tr!(
        lang,
        "\n命令不区分大小写，中英文均可。切勿在聊天中发送密码。",
        "\nCommands are case-insensitive, in Chinese or English. Never send a password in chat."
    ));
    Reply::markdown(tr!(lang, "帮助", "Help"), text)
}

/// The phrasings of `spec` in `lang`, as help shows them after its text.
fn also_said(spec: &CommandSpec, lang: Lang) -> String {
    let said = match lang {
        Lang::Zh => spec.phrasings_zh,
        Lang::En => spec.phrasings_en,
    };
    if said.is_empty() {
        return String::new();
    }
    let list = said.join(lang.pick("、", ", "));
    tr!(lang, "也可以说：{list}", " Or say: {list}")
}

/// The answer to a greeting: what the bot does, `me`, `help`.
pub fn welcome(lang: Lang) -> Reply {
    let text = tr!(
        lang,
        "你好！我是安全助手：发送安全通知与离职须知、安全测验和密码提醒，并记录你的确认。\n发送「我的」查看等你处理的事项。\n发送「帮助」查看全部命令。",
        "Hello! I am the security assistant: I send security and offboarding notices, quizzes and password reminders, and keep your acknowledgements.\nSend \"me\" to see what is waiting for you.\nSend \"help\" to see every command."
    );
    let buttons = vec![
        Button::new(tr!(lang, "我的", "Me"), tr!(lang, "我的", "me")),
        Button::new(tr!(lang, "帮助", "Help"), tr!(lang, "帮助", "help")),
    ];
    Reply::message(Message::card(tr!(lang, "你好", "Hello"), text, buttons))
}

/// A value of `spec` that is not what it must be, named, then the usage.
pub fn invalid(spec: &CommandSpec, value: &str, kind: ValueKind, lang: Lang) -> Reply {
    let value = inert(&shorten(value, 30));
    let what = match kind {
        ValueKind::Date => tr!(
            lang,
            "{value} 不是有效日期（格式 2026-12-31）",
            "{value} is not a valid date (format 2026-12-31)"
        ),
        ValueKind::Id => tr!(
            lang,
            "{value} 不是有效编号（例如 3 或 #3）",
            "{value} is not a valid number (e.g. 3 or #3)"
        ),
        ValueKind::Number {
            min,
            max: Some(max),
        } => tr!(
            lang,
            "{value} 不是有效数字（{min} 到 {max} 之间的整数）",
            "{value} is not a valid number (a whole number from {min} to {max})"
        ),
        ValueKind::Number { min, max: None } => tr!(
            lang,
            "{value} 不是有效数字（不小于 {min} 的整数）",
            "{value} is not a valid number (a whole number from {min})"
        ),
    };
    let (usage, help) = (
        lang.pick(spec.usage_zh, spec.usage_en),
        lang.pick(spec.help_zh, spec.help_en),
    );
    Reply::text(tr!(
        lang,
        "{what}。\n用法：{usage}\n{help}",
        "{what}.\nUsage: {usage}\n{help}"
    ))
}

/// How to use one command, in the user's language.
pub fn usage(spec: &CommandSpec, lang: Lang) -> Reply {
    let (usage, help) = match lang {
        Lang::Zh => (spec.usage_zh, spec.help_zh),
        Lang::En => (spec.usage_en, spec.help_en),
    };
    Reply::text(tr!(lang, "用法：{usage}\n{help}", "Usage: {usage}\n{help}"))
}

/// The answer to text that is not a command.
pub fn hint(lang: Lang) -> Reply {
    Reply::text(tr!(
        lang,
        "没看懂这条消息。发送「帮助」查看可用的命令。",
        "Sorry, I didn't understand that. Send \"help\" to see what I can do."
    ))
}
