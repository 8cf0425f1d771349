//! Lockfile parsers, one module per format. (to be written)
