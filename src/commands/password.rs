//! Password commands (to be built; see the issue). Only `me_section` exists so far.

use super::Ctx;

/// This feature's part of `me`: markdown lines, or `None` when there is nothing to show.
pub async fn me_section(_ctx: &Ctx<'_>) -> anyhow::Result<Option<String>> {
    Ok(None)
}
