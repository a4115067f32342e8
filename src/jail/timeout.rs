//! A per-call time limit for jailed Rust functions.
//!
//! A jail with a timeout keeps a small pool of worker threads. A call takes an idle worker
//! (or starts one), hands it the input and waits at most the limit. A call that does not
//! return in time is recorded as [`Outcome::Timeout`]; its worker is abandoned (a thread
//! cannot be killed) and never reused, so one hung case never blocks the others.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use super::{JailedFn, Outcome, panic::call_silently};

type Job<I, O> = (I, mpsc::Sender<Outcome<O>>);

/// A thread that runs jailed calls one after another.
pub(crate) struct Worker<I, O> {
    jobs: mpsc::Sender<Job<I, O>>,
}

/// Idle workers of one jail.
pub(crate) type Pool<I, O> = Arc<Mutex<Vec<Worker<I, O>>>>;

fn spawn_worker<I, O>(f: JailedFn<I, O>) -> Worker<I, O>
where
    I: Send + 'static,
    O: Send + 'static,
{
    let (jobs, rx) = mpsc::channel::<Job<I, O>>();
    let spawned = thread::Builder::new()
        .name("kaizen-jail".into())
        .spawn(move || {
            for (input, reply) in rx {
                let outcome = call_silently(&*f, input);
                if reply.send(outcome).is_err() {
                    break;
                }
            }
        });
    if let Err(e) = spawned {
        panic!("kaizen could not start a worker thread: {e}");
    }
    Worker { jobs }
}

/// Formats a duration the way snapshots and reports show it: `250ms`, `2s`, `1.5s`.
pub(crate) fn show_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms}ms")
    } else if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// Calls `f(input)` on a worker from `pool`, waiting at most `limit`.
pub(crate) fn call_with_timeout<I, O>(
    f: &JailedFn<I, O>,
    pool: &Pool<I, O>,
    input: I,
    limit: Duration,
) -> Outcome<O>
where
    I: Send + 'static,
    O: Send + 'static,
{
    let idle = pool.lock().unwrap_or_else(|p| p.into_inner()).pop();
    let worker = idle.unwrap_or_else(|| spawn_worker(Arc::clone(f)));
    let (reply, answer) = mpsc::channel();
    let worker = match worker.jobs.send((input, reply)) {
        Ok(()) => worker,
        Err(mpsc::SendError((input, reply))) => {
            // That worker has gone away; a fresh one takes the job.
            let fresh = spawn_worker(Arc::clone(f));
            if fresh.jobs.send((input, reply)).is_err() {
                return Outcome::Panicked("kaizen: the jail's worker thread stopped".into());
            }
            fresh
        }
    };
    match answer.recv_timeout(limit) {
        Ok(outcome) => {
            pool.lock().unwrap_or_else(|p| p.into_inner()).push(worker);
            outcome
        }
        Err(_) => Outcome::Timeout(show_duration(limit)),
    }
}
