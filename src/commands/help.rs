//! `help`: the commands this user may run, generated from the catalogue.

use super::catalogue::{CATALOGUE, CommandSpec};
use crate::domain::{Access, Reply, User};
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
            text.push_str(&format!("- **{usage}** {help}\n"));
        }
    }
    text.push_str(&tr!(
        lang,
        "\n命令不区分大小写，中英文均可。切勿在聊天中发送密码。",
        "\nCommands are case-insensitive, in Chinese or English. Never send a password in chat."
    ));
    Reply::markdown(tr!(lang, "帮助", "Help"), text)
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
