//! Reads the counts out of libtest's closing lines (`test result: ok. 12 passed; 0 failed; 0 ignored; …`).

use std::ops::AddAssign;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
}

impl Counts {
    /// Tests that actually ran (ignored ones did not).
    pub fn ran(&self) -> u64 {
        self.passed + self.failed
    }
}

impl AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.passed += o.passed;
        self.failed += o.failed;
        self.ignored += o.ignored;
    }
}

/// Parses one line of libtest output; `Some` only for a `test result:` line.
pub fn parse_result_line(line: &str) -> Option<Counts> {
    // Strip ANSI colour codes, in case a runner colours its output anyway.
    let line = strip_ansi(line);
    let rest = line.trim().strip_prefix("test result:")?;
    // `ok. 12 passed; 0 failed; …` or `FAILED. 1 passed; 2 failed; …`
    let (_, counts) = rest.split_once('.')?;
    let mut c = Counts::default();
    let mut seen = false;
    for part in counts.split(';') {
        let mut words = part.split_whitespace();
        let (Some(n), Some(what)) = (words.next(), words.next()) else { continue };
        let Ok(n) = n.parse::<u64>() else { continue };
        match what {
            "passed" => c.passed = n,
            "failed" => c.failed = n,
            "ignored" => c.ignored = n,
            _ => continue,
        }
        seen = true;
    }
    seen.then_some(c)
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(ch) = chars.next() {
        if ch == '\u{1b}' {
            // ESC [ … final byte in @..~
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ok_line() {
        let c = parse_result_line(
            "test result: ok. 12 passed; 0 failed; 3 ignored; 0 measured; 0 filtered out; finished in 0.42s",
        );
        assert_eq!(c, Some(Counts { passed: 12, failed: 0, ignored: 3 }));
    }

    #[test]
    fn failed_line() {
        let c = parse_result_line(
            "test result: FAILED. 7 passed; 2 failed; 0 ignored; 0 measured; 1 filtered out; finished in 10.01s",
        );
        assert_eq!(c, Some(Counts { passed: 7, failed: 2, ignored: 0 }));
        assert_eq!(c.unwrap().ran(), 9);
    }

    #[test]
    fn coloured_line() {
        let c = parse_result_line("test result: \u{1b}[32mok\u{1b}[0m. 1 passed; 0 failed; 0 ignored; 0 measured");
        assert_eq!(c, Some(Counts { passed: 1, failed: 0, ignored: 0 }));
    }

    #[test]
    fn other_lines() {
        for line in [
            "running 3 tests",
            "test api::login ... ok",
            "test result_parser ... ok",
            "     Running unittests src/lib.rs (target/debug/deps/shared-123)",
            "test result: nonsense",
            "",
        ] {
            assert_eq!(parse_result_line(line), None, "{line:?}");
        }
    }

    #[test]
    fn counts_add_up() {
        let mut total = Counts::default();
        total += Counts { passed: 2, failed: 1, ignored: 0 };
        total += Counts { passed: 3, failed: 0, ignored: 4 };
        assert_eq!(total, Counts { passed: 5, failed: 1, ignored: 4 });
    }
}
