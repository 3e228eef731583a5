//! `vellum check --external`: links to other sites, followed over HTTP.
//!
//! A link checker that fails a CI job on a flaky server gets switched off, so only a clear
//! answer is a failure: 404, 410 and the other 4xx statuses. A 429 (rate limited), a 5xx, a
//! timeout or no answer at all is reported as *unknown*, which never fails the check. Requests
//! run on a few threads with at most `per_host` at once to any one host, each with a timeout and
//! retries; clear answers are kept in an on-disk cache until they expire, so a daily CI build
//! does not ask every server every day. The whole check has a deadline: no request runs past
//! it, and links not answered by then are *unknown* too, so a few hanging servers cannot hold
//! a CI job for minutes.
//!
//! The client is `ureq`: blocking, with rustls for HTTPS and no async runtime to drive.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::{Problem, Severity};
use crate::error::Location;

/// How external links are followed.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// For one request, redirects included.
    pub timeout: Duration,
    /// Further tries after a timeout, a failed connection, a 429 or a 5xx.
    pub retries: u32,
    /// Requests under way at once to any one host.
    pub per_host: usize,
    /// Requests under way at once in all.
    pub threads: usize,
    /// The cache file; `None` for no cache.
    pub cache: Option<PathBuf>,
    /// How long a cached answer is trusted.
    pub cache_ttl: Duration,
    /// For the whole check, from its first request: what is not answered by then is unknown.
    pub deadline: Duration,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        let (timeout, retries) = (Duration::from_secs(10), 2);
        ExternalOptions {
            timeout,
            retries,
            deadline: default_deadline(timeout, retries),
            per_host: 2,
            threads: 8,
            cache: None,
            cache_ttl: Duration::from_secs(24 * 60 * 60),
        }
    }
}

/// The deadline unless told otherwise: twice what one link may take with all its tries, and
/// at least a minute, so that a site with many links finishes while hanging servers do not
/// hold the check for long.
pub fn default_deadline(timeout: Duration, retries: u32) -> Duration {
    timeout
        .saturating_mul(retries.saturating_add(1))
        .saturating_mul(2)
        .max(Duration::from_secs(60))
}

/// Why a link not followed in time is unknown.
const LATE: &str = "not answered before the deadline (--deadline)";

/// What following one URL came to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    Ok,
    /// A status that says the page is not there.
    Broken(u16),
    /// Nothing clear: why.
    Unknown(String),
}

/// What the external check found.
#[derive(Debug, Default)]
pub struct External {
    pub problems: Vec<Problem>,
    /// URLs followed (or answered from the cache).
    pub followed: usize,
}

