//! Settings and statistics (part of the session benchmark harness, see main.rs).

use super::*;

#[derive(Clone, Debug)]
pub(crate) struct Settings {
    /// Target measured time of one batch.
    pub(crate) batch: Duration,
    /// Batches of each case per round.
    pub(crate) batches: usize,
    /// Interleaved rounds.
    pub(crate) rounds: usize,
    /// Session pairs for the memory figures.
    pub(crate) sessions: usize,
    /// Operations for the allocation counts.
    pub(crate) alloc_ops: usize,
    /// Which report sections to run (`GAMECRYPT_BENCH_SECTIONS`, e.g. "13"; default all).
    pub(crate) sections: String,
    pub(crate) smoke: bool,
}

impl Settings {
    pub(crate) fn section(&self, n: char) -> bool {
        self.sections.contains(n)
    }

    pub(crate) fn from_env(bench: bool) -> Settings {
        let var = |name: &str, default: u64| -> u64 {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        };
        if !bench {
            return Settings {
                batch: Duration::from_millis(2),
                batches: 1,
                rounds: 1,
                sessions: 20,
                alloc_ops: 100,
                sections: "1234".into(),
                smoke: true,
            };
        }
        Settings {
            batch: Duration::from_millis(var("GAMECRYPT_BENCH_BATCH_MS", 100)),
            batches: var("GAMECRYPT_BENCH_BATCHES", 5).max(1) as usize,
            rounds: var("GAMECRYPT_BENCH_ROUNDS", 3).max(1) as usize,
            sessions: var("GAMECRYPT_BENCH_SESSIONS", 1000).max(1) as usize,
            alloc_ops: var("GAMECRYPT_BENCH_ALLOC_OPS", 10_000).max(1) as usize,
            sections: std::env::var("GAMECRYPT_BENCH_SECTIONS").unwrap_or_else(|_| "1234".into()),
            smoke: false,
        }
    }
}

/// Result of one case: nanoseconds per operation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Stat {
    /// Median of the round medians.
    pub(crate) median: f64,
    /// Fastest batch.
    pub(crate) best: f64,
    /// Largest round median / smallest round median (1.00 = perfectly stable).
    pub(crate) spread: f64,
}

pub(crate) fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// A measurable operation. `run(n)` performs `n` operations and returns the time that
/// counts (untimed preparation, such as sealing the packets an open will consume, is
/// excluded by the case itself).
pub(crate) trait Case {
    fn run(&mut self, n: u64) -> Duration;
}

/// How many operations make a batch of about `target` measured time.
pub(crate) fn calibrate(case: &mut dyn Case, target: Duration) -> u64 {
    let mut n = 1u64;
    loop {
        let t = case.run(n);
        if t >= target / 10 || n >= 1 << 40 {
            let per_op = t.as_secs_f64() / n as f64;
            return ((target.as_secs_f64() / per_op.max(1e-12)) as u64).max(1);
        }
        n *= 4;
    }
}

/// The per-batch figures of a group of cases: `per_op[case][round][batch]` in ns.
pub(crate) struct Group {
    pub(crate) stats: Vec<Stat>,
    pub(crate) per_op: Vec<Vec<Vec<f64>>>,
}

impl Group {
    /// Median over every (round, batch) of `time(num) / time(den)`, where `time` sums the
    /// listed cases of that batch. Batches of one index ran back to back, so this ratio is
    /// less sensitive to load changing during the run than a ratio of two medians.
    pub(crate) fn paired_ratio(&self, num: &[usize], den: &[usize]) -> f64 {
        let mut ratios = Vec::new();
        for r in 0..self.per_op[0].len() {
            for b in 0..self.per_op[0][r].len() {
                let sum =
                    |cases: &[usize]| cases.iter().map(|&c| self.per_op[c][r][b]).sum::<f64>();
                ratios.push(sum(num) / sum(den));
            }
        }
        median(&mut ratios)
    }

    /// Largest spread of the group's cases.
    pub(crate) fn spread(&self) -> f64 {
        self.stats.iter().map(|x| x.spread).fold(1.0, f64::max)
    }
}

/// Runs a group of cases with interleaved batches: round after round, batch index after
/// batch index, one batch of every case in turn.
pub(crate) fn measure(s: &Settings, cases: &mut [&mut dyn Case]) -> Group {
    let ns: Vec<u64> = cases
        .iter_mut()
        .map(|c| calibrate(&mut **c, s.batch))
        .collect();
    let mut per_op: Vec<Vec<Vec<f64>>> = vec![Vec::new(); cases.len()];
    for _ in 0..s.rounds {
        for case in per_op.iter_mut() {
            case.push(Vec::with_capacity(s.batches));
        }
        for _ in 0..s.batches {
            for (i, c) in cases.iter_mut().enumerate() {
                let t = c.run(ns[i]);
                if let Some(round) = per_op[i].last_mut() {
                    round.push(t.as_secs_f64() * 1e9 / ns[i] as f64);
                }
            }
        }
    }
    let stats = per_op
        .iter()
        .map(|per_round| {
            let best = per_round
                .iter()
                .flatten()
                .cloned()
                .fold(f64::INFINITY, f64::min);
            let mut meds: Vec<f64> = per_round.iter().map(|v| median(&mut v.clone())).collect();
            let lo = meds.iter().cloned().fold(f64::INFINITY, f64::min);
            let hi = meds.iter().cloned().fold(0.0, f64::max);
            Stat {
                median: median(&mut meds),
                best,
                spread: hi / lo,
            }
        })
        .collect();
    Group { stats, per_op }
}
