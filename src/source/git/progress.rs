//! A progress bar on stderr for history scans: blobs, bytes, rate, ETA.
//! Hidden (free) when the caller did not ask for it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: ProgressBar,
    bytes: AtomicU64,
    started: Instant,
}

impl Progress {
    pub fn new(enabled: bool, total_blobs: u64) -> Progress {
        let bar = if enabled {
            let bar = ProgressBar::with_draw_target(
                Some(total_blobs),
                ProgressDrawTarget::stderr_with_hz(8),
            );
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} blobs, {msg} (ETA {eta})",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.enable_steady_tick(Duration::from_millis(250));
            bar
        } else {
            ProgressBar::hidden()
        };
        Progress {
            bar,
            bytes: AtomicU64::new(0),
            started: Instant::now(),
        }
    }

    /// One blob done, `bytes` long.
    pub fn blob(&self, bytes: u64) {
        let total = self.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
        self.bar.inc(1);
        if self.bar.is_hidden() {
            return;
        }
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_message(format!(
            "{}, {}/s",
            crate::report::text::human_bytes(total),
            crate::report::text::human_bytes((total as f64 / secs) as u64)
        ));
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
