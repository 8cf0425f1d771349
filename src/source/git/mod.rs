//! Git history, commit ranges and the index as secret sources. (to be written)
