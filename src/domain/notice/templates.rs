//! Ready-made notices: the exit announcement admins edit and send, and the
//! two notices offboarding opens (the leaver's, and the admins' checklist).

use chrono::NaiveDate;

use crate::domain::inert::inert;
use crate::i18n::Lang;
use crate::tr;

/// A ready-to-send exit announcement, starting with the command line that
/// creates it, so an admin can copy it, edit the bracketed parts and send it
/// back. Its checklist covers the steps of leaving a platform safely.
pub fn exit_template(lang: Lang, deadline: NaiveDate) -> String {
    tr!(
        lang,
        "通知 新建 退出 关于停止使用【旧平台】的通知
各位同事：

公司将于 {deadline} 停止使用【旧平台】，届时账号将被关闭、数据将被删除。请在截止日期前完成以下事项：

- [ ] 备份个人文件和聊天记录
- [ ] 导出通讯录联系人
- [ ] 将进行中的工作迁移到【新平台】
- [ ] 移交你负责的共享文档和群组
- [ ] 登录【新平台】，确认新账号可以正常使用
- [ ] 提交使用反馈，帮助我们改进迁移

截止: {deadline}

如有疑问，请联系 IT 服务台。",
        "notice new exit Leaving [old platform]
Dear colleagues,

We stop using [old platform] on {deadline}: accounts will then be closed and their data deleted. Please finish these steps before the deadline:

- [ ] Back up your files and chat records
- [ ] Export your contacts
- [ ] Move your ongoing work to [new tool]
- [ ] Hand over the shared documents and groups you own
- [ ] Sign in to [new tool] and confirm your new account works
- [ ] Give feedback so we can improve the move

deadline: {deadline}

Questions? Contact the IT service desk."
    )
}

/// Title and body of the notice sent to someone who is leaving.
/// The name comes from a profile or roster and is made inert here.
pub fn leaver_notice(lang: Lang, name: &str, deadline: NaiveDate) -> (String, String) {
    let name = inert(name);
    let title = tr!(lang, "离职须知：{name}", "Before you leave: {name}");
    let body = tr!(
        lang,
        "{name}，你好：

感谢你为公司所做的一切。离职前请完成以下事项：

- [ ] 将工作文件、文档和共享空间移交给主管或接手的同事
- [ ] 移交你管理的账号、群组和应用权限
- [ ] 归还公司设备（电脑、手机、门禁卡、U 盾等）
- [ ] 导出允许个人保留的资料（如工资单、个人证明）；公司数据请勿带走

截止: {deadline}",
        "Hello {name},

Thank you for your work here. Before you leave, please:

- [ ] Hand over your work files, documents and shared spaces to your manager or successor
- [ ] Hand over the accounts, groups and app permissions you manage
- [ ] Return company devices (laptop, phone, badge, security keys)
- [ ] Export what you may keep (payslips, personal certificates); company data stays here

deadline: {deadline}"
    );
    (title, body)
}

/// Title and body of the admins' offboarding checklist for a leaver.
pub fn admin_checklist(
    lang: Lang,
    name: &str,
    staff_id: &str,
    deadline: NaiveDate,
) -> (String, String) {
    let (name, staff_id) = (inert(name), inert(staff_id));
    let title = tr!(
        lang,
        "离职清单：{name}（{staff_id}）",
        "Offboarding checklist: {name} ({staff_id})"
    );
    let body = tr!(
        lang,
        "{name}（{staff_id}）正在办理离职，请管理员完成：

- [ ] 撤销其系统、应用和数据权限
- [ ] 转移其群主身份和群管理权限
- [ ] 转移其文档和共享空间的所有权
- [ ] 归档需要保留的工作数据
- [ ] 从花名册中移除（停用账号）

截止: {deadline}",
        "{name} ({staff_id}) is leaving. Admins, please:

- [ ] Revoke their system, app and data permissions
- [ ] Transfer their group ownerships and group admin rights
- [ ] Transfer ownership of their documents and shared spaces
- [ ] Archive the work data that must be kept
- [ ] Remove them from the roster (deactivate the account)

deadline: {deadline}"
    );
    (title, body)
}

