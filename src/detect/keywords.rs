//! The keyword prefilter: every occurrence of every rule keyword (ASCII
//! case-insensitive, overlapping), in order of where it ends.
//!
//! The automaton is aho-corasick's DFA; the search loop over it is ours. The
//! crate's loop follows one state per byte, and each step is a table load
//! that depends on the previous one, so it runs at memory latency (~400 MB/s
//! with our ~450 keywords, whose table does not fit in L1). Here the input
//! is cut into four quarters walked in lock-step: four independent loads are
//! in flight at once, 2.6x faster on the same hits (measured on the bench
//! corpus). Each quarter starts `max keyword length - 1` bytes early so a
//! keyword straddling the cut is still seen, and reports only the keywords
//! ending inside it, so nothing is reported twice.

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, BuildError, MatchKind};

/// One keyword occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index of the keyword in the list the automaton was built from.
    pub pattern: u32,
    pub start: usize,
    pub end: usize,
}

pub struct Keywords {
    dfa: DFA,
    /// Inputs shorter than this are walked in one lane: splitting them
    /// costs more than it saves.
    min_split: usize,
}

const LANES: usize = 4;

impl Keywords {
    pub fn new(words: &[String]) -> Result<Keywords, BuildError> {
        let dfa = DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            // The crate's prefilters only apply to its own search loop.
            .prefilter(false)
            .build(words)?;
        let min_split = (dfa.max_pattern_len() * LANES * 8).max(4096);
        Ok(Keywords { dfa, min_split })
    }

    /// Append every keyword occurrence in `data` to `out`, ordered by end.
    pub fn hits(&self, data: &[u8], out: &mut Vec<Hit>) {
        if self.dfa.patterns_len() == 0 {
            return;
        }
        if data.len() < self.min_split {
            let mut sid = self.start();
            self.walk(&mut sid, data, 0, out);
            return;
        }
        let quarter = data.len() / LANES;
        let overlap = self.dfa.max_pattern_len() - 1;
        let mut sids = [self.start(); LANES];
        let mut lanes: [Vec<Hit>; LANES] = Default::default();
        for (k, sid) in sids.iter_mut().enumerate().skip(1) {
            // Warm up on the bytes before the lane's own quarter; keywords
            // ending there belong to the previous lane.
            for &b in &data[k * quarter - overlap..k * quarter] {
                *sid = self.dfa.next_state(Anchored::No, *sid, b);
            }
        }
        let (q0, rest) = data.split_at(quarter);
        let (q1, rest) = rest.split_at(quarter);
        let (q2, rest) = rest.split_at(quarter);
        let (q3, tail) = rest.split_at(quarter);
        for (i, (((&b0, &b1), &b2), &b3)) in q0.iter().zip(q1).zip(q2).zip(q3).enumerate() {
            for (k, b) in [b0, b1, b2, b3].into_iter().enumerate() {
                sids[k] = self.dfa.next_state(Anchored::No, sids[k], b);
                if self.dfa.is_match(sids[k]) {
                    self.record(sids[k], k * quarter + i + 1, &mut lanes[k]);
                }
            }
        }
        let [l0, l1, l2, mut l3] = lanes;
        self.walk(&mut sids[LANES - 1], tail, LANES * quarter, &mut l3);
        for lane in [l0, l1, l2, l3] {
            out.extend(lane);
        }
    }

    fn start(&self) -> aho_corasick::automaton::StateID {
        self.dfa
            .start_state(Anchored::No)
            .expect("built with unanchored searches (the default start kind)")
    }

    fn walk(
        &self,
        sid: &mut aho_corasick::automaton::StateID,
        bytes: &[u8],
        offset: usize,
        out: &mut Vec<Hit>,
    ) {
        for (i, &b) in bytes.iter().enumerate() {
            *sid = self.dfa.next_state(Anchored::No, *sid, b);
            if self.dfa.is_match(*sid) {
                self.record(*sid, offset + i + 1, out);
            }
        }
    }

    #[inline]
    fn record(&self, sid: aho_corasick::automaton::StateID, end: usize, out: &mut Vec<Hit>) {
        for m in 0..self.dfa.match_len(sid) {
            let pid = self.dfa.match_pattern(sid, m);
            out.push(Hit {
                pattern: pid.as_u32(),
                start: end - self.dfa.pattern_len(pid),
                end,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::AhoCorasick;

    /// The lanes must report exactly what the crate's own overlapping search
    /// reports, in the same order, including keywords across lane cuts.
    #[test]
    fn lanes_match_the_crates_overlapping_search() {
        let words: Vec<String> = ["token", "ghp_", "secret", "cret", "pass", "password", "x"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let kw = Keywords::new(&words).unwrap();
        let reference = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&words)
            .unwrap();
        let mut seed = 7u64;
        for len in [0, 1, 5, 100, 4095, 4096, 4097, 10_000, 65_537] {
            let mut data = Vec::with_capacity(len);
            while data.len() < len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let piece: &[u8] = match (seed >> 33) % 9 {
                    0 => b"ToKeN",
                    1 => b"password",
                    2 => b"ghp_",
                    3 => b"SECRET",
                    4 => b"\n",
                    _ => b"abcx ",
                };
                data.extend_from_slice(piece);
            }
            data.truncate(len);
            let mut got = Vec::new();
            kw.hits(&data, &mut got);
            let want: Vec<Hit> = reference
                .find_overlapping_iter(&data)
                .map(|m| Hit {
                    pattern: m.pattern().as_u32(),
                    start: m.start(),
                    end: m.end(),
                })
                .collect();
            let key = |h: &Hit| (h.end, h.pattern);
            let (mut g, mut w) = (got.clone(), want.clone());
            g.sort_by_key(key);
            w.sort_by_key(key);
            assert_eq!(g, w, "len {len}");
            assert!(
                got.windows(2).all(|p| p[0].end <= p[1].end),
                "ordered by end"
            );
        }
    }
}
