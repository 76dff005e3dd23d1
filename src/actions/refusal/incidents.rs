//! The incident, feedback and outbox refusals in words.

use super::{Refusal, Viewer};
use crate::clock::from_ms;
use crate::domain::schedule::format_local;
use crate::store::outbox::OutboxStatus;
use crate::tr;

/// An incident, feedback or outbox refusal for `viewer` (other refusals are
/// worded in [`super`]).
pub(super) fn message(r: &Refusal, viewer: Viewer) -> String {
    let lang = viewer.lang;
    let when = |ms: i64| format_local(viewer.tz, from_ms(ms));
    match r {
        // incidents and feedback
        Refusal::TooLong { max } => tr!(
            lang,
            "内容太长了（最多 {max} 字），请精简后再发。",
            "That is too long (at most {max} characters); please shorten it."
        ),
        Refusal::NoSuchIncident { id } => tr!(
            lang,
            "没有编号为 #{id} 的安全事件。发送「事件列表」查看。",
            "There is no incident #{id}. Send \"incidents\" to see them."
        ),
        Refusal::IncidentClosed { id, at_ms } => {
            let at = at_ms.map(when).unwrap_or_default();
            tr!(
                lang,
                "安全事件 #{id} 已于 {at} 关闭。",
                "Incident #{id} was already closed at {at}."
            )
        }
        // outbox
        Refusal::NoSuchDelivery { id } => tr!(
            lang,
            "没有编号为 #{id} 的发送记录。",
            "There is no delivery #{id}."
        ),
        Refusal::NotDeadLetter { id, status } => {
            let status = match status {
                Some(OutboxStatus::Pending) => tr!(lang, "待发送", "waiting"),
                _ => tr!(lang, "已发送", "sent"),
            };
            tr!(
                lang,
                "#{id} 不是已放弃的消息（{status}），无需重试。",
                "#{id} is not a dead letter ({status}); nothing to retry."
            )
        }
        Refusal::PayloadDropped { id } => tr!(
            lang,
            "#{id} 的内容已按保留期限删除，无法重发。",
            "#{id} can no longer be sent: its content was dropped under the retention period."
        ),
        // `Refusal::message` sends only these refusals here; the unit test
        // checks that every one has words of its own.
        other => other.code().to_owned(),
    }
}
