//! The catalogue's table: every command, in the order `help` lists them,
//! with its aliases, access, examples and phrasings.

use super::CommandSpec;
use crate::domain::Access;

/// Every command, in the order `help` lists them.
pub static CATALOGUE: &[CommandSpec] = &[
    spec!(
        "help",
        ["帮助"],
        Everyone,
        ["help", "帮助", "/HELP"],
        true,
        ["怎么用", "你能做什么", "有什么功能"],
        ["what can you do", "commands"]
    ),
    spec!(
        "hello",
        ["你好"],
        Everyone,
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
        Everyone,
        ["quiz", "测验 default", "quiz review", "测试", "答题"],
        true,
        ["开始测验", "开始答题", "做测验", "我要答题"],
        ["start quiz", "take the quiz"]
    ),
    spec!(
        "quiz list",
        ["测验 列表", "测验列表"],
        Everyone,
        ["quiz list", "测验 列表", "测验列表"],
        true,
        ["题库列表", "有哪些测验"],
        ["quizzes"]
    ),
    spec!(
        "quiz quit",
        ["测验 退出"],
        Everyone,
        ["quiz quit", "测验 退出"],
        true
    ),
    spec!(
        "answer",
        ["答"],
        Everyone,
        ["B", "答 C", "answer a #12"],
        true
    ),
    spec!(
        "me",
        ["我的"],
        Everyone,
        ["me", "我的"],
        true,
        ["我的待办", "待办", "我的任务"],
        ["my tasks"]
    ),
    spec!(
        "ack",
        ["确认"],
        Everyone,
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
        Everyone,
        ["confirm K7M2QX", "确认执行 K7M2QX", "确认执行k7m2qx"],
        true
    ),
    spec!("done", ["完成"], Everyone, ["done 3 2", "完成 #3 2"], true),
    spec!(
        "password done",
        ["已改密"],
        Everyone,
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
        Everyone,
        ["report phishing mail from x", "上报 收到可疑邮件"],
        true
    ),
    spec!(
        "feedback",
        ["反馈"],
        Everyone,
        ["feedback nice bot", "反馈 很好用"],
        true
    ),
    spec!(
        "lang",
        ["语言"],
        Everyone,
        ["lang en", "语言 zh", "lang"],
        true
    ),
    spec!(
        "notice new",
        ["通知 新建"],
        Admin,
        [
            "notice new exit Leaving the old platform\nBack up your files.",
            "通知 新建 安全 钓鱼邮件提醒"
        ],
        true
    ),
    spec!(
        "notice template exit",
        ["通知 模板 退出"],
        Admin,
        ["notice template exit", "通知 模板 退出"],
        true
    ),
    spec!(
        "notice send",
        ["通知 发送"],
        Admin,
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
        Staff,
        ["notice status 3", "通知 状态 #3"],
        true
    ),
    spec!(
        "notice remind",
        ["通知 提醒"],
        Admin,
        ["notice remind 3", "通知 提醒 3"],
        true
    ),
    spec!(
        "notice close",
        ["通知 关闭"],
        Admin,
        ["notice close 3", "通知 关闭 3"],
        true
    ),
    spec!(
        "notices",
        ["通知列表", "通知 列表"],
        Staff,
        ["notices", "通知列表", "通知 列表"],
        true
    ),
    spec!(
        "export",
        ["导出"],
        Staff,
        ["export 3", "导出 #3", "export acks 3", "导出3"],
        true
    ),
    spec!(
        "console",
        ["控制台"],
        Staff,
        ["console", "控制台"],
        true,
        ["管理后台", "后台"],
        ["dashboard", "admin console"]
    ),
    spec!(
        "quiz assign",
        ["测验 布置"],
        Admin,
        [
            "quiz assign default to all by 2026-12-31",
            "测验 布置 default 给 部门 研发部"
        ],
        true
    ),
    spec!(
        "quiz stats",
        ["测验 统计"],
        Staff,
        ["quiz stats", "测验 统计 default"],
        true
    ),
    spec!(
        "password policy",
        ["密码 策略"],
        Admin,
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
        Staff,
        ["password status", "密码 状态"],
        true
    ),
    spec!(
        "password reset-required",
        ["密码 强制改密"],
        Admin,
        [
            "password reset-required all breach at vendor",
            "密码 强制改密 部门 研发部 供应商泄露"
        ],
        true
    ),
    spec!(
        "offboard",
        ["离职"],
        Staff,
        ["offboard u123", "离职 u123"],
        true
    ),
    spec!(
        "role list",
        ["角色 列表", "角色列表"],
        Admin,
        ["role list", "角色 列表", "角色列表", "role"],
        true
    ),
    spec!(
        "role grant",
        ["角色 授予"],
        Admin,
        ["role grant u1 admin", "角色 授予 u1 hr"],
        true
    ),
    spec!(
        "role revoke",
        ["角色 撤销"],
        Admin,
        ["role revoke u1 hr", "角色 撤销 u1 hr"],
        true
    ),
    spec!(
        "incidents",
        ["事件列表", "事件 列表"],
        Staff,
        ["incidents", "事件列表", "事件 列表"],
        true
    ),
    spec!(
        "incident close",
        ["事件 关闭"],
        Admin,
        ["incident close 2 false alarm", "事件 关闭 #2"],
        true
    ),
    spec!(
        "feedback list",
        ["反馈 列表", "反馈列表"],
        Admin,
        ["feedback list", "反馈 列表", "反馈列表"],
        true
    ),
    spec!("outbox", ["发件箱"], Admin, ["outbox", "发件箱"], true),
    spec!(
        "outbox retry",
        ["发件箱 重试"],
        Admin,
        ["outbox retry 9", "发件箱 重试 9"],
        true
    ),
];
