//! Private answers to private questions (issue 12 point 3): a command whose
//! answer is [`Privacy::Personal`](super::Privacy::Personal), asked in a
//! group, answers the group with one short line; the full answer goes to
//! the asker 1:1 through the outbox.

use super::{Ctx, HandlerResult};
use crate::actions::replies;
use crate::domain::Reply;
use crate::t;

/// Queues `answer` 1:1 to the asker and returns the line for the group.
pub async fn send(ctx: &Ctx<'_>, answer: Reply) -> HandlerResult {
    if answer.messages.is_empty() {
        return Ok(answer);
    }
    replies::in_private(&ctx.action(), &ctx.user.staff_id, &answer.messages).await?;
    ctx.state.delivery.wake();
    Ok(Reply::text(t!(
        ctx.lang(),
        "commands-private-sent-to-you-in-direct-message"
    )))
}

#[cfg(test)]
mod tests {
    use crate::commands::catalogue::CATALOGUE;
    use crate::commands::{Privacy, parse};

    /// Every catalogue entry says where its answer may be read, the same
    /// for all its examples; the reports of issue 12 are private.
    #[test]
    fn the_catalogue_says_where_each_answer_may_be_read() {
        let mut personal = Vec::new();
        for spec in CATALOGUE {
            let privacy: Vec<Privacy> = spec
                .examples
                .iter()
                .map(|e| parse(e).expect(e).privacy())
                .collect();
            assert!(privacy.windows(2).all(|w| w[0] == w[1]), "{}", spec.name);
            if privacy[0] == Privacy::Personal {
                personal.push(spec.name);
            }
        }
        for report in [
            "notice status",
            "notices",
            "password status",
            "incidents",
            "feedback list",
            "quiz stats",
        ] {
            assert!(personal.contains(&report), "{report}: {personal:?}");
        }
        // Everything an employee asks about others is a report for staff.
        for name in &personal {
            let spec = crate::commands::catalogue::spec(name).unwrap();
            assert!(
                spec.access != crate::domain::Access::Everyone || *name == "me",
                "{name}"
            );
        }
    }
}
