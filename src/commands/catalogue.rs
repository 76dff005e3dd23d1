//! The command catalogue: one entry per command with its aliases, who may
//! run it and its help text in both languages. `help`, authorisation and
//! bot-manifest/ all derive from this table.

use crate::domain::Access;

/// One command as users see it.
#[derive(Debug, PartialEq, Eq)]
pub struct CommandSpec {
    /// Canonical English name; equals [`super::Command::key`].
    pub name: &'static str,
    /// Chinese forms of the name.
    pub aliases: &'static [&'static str],
    pub usage_en: &'static str,
    pub usage_zh: &'static str,
    pub access: Access,
    pub help_en: &'static str,
    pub help_zh: &'static str,
    /// Texts that must parse to this command (checked by tests and `manifest check`).
    pub examples: &'static [&'static str],
    /// Whether the command works in this build; unavailable ones are left out of `help`.
    pub available: bool,
    /// Whole messages people type instead of the command (`收到` for `ack`),
    /// in Chinese and in English; each means the command without arguments.
    pub phrasings_zh: &'static [&'static str],
    pub phrasings_en: &'static [&'static str],
}

impl CommandSpec {
    /// The phrasings in both languages.
    pub fn phrasings(&self) -> impl Iterator<Item = &'static str> {
        self.phrasings_zh.iter().chain(self.phrasings_en).copied()
    }
}

/// `spec!(name, [aliases], usage_en, usage_zh, access, help_en, help_zh,
/// [examples], available)`, optionally followed by the phrasings
/// `[Chinese…], [English…]`.
macro_rules! spec {
    ($name:literal, [$($alias:literal),*], $usage_en:literal, $usage_zh:literal, $access:ident,
     $help_en:literal, $help_zh:literal, [$($ex:literal),*], $available:literal
     $(, [$($zh:literal),*], [$($en:literal),*])? $(,)?) => {
        CommandSpec {
            name: $name, aliases: &[$($alias),*], usage_en: $usage_en, usage_zh: $usage_zh,
            access: Access::$access, help_en: $help_en, help_zh: $help_zh,
            examples: &[$($ex),*], available: $available,
            phrasings_zh: &[$($($zh),*)?], phrasings_en: &[$($($en),*)?],
        }
    };
}

