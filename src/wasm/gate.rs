//! One login at a time in a page, and no API call while one runs.
//!
//! In a browser every client of the page shares the browser's cookies. On Kubeflow 1.8 and
//! 1.9.0 the login's CSRF cookie has a fixed name (`oidc_state_csrf`, `oauth2_proxy_kubeflow_csrf`,
//! `research/dex-login-flows.md` §2.3, §4): a second login, or an API call the gateway answers by
//! starting one, replaces it and the first login's callback fails. So in browsers each login (and
//! the sign-in probe) takes a [`Ticket`] in one module-wide queue, and each API call waits until
//! the queue is empty ([`idle`]) before it is sent. Node clients have a jar each and skip this.

use std::cell::RefCell;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

use crate::wasm::error::Fail;
use crate::wasm::fetch;

thread_local! {
    /// The promise of the last ticket taken; it resolves when that ticket is dropped.
    static TAIL: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// A place in the login queue, taken synchronously; released when dropped.
pub struct Ticket {
    before: Option<Promise>,
    mine: Promise,
    release: Option<Function>,
}

/// Takes the next place in the queue.
pub fn enter() -> Ticket {
    let mut release = None;
    let mine = Promise::new(&mut |resolve, _reject| release = Some(resolve));
    let before = TAIL.with(|t| t.replace(Some(mine.clone())));
    Ticket {
        before,
        mine,
        release,
    }
}

impl Ticket {
    /// Waits until every ticket taken before this one is released.
    ///
    /// # Errors
    /// `KFP_ABORTED` when `signal` aborts first (the place is released with the ticket).
    pub async fn wait(&self, signal: Option<&JsValue>, url: &str) -> Result<(), Fail> {
        match &self.before {
            Some(before) => fetch::until_aborted(before, signal, url).await.map(|_| ()),
            None => Ok(()),
        }
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if let Some(resolve) = self.release.take() {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
        TAIL.with(|t| {
            let mut tail = t.borrow_mut();
            let last = tail.as_ref().is_some_and(|p| same(p, &self.mine));
            if last {
                *tail = None;
            }
        });
    }
}

fn same(a: &Promise, b: &Promise) -> bool {
    let a: &JsValue = a.as_ref();
    let b: &JsValue = b.as_ref();
    a == b
}

/// Waits until no login is queued or running.
///
/// # Errors
/// `KFP_ABORTED` when `signal` aborts first.
pub async fn idle(signal: Option<&JsValue>, url: &str) -> Result<(), Fail> {
    // Each round waits for the last ticket; a login queued meanwhile makes another round.
    for _ in 0..64 {
        let Some(tail) = TAIL.with(|t| t.borrow().clone()) else {
            return Ok(());
        };
        fetch::until_aborted(&tail, signal, url).await?;
        let unchanged = TAIL.with(|t| t.borrow().as_ref().is_some_and(|p| same(p, &tail)));
        if unchanged {
            return Ok(());
        }
    }
    Ok(())
}