/// Follows each URL once (fragments aside), and reports every place a failing one is written.
pub fn check(links: &[(String, Location)], options: &ExternalOptions) -> External {
    let mut places: BTreeMap<String, Vec<&Location>> = BTreeMap::new();
    for (url, at) in links {
        let url = url.split('#').next().unwrap_or(url).to_string();
        places.entry(url).or_default().push(at);
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut cache = options
        .cache
        .as_ref()
        .map(|path| Cache::read(path, now, options.cache_ttl))
        .unwrap_or_default();
    let wanted: Vec<String> = places
        .keys()
        .filter(|url| !cache.answers.contains_key(*url))
        .cloned()
        .collect();
    for (url, answer) in follow_all(wanted, options) {
        if matches!(answer, Answer::Ok | Answer::Broken(_)) {
            cache.fresh.insert(url.clone(), now);
        }
        cache.answers.insert(url, answer);
    }
    if let Some(path) = &options.cache {
        // A cache that cannot be written costs a slower next run, nothing more.
        let _ = cache.write(path);
    }
    let mut problems = Vec::new();
    for (url, at) in &places {
        let (severity, message) = match cache.answers.get(url) {
            Some(Answer::Broken(status)) => (Severity::Error, format!("`{url}` answers {status}")),
            Some(Answer::Unknown(why)) => (Severity::Unknown, format!("`{url}`: {why}")),
            Some(Answer::Ok) | None => continue,
        };
        for location in at {
            problems.push(Problem {
                at: (*location).clone(),
                severity,
                kind: "external-link",
                message: message.clone(),
            });
        }
    }
    External {
        problems,
        followed: places.len(),
    }
}

/// The work left, by host, and how many requests each host has under way.
#[derive(Debug, Default)]
struct Queue {
    pending: BTreeMap<String, VecDeque<String>>,
    busy: HashMap<String, usize>,
}

impl Queue {
    /// The next URL whose host has room, marking it busy; `Err(true)` when there is work but
    /// no room (wait), `Err(false)` when there is no work left.
    fn take(&mut self, per_host: usize) -> Result<(String, String), bool> {
        if self.pending.is_empty() {
            return Err(false);
        }
        let host = self
            .pending
            .keys()
            .find(|host| self.busy.get(*host).copied().unwrap_or(0) < per_host)
            .cloned()
            .ok_or(true)?;
        let urls = self.pending.get_mut(&host).ok_or(true)?;
        let url = urls.pop_front().ok_or(true)?;
        if urls.is_empty() {
            self.pending.remove(&host);
        }
        *self.busy.entry(host.clone()).or_default() += 1;
        Ok((host, url))
    }
}

/// Follows every URL on `options.threads` threads, `options.per_host` at most per host, until
/// the deadline; the URLs not followed by then are unknown.
fn follow_all(urls: Vec<String>, options: &ExternalOptions) -> Vec<(String, Answer)> {
    let deadline = Instant::now() + options.deadline;
    let mut queue = Queue::default();
    for url in urls {
        queue
            .pending
            .entry(host_of(&url))
            .or_default()
            .push_back(url);
    }
    let queue = Mutex::new(queue);
    let room = Condvar::new();
    let answers = Mutex::new(Vec::new());
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(concat!("vellum-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .new_agent();
    std::thread::scope(|scope| {
        for _ in 0..options.threads.max(1) {
            scope.spawn(|| {
                loop {
                    let (host, url) = {
                        let Ok(mut queue) = queue.lock() else { return };
                        loop {
                            if Instant::now() >= deadline {
                                return;
                            }
                            match queue.take(options.per_host.max(1)) {
                                Ok(job) => break job,
                                Err(false) => return,
                                Err(true) => match room.wait(queue) {
                                    Ok(guard) => queue = guard,
                                    Err(_) => return,
                                },
                            }
                        }
                    };
                    let answer = follow(&agent, &url, options, deadline);
                    if let Ok(mut answers) = answers.lock() {
                        answers.push((url, answer));
                    }
                    if let Ok(mut queue) = queue.lock()
                        && let Some(busy) = queue.busy.get_mut(&host)
                    {
                        *busy -= 1;
                    }
                    room.notify_all();
                }
            });
        }
    });
    let mut answers = answers.into_inner().unwrap_or_default();
    if let Ok(queue) = queue.into_inner() {
        let late = queue.pending.into_values().flatten();
        answers.extend(late.map(|url| (url, Answer::Unknown(LATE.to_string()))));
    }
    answers
}

/// One URL, retried while the answer is unclear and the deadline allows.
fn follow(agent: &ureq::Agent, url: &str, options: &ExternalOptions, deadline: Instant) -> Answer {
    let mut answer = Answer::Unknown(LATE.to_string());
    for attempt in 0..=options.retries {
        if attempt > 0 {
            // A little more patience each time: 250 ms, 500 ms, 1 s, … at most 4 s.
            let pause = Duration::from_millis(250 << (attempt - 1).min(4));
            if Instant::now() + pause >= deadline {
                break;
            }
            std::thread::sleep(pause);
        }
        answer = once(agent, url, options.timeout, deadline);
        if !matches!(answer, Answer::Unknown(_)) {
            break;
        }
    }
    answer
}

fn once(agent: &ureq::Agent, url: &str, timeout: Duration, deadline: Instant) -> Answer {
    // No request outlives the deadline: the check must end on time.
    let within = || {
        let left = deadline.saturating_duration_since(Instant::now());
        (!left.is_zero()).then(|| Some(timeout.min(left)))
    };
    let Some(limit) = within() else {
        return Answer::Unknown(LATE.to_string());
    };
    let status = match agent
        .head(url)
        .config()
        .timeout_global(limit)
        .build()
        .call()
    {
        // Some servers refuse HEAD; ask again with GET.
        Ok(response) if matches!(response.status().as_u16(), 403 | 405 | 501) => {
            let Some(limit) = within() else {
                return Answer::Unknown(LATE.to_string());
            };
            let get = agent.get(url).config().timeout_global(limit).build();
            get.call().map(|r| r.status().as_u16())
        }
        Ok(response) => Ok(response.status().as_u16()),
        Err(e) => Err(e),
    };
    match status {
        Ok(200..=399) => Answer::Ok,
        Ok(429) => Answer::Unknown("429 Too Many Requests".to_string()),
        Ok(status @ 500..) => Answer::Unknown(format!("server error {status}")),
        Ok(status) => Answer::Broken(status),
        Err(ureq::Error::Timeout(_)) => Answer::Unknown("no answer in time".to_string()),
        Err(e) => Answer::Unknown(format!("no answer ({e})")),
    }
}

/// `host:port` of a URL, for the per-host limit.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    rest[..end].to_ascii_lowercase()
}

/// Clear answers from earlier runs: one `url<TAB>status<TAB>seconds since 1970` a line, where
/// status is `ok` or the HTTP status that broke it.
#[derive(Debug, Default)]
struct Cache {
    answers: HashMap<String, Answer>,
    /// When each answer was had.
    fresh: HashMap<String, u64>,
}

impl Cache {
    /// The answers younger than `ttl`; an unreadable cache is an empty one.
    fn read(path: &std::path::Path, now: u64, ttl: Duration) -> Cache {
        let mut cache = Cache::default();
        let text = std::fs::read_to_string(path).unwrap_or_default();
        for line in text.lines() {
            let mut fields = line.split('\t');
            let (Some(url), Some(status), Some(when)) =
                (fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let Ok(when) = when.parse::<u64>() else {
                continue;
            };
            if now.saturating_sub(when) >= ttl.as_secs() {
                continue;
            }
            let answer = match status {
                "ok" => Answer::Ok,
                code => match code.parse() {
                    Ok(code) => Answer::Broken(code),
                    Err(_) => continue,
                },
            };
            cache.answers.insert(url.to_string(), answer);
            cache.fresh.insert(url.to_string(), when);
        }
        cache
    }

    fn write(&self, path: &std::path::Path) -> std::io::Result<()> {
        let mut lines: Vec<String> = self
            .answers
            .iter()
            .filter_map(|(url, answer)| {
                let status = match answer {
                    Answer::Ok => "ok".to_string(),
                    Answer::Broken(code) => code.to_string(),
                    Answer::Unknown(_) => return None,
                };
                Some(format!("{url}\t{status}\t{}\n", self.fresh.get(url)?))
            })
            .collect();
        lines.sort();
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, lines.concat())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_keeps_to_the_per_host_limit() {
        let mut queue = Queue::default();
        for url in ["http://a/1", "http://a/2", "http://a/3", "http://b/1"] {
            queue
                .pending
                .entry(host_of(url))
                .or_default()
                .push_back(url.to_string());
        }
        let taken: Vec<String> = (0..3)
            .filter_map(|_| queue.take(2).ok())
            .map(|(_, u)| u)
            .collect();
        assert_eq!(taken, ["http://a/1", "http://a/2", "http://b/1"]);
        assert_eq!(queue.take(2), Err(true));
        *queue.busy.entry("a".to_string()).or_default() -= 1;
        assert_eq!(queue.take(2).map(|(_, u)| u), Ok("http://a/3".to_string()));
        assert_eq!(queue.take(2), Err(false));
    }

    #[test]
    fn the_default_deadline_is_a_minute_or_twice_one_links_every_try() {
        let secs = |s| Duration::from_secs(s);
        assert_eq!(default_deadline(secs(2), 2), secs(60));
        assert_eq!(default_deadline(secs(30), 2), secs(180));
    }

    #[test]
    fn the_cache_keeps_clear_answers_until_they_expire() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("links.tsv");
        let mut cache = Cache::default();
        cache.answers.insert("http://a/".into(), Answer::Ok);
        cache
            .answers
            .insert("http://b/".into(), Answer::Broken(404));
        cache
            .answers
            .insert("http://c/".into(), Answer::Unknown("x".into()));
        for url in ["http://a/", "http://b/", "http://c/"] {
            cache.fresh.insert(url.into(), 1000);
        }
        cache.write(&path).unwrap();
        let ttl = Duration::from_secs(100);
        let read = Cache::read(&path, 1050, ttl);
        assert_eq!(read.answers.get("http://a/"), Some(&Answer::Ok));
        assert_eq!(read.answers.get("http://b/"), Some(&Answer::Broken(404)));
        assert_eq!(read.answers.get("http://c/"), None);
        assert!(Cache::read(&path, 1100, ttl).answers.is_empty());
    }
}
