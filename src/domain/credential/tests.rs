//! Table tests of the pasted-credential detector, both directions.

use super::{contains_credential_token, looks_like_credential, password_next_to_secret};

/// Texts that must be withheld.
const SECRETS: &[&str] = &[
    // A keyword next to a secret, in Chinese.
    "我的密码是 Abc12345",
    "我的密码是Abc12345",
    "密码：Abc@12345",
    "密码: abc123456",
    "密码 12345678",
    "密码是123456",
    "新密码为 Qwerty!2024",
    "我把密码改成了 zhangsan2024",
    "邮箱密码是 password",
    "我的密码：zhangsan",
    "VPN 口令是 Xk9#mPq2",
    "账号 zhangsan，密码 Zs@2024abc",
    "Abc12345 是我的密码",
    "这是我的密钥 3f8a9c2e7b1d",
    "ｍｙ ｐａｓｓｗｏｒｄ ｉｓ ｈｕｎｔｅｒ２", // full-width input
    "密码：ｈｕｎｔｅｒ２２",
    // … and in English.
    "my password is hunter2",
    "My password is Tr0ub4dor&3, can you check?",
    "password: S3cr3t!",
    "password:S3cr3tPass",
    "pwd=abc12345",
    "passwd: letmein99",
    "the new password is Summer2024!",
    "pass: 998877",
    "hunter22 is my password",
    "Xk9#mPq2 was the password",
    "my token is 8f2a9c1d7e",
    "password changed to Winter2025",
    "password done Hunter2!x",
    "密码 Abc123 已经泄露了",
    "口令：qwer1234",
    "wifi 密码是 88888888",
    "glpat-Ab3dEf6hIj9kLm2nOp5q",
    "AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA",
    "report 我把 VPN 密码 Vpn@2024! 发到群里了",
    // Credentials on their own.
    "AKIAIOSFODNN7EXAMPLE",
    "key: AKIAIOSFODNN7EXAMPLE secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R",
    "sk-proj-4fG7hJ9kL2mN5pQ8rS1tU3vW6xY0zA",
    "用这个 token：xoxb-123456789012-abcdefABCDEF",
    "LTAI5tQ8mZ7xKp2wN4vR9s",
    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----",
    "-----BEGIN RSA PRIVATE KEY-----",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "连接串 postgres://app:hunter2@db.internal:5432/prod",
    "P@ssw0rd!",
    "试试 Tr0ub4dor&3",
    "kQ7vX2mN9pL4sT8wY1zA3bC6dE0fG5hJ",
];

/// Ordinary texts that must be answered normally.
const ORDINARY: &[&str] = &[
    "我忘记密码了怎么办",
    "我的密码过期了，怎么改？",
    "密码策略 90 天",
    "密码长度至少 12 位，包含大小写字母、数字和符号",
    "密码至少12位",
    "设置密码时请使用 8 到 16 位",
    "我的密码在 2026-12-01 到期",
    "钉钉密码忘了，账号是 zhang.san",
    "忘记密码了，手机号 13800138000 收不到验证码",
    "如何修改钉钉密码？",
    "已改密",
    "password done",
    "password policy",
    "password policy 90",
    "password policy 90 remind 7,3,1",
    "password policy nist",
    "密码 策略 nist",
    "password status",
    "password reset-required all",
    "password reset-required users u1,u2 breach at vendor",
    "密码 强制改密 部门 研发部 供应商泄露",
    "how do I change my password?",
    "How do I change my password? It expired yesterday.",
    "my password is expired",
    "my password is not working",
    "my password is Summer",
    "password reset link: https://sso.example.com/reset?id=42",
    "Where is the password policy document? https://wiki.example.com/Security/Passwords",
    "reset password for u123",
    "I forgot my password for DingTalk",
    "pwd 命令显示当前目录",
    "use pwd to print the working directory",
    "I'll pass, thanks",
    "top secret project roadmap",
    "the token expired at 10:30",
    "notice send 3 to users u123,u456",
    "quiz assign default to all by 2026-12-31",
    "ack #3",
    "done 3 2",
    "offboard u123456",
    "role grant manager4521 admin",
    "lang en",
    "帮助",
    "https://oapi.dingtalk.com/robot/send?access_token=abc",
    "会议时间 2026-12-01 10:00，地点 3F-301",
    "版本 v1.2.3-beta 已发布",
    "iPhone15 和 Node.js18 都升级了",
    "getUserById2FromDatabase is slow",
    "commit e937dc4 fixed it",
    "订单号 550e8400-e29b-41d4-a716-446655440000",
    "请联系 zhang.san@example.com",
    "C++17 and C# 12 are fine",
    "COVID-19 policy 2026",
    "sk-II 的面霜",
    "我的 iPhone 密码忘了",
    "密码：请参考公司制度",
    "密码是什么？",
    "请把密码发给我",
    "我的密码是不是太简单了",
    "token 2fa code 不对",
    "notice new 密码安全提醒\n不要使用 123456、password 这样的弱密码",
    "report 有人在群里问我密码",
    "feedback 改密提醒很有用，谢谢",
    "password reset-required users u1,u2",
];

#[test]
fn secrets_are_detected() {
    for text in SECRETS {
        assert!(looks_like_credential(text), "missed: {text:?}");
    }
}

#[test]
fn ordinary_text_is_not_flagged() {
    for text in ORDINARY {
        assert!(!looks_like_credential(text), "false positive: {text:?}");
    }
}

#[test]
fn the_two_signals_are_separate() {
    // A bare weak password is only caught next to a keyword…
    assert!(!contains_credential_token("hunter2"));
    assert!(password_next_to_secret("password: hunter2"));
    // … while a key is caught on its own.
    assert!(contains_credential_token("AKIAIOSFODNN7EXAMPLE"));
    assert!(!password_next_to_secret("AKIAIOSFODNN7EXAMPLE"));
}