/// Every command, in the order `help` lists them.
pub static CATALOGUE: &[CommandSpec] = &[
    spec!(
        "help",
        ["帮助"],
        "help",
        "帮助",
        Everyone,
        "Show what you can do.",
        "查看可用的命令。",
        ["help", "帮助", "/HELP"],
        true,
        ["怎么用", "你能做什么", "有什么功能"],
        ["what can you do", "commands"]
    ),
    spec!(
        "hello",
        ["你好"],
        "hello",
        "你好",
        Everyone,
        "Say hello: what the bot does and where to start.",
        "打个招呼：我能做什么、从哪里开始。",
        ["hello", "你好", "Hello!"],
        true,
        [
            "您好",
            "你好呀",
            "在吗",
            "在么",
            "在不在",
            "哈喽",
            "嗨",
            "早上好",
            "下午好"
        ],
        ["hi", "hey", "hi there", "good morning", "good afternoon"]
    ),
    spec!(
        "quiz",
        ["测验", "测试", "答题"],
        "quiz [BANK|review]",
        "测验 [题库|复习]",
        Everyone,
        "Start or resume a security quiz; \"quiz review\" takes the follow-up quiz waiting for you.",
        "开始或继续安全测验；「测验 复习」参加为你准备的复习测验。",
        ["quiz", "测验 default", "quiz review", "测试", "答题"],
        true,
        ["开始测验", "开始答题", "做测验", "我要答题"],
        ["start quiz", "take the quiz"]
    ),
    spec!(
        "quiz list",
        ["测验 列表", "测验列表"],
        "quiz list",
        "测验 列表",
        Everyone,
        "List the quiz banks.",
        "查看题库列表。",
        ["quiz list", "测验 列表", "测验列表"],
        true,
        ["题库列表", "有哪些测验"],
        ["quizzes"]
    ),
    spec!(
        "quiz quit",
        ["测验 退出"],
        "quiz quit",
        "测验 退出",
        Everyone,
        "Stop the quiz in progress.",
        "放弃当前测验。",
        ["quiz quit", "测验 退出"],
        true
    ),
    spec!(
        "answer",
        ["答"],
        "A–F or answer B",
        "A–F 或 答 B",
        Everyone,
        "Answer the current quiz question.",
        "回答当前测验题目。",
        ["B", "答 C", "answer a #12"],
        true
    ),
    spec!(
        "me",
        ["我的"],
        "me",
        "我的",
        Everyone,
        "Your pending notices, checklist items, quiz results and password due date.",
        "查看待确认的通知、待办清单、测验成绩和密码到期日。",
        ["me", "我的"],
        true,
        ["我的待办", "待办", "我的任务"],
        ["my tasks"]
    ),
    spec!(
        "ack",
        ["确认"],
        "ack [ID]",
        "确认 [编号]",
        Everyone,
        "Acknowledge a notice.",
        "确认已阅读通知。",
        ["ack", "ack #3", "确认3"],
        true,
        [
            "确认已读",
            "已读",
            "已阅",
            "已阅读",
            "我已阅读",
            "收到",
            "收到了",
            "知道了",
            "知道啦",
            "明白了",
            "已确认"
        ],
        ["acknowledge", "acknowledged", "got it", "read it", "noted"]
    ),
    spec!(
        "confirm",
        ["确认执行"],
        "confirm CODE",
        "确认执行 确认码",
        Everyone,
        "Carry out a role change or offboarding you asked for, with the code it gave you (within 5 minutes).",
        "用收到的确认码执行你发起的角色变更或离职流程（5 分钟内有效）。",
        ["confirm K7M2QX", "确认执行 K7M2QX", "确认执行k7m2qx"],
        true
    ),
    spec!(
        "done",
        ["完成"],
        "done ID ITEM",
        "完成 编号 事项",
        Everyone,
        "Tick a checklist item of a notice.",
        "勾选通知清单中的一项。",
        ["done 3 2", "完成 #3 2"],
        true
    ),
    spec!(
        "password done",
        ["已改密"],
        "password done",
        "已改密",
        Everyone,
        "Confirm you changed your password (never send the password itself).",
        "确认已修改密码（切勿发送密码本身）。",
        ["password done", "已改密"],
        true,
        [
            "我已修改密码",
            "已修改密码",
            "改好了",
            "密码改了",
            "密码已改",
            "密码已修改",
            "密码已更改",
            "密码已经改了",
            "我改好了",
            "已经改好了",
            "改完了"
        ],
        [
            "I changed it",
            "I changed my password",
            "password changed",
            "changed my password"
        ]
    ),
    spec!(
        "report",
        ["上报"],
        "report TEXT",
        "上报 内容",
        Everyone,
        "Report a security incident to the admins.",
        "向管理员上报安全事件。",
        ["report phishing mail from x", "上报 收到可疑邮件"],
        true
    ),
    spec!(
        "feedback",
        ["反馈"],
        "feedback TEXT",
        "反馈 内容",
        Everyone,
        "Send feedback to the admins.",
        "向管理员提交反馈。",
        ["feedback nice bot", "反馈 很好用"],
        true
    ),
    spec!(
        "lang",
        ["语言"],
        "lang zh|en",
        "语言 zh|en",
        Everyone,
        "Choose the language the bot answers in.",
        "设置机器人回复的语言。",
        ["lang en", "语言 zh", "lang"],
        true
    ),
    spec!(
        "notice new",
        ["通知 新建"],
        "notice new [exit|policy|security] TITLE (body on the next lines)",
        "通知 新建 [退出|制度|安全] 标题（正文另起一行）",
        Admin,
        "Create a notice; \"deadline: YYYY-MM-DD\" and \"- [ ] item\" lines add a deadline and a checklist.",
        "新建通知；正文中「截止: YYYY-MM-DD」一行设置截止日期，「- [ ] 事项」添加清单。",
        [
            "notice new exit Leaving the old platform\nBack up your files.",
            "通知 新建 安全 钓鱼邮件提醒"
        ],
        true
    ),
    spec!(
        "notice template exit",
        ["通知 模板 退出"],
        "notice template exit",
        "通知 模板 退出",
        Admin,
        "Print a ready-to-edit exit announcement.",
        "生成可编辑的平台退出通知模板。",
        ["notice template exit", "通知 模板 退出"],
        true
    ),
    spec!(
        "notice send",
        ["通知 发送"],
        "notice send ID to all|dept NAME|users IDS|group",
        "通知 发送 编号 给 全员|部门 名称|用户 工号|本群",
        Admin,
        "Send a notice; answers with the number of recipients queued.",
        "发送通知，并回复排队的接收人数。",
        [
            "notice send 3 to all",
            "通知 发送 #3 给 部门 研发部",
            "notice send 3 to users a,b"
        ],
        true
    ),
    spec!(
        "notice status",
        ["通知 状态"],
        "notice status ID",
        "通知 状态 编号",
        Staff,
        "Who acknowledged a notice, by department and checklist item.",
        "查看通知的确认进度。",
        ["notice status 3", "通知 状态 #3"],
        true
    ),
    spec!(
        "notice remind",
        ["通知 提醒"],
        "notice remind ID [now]",
        "通知 提醒 编号 [立即]",
        Admin,
        "Remind everyone who has not acknowledged, now (within an hour of the last round: add now).",
        "立即提醒尚未确认的人（距上一轮提醒不到一小时时，加「立即」）。",
        ["notice remind 3", "通知 提醒 3"],
        true
    ),
    spec!(
        "notice close",
        ["通知 关闭"],
        "notice close ID",
        "通知 关闭 编号",
        Admin,
        "Close a notice: no more reminders or acknowledgements.",
        "关闭通知：不再提醒或接受确认。",
        ["notice close 3", "通知 关闭 3"],
        true
    ),
    spec!(
        "notices",
        ["通知列表", "通知 列表"],
        "notices",
        "通知列表",
        Staff,
        "List notices with their progress.",
        "查看通知列表及进度。",
        ["notices", "通知列表", "通知 列表"],
        true
    ),
    spec!(
        "export",
        ["导出"],
        "export ID",
        "导出 编号",
        Staff,
        "Where to download a notice's acknowledgement records (CSV).",
        "获取通知确认记录（CSV）的下载地址。",
        ["export 3", "导出 #3", "export acks 3", "导出3"],
        true
    ),
    spec!(
        "console",
        ["控制台"],
        "console",
        "控制台",
        Staff,
        "The link to the web console (notices, quizzes, passwords, exports).",
        "获取网页控制台的链接（通知、测验、密码、导出）。",
        ["console", "控制台"],
        true,
        ["管理后台", "后台"],
        ["dashboard", "admin console"]
    ),
    spec!(
        "quiz assign",
        ["测验 布置"],
        "quiz assign BANK to all|dept NAME|users IDS [by YYYY-MM-DD]",
        "测验 布置 题库 给 全员|部门 名称|用户 工号 [截止 YYYY-MM-DD]",
        Admin,
        "Run a quiz campaign with an optional deadline.",
        "布置测验任务，可设截止日期。",
        [
            "quiz assign default to all by 2026-12-31",
            "测验 布置 default 给 部门 研发部"
        ],
        true
    ),
    spec!(
        "quiz stats",
        ["测验 统计"],
        "quiz stats [BANK]",
        "测验 统计 [题库]",
        Staff,
        "Completion and pass rates by department; the most missed questions.",
        "按部门查看完成率、通过率和易错题。",
        ["quiz stats", "测验 统计 default"],
        true
    ),
    spec!(
        "password policy",
        ["密码 策略"],
        "password policy [DAYS [remind 7,3,1] | nist]",
        "密码 策略 [天数 [提醒 7,3,1] | nist]",
        Admin,
        "Show or set the password rotation policy.",
        "查看或设置密码轮换策略。",
        [
            "password policy",
            "password policy 90 remind 7,3,1",
            "密码 策略 nist"
        ],
        true
    ),
    spec!(
        "password status",
        ["密码 状态"],
        "password status",
        "密码 状态",
        Staff,
        "Who is due soon, overdue or confirmed, by department.",
        "按部门查看密码即将到期、已逾期和已确认的人数。",
        ["password status", "密码 状态"],
        true
    ),
    spec!(
        "password reset-required",
        ["密码 强制改密"],
        "password reset-required all|dept NAME|users IDS REASON",
        "密码 强制改密 全员|部门 名称|用户 工号 原因",
        Admin,
        "Require a password change now (e.g. after a breach).",
        "要求立即修改密码（例如发生泄露后）。",
        [
            "password reset-required all breach at vendor",
            "密码 强制改密 部门 研发部 供应商泄露"
        ],
        true
    ),
    spec!(
        "offboard",
        ["离职"],
        "offboard STAFF_ID",
        "离职 工号",
        Staff,
        "Start a colleague's offboarding (after a confirmation code): their leaver's notice, their manager's handover checklist, the admin checklist and a summary for HR.",
        "为离职同事发起离职流程（需确认码）：离职须知、主管交接清单、管理员清单，并通知人事。",
        ["offboard u123", "离职 u123"],
        true
    ),
    spec!(
        "role list",
        ["角色 列表", "角色列表"],
        "role list",
        "角色 列表",
        Admin,
        "Who holds the admin and HR roles, and where each role came from.",
        "查看谁拥有管理员和人事角色，以及角色的来源。",
        ["role list", "角色 列表", "角色列表", "role"],
        true
    ),
    spec!(
        "role grant",
        ["角色 授予"],
        "role grant STAFF_ID admin|hr",
        "角色 授予 工号 admin|hr",
        Admin,
        "Give someone the admin or HR role.",
        "授予管理员或人事角色。",
        ["role grant u1 admin", "角色 授予 u1 hr"],
        true
    ),
    spec!(
        "role revoke",
        ["角色 撤销"],
        "role revoke STAFF_ID admin|hr",
        "角色 撤销 工号 admin|hr",
        Admin,
        "Take the admin or HR role away.",
        "撤销管理员或人事角色。",
        ["role revoke u1 hr", "角色 撤销 u1 hr"],
        true
    ),
    spec!(
        "incidents",
        ["事件列表", "事件 列表"],
        "incidents",
        "事件列表",
        Staff,
        "List reported security incidents.",
        "查看上报的安全事件。",
        ["incidents", "事件列表", "事件 列表"],
        true
    ),
    spec!(
        "incident close",
        ["事件 关闭"],
        "incident close ID [NOTE]",
        "事件 关闭 编号 [备注]",
        Admin,
        "Close an incident with an optional note.",
        "关闭安全事件，可附备注。",
        ["incident close 2 false alarm", "事件 关闭 #2"],
        true
    ),
    spec!(
        "feedback list",
        ["反馈 列表", "反馈列表"],
        "feedback list",
        "反馈 列表",
        Admin,
        "List feedback.",
        "查看反馈。",
        ["feedback list", "反馈 列表", "反馈列表"],
        true
    ),
    spec!(
        "outbox",
        ["发件箱"],
        "outbox",
        "发件箱",
        Admin,
        "Deliveries pending, failing and dead-lettered.",
        "查看待发送、发送失败和已放弃的消息。",
        ["outbox", "发件箱"],
        true
    ),
    spec!(
        "outbox retry",
        ["发件箱 重试"],
        "outbox retry ID",
        "发件箱 重试 编号",
        Admin,
        "Retry a dead-lettered delivery.",
        "重试一条已放弃的消息。",
        ["outbox retry 9", "发件箱 重试 9"],
        true
    ),
];

/// The catalogue entry for a command name.
pub fn spec(name: &str) -> Option<&'static CommandSpec> {
    CATALOGUE.iter().find(|s| s.name == name)
}
