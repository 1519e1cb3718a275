// The traffic views wait while a merchant's file is read and fitted.

/**
 * From the start of a file's read in the 回头客 view to the end of the fit
 * the page asks for right after it, the traffic views' requests wait: a
 * market build (0.2–0.5 s) would otherwise run in this worker while the read
 * waits for the file's bytes, or between the read and the fit, and hold up
 * the merchant's predictions by as much (a tab visited while a file is read:
 * the 1M-line export's e2e test). They run as soon as the fit is done.
 * `release` ends the hold: at the end of the fit, of a read no fit follows,
 * of a newer read, or after FIT_WAIT_MS if the page's fit never comes.
 */
let repeatHold = null;
const FIT_WAIT_MS = 2000, RELEASE_DELAY_MS = 150;
export function holdForRepeat() {
  repeatHold?.release();
  let open;
  const hold = {
    done: new Promise((r) => { open = r; }),
    timer: 0,
    release() {
      clearTimeout(hold.timer);
      if (repeatHold === hold) repeatHold = null;
      // later, in a task of its own: the answer of the call that ends the hold is sent first
      // (in microtasks after this: a waiting market build would run before them), and the page
      // draws the predictions before a market build shares the machine with it (the 1M-line
      // export's e2e test at load 4-6: results drawn in 142-211 ms with the build beside them,
      // 46-52 ms with it RELEASE_DELAY_MS later)
      setTimeout(open, RELEASE_DELAY_MS);
    },
    /** A fit follows: held until it ends, FIT_WAIT_MS at most if it does not come. */
    untilFit() { hold.timer = setTimeout(hold.release, FIT_WAIT_MS); },
  };
  repeatHold = hold;
  return hold;
}
export async function afterRepeat() {
  while (repeatHold) await repeatHold.done;
}

/** The read's hold, if one is on (fitRepeat ends it). */
export const currentHold = () => repeatHold;
