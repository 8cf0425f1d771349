//! (pending)
use super::{Ctx, LockfileError, Parsed};
pub(super) fn parse(cx: &Ctx) -> Result<Parsed, LockfileError> {
    Err(cx.err(1, "format not supported yet"))
}