/// Title and body of the leaver's manager's handover checklist.
pub fn manager_checklist(
    lang: Lang,
    name: &str,
    staff_id: &str,
    deadline: NaiveDate,
) -> (String, String) {
    let (name, staff_id) = (inert(name), inert(staff_id));
    let title = tr!(
        lang,
        "交接清单：{name}（{staff_id}）",
        "Handover checklist: {name} ({staff_id})"
    );
    let body = tr!(
        lang,
        "你的下属 {name}（{staff_id}）正在办理离职，请作为主管完成交接：

- [ ] 接手其工作文件、文档和共享空间
- [ ] 接手或停用其负责的业务账号
- [ ] 接手其群主身份和群管理权限
- [ ] 接手其客户和合作伙伴联系人，并告知对方新的联系人

截止: {deadline}",
        "{name} ({staff_id}), who reports to you, is leaving. As their manager, please take over:

- [ ] Their work files, documents and shared spaces
- [ ] The business accounts they manage (take over or close)
- [ ] Their group ownerships and group admin rights
- [ ] Their customer and partner contacts, telling them who their new contact is

deadline: {deadline}"
    );
    (title, body)
}

/// What HR is told when an offboarding starts.
#[derive(Clone, Copy, Debug)]
pub struct HrSummary<'a> {
    pub leaver: crate::domain::Person<'a>,
    pub by: crate::domain::Person<'a>,
    pub deadline: NaiveDate,
    pub leaver_notice: i64,
    pub admin_notice: i64,
    pub admins: usize,
    /// The manager's checklist and the manager, if the leaver has one.
    pub manager: Option<(i64, crate::domain::Person<'a>)>,
}

/// The summary HR gets when an offboarding starts, in `lang`.
pub fn hr_summary(s: &HrSummary<'_>, lang: Lang) -> String {
    let (leaver, by, d) = (s.leaver.label(lang), s.by.label(lang), s.deadline);
    let (ln, an, admins) = (s.leaver_notice, s.admin_notice, s.admins);
    let mut text = tr!(
        lang,
        "离职流程已发起：{leaver}（由 {by} 发起，截止 {d}）\n- 离职须知 #{ln} 已发给本人\n- 管理员清单 #{an} 已发给 {admins} 位管理员",
        "Offboarding started: {leaver} (by {by}, due {d})\n- leaver's notice #{ln} went to them\n- admin checklist #{an} went to {admins} admin(s)"
    );
    match s.manager {
        Some((id, m)) => {
            let m = m.label(lang);
            text.push_str(&tr!(
                lang,
                "\n- 主管交接清单 #{id} 已发给 {m}",
                "\n- handover checklist #{id} went to their manager {m}"
            ));
        }
        None => text.push_str(&tr!(
            lang,
            "\n- 花名册中没有其在职主管，未发送主管交接清单",
            "\n- the roster names no active manager, so no handover checklist was sent"
        )),
    }
    text.push_str(&tr!(
        lang,
        "\n发送「通知 状态 {an}」查看谁完成了哪一项。",
        "\nSend \"notice status {an}\" to see who did what."
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::super::parse_body;
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 14).unwrap()
    }

    #[test]
    fn offboarding_notices_carry_checklists() {
        for lang in [Lang::Zh, Lang::En] {
            let (_, body) = leaver_notice(lang, "Li", day());
            assert_eq!(parse_body(&body).unwrap().items.len(), 4);
            let (title, body) = admin_checklist(lang, "Li", "u9", day());
            assert!(title.contains("u9"));
            assert_eq!(parse_body(&body).unwrap().items.len(), 5);
            let (title, body) = manager_checklist(lang, "Li", "u9", day());
            assert!(title.contains("u9"));
            let parsed = parse_body(&body).unwrap();
            assert_eq!(parsed.items.len(), 4);
            assert_eq!(parsed.deadline, Some(day()));
        }
    }
}
