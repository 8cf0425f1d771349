//! Advisory databases: OSV, RustSec, GitHub. (to be written)
