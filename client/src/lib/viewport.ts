// The visual viewport (issue 15 item 17): on a phone the on-screen keyboard shrinks it
// while the layout viewport stays tall, so `100dvh` still counts the part under the
// keyboard. The page gets `--vvh` (the visible height) and, while someone types with
// little room left, the class `kb-open`: the guessing screen then shrinks the picture
// so that it, the timer and the guess box all sit above the keyboard.

/** Below this visible height, typing on a narrow screen means the keyboard is open. */
export const KEYBOARD_HEIGHT = 600;
const NARROW = 760;

function typing(doc: Document): boolean {
  const el = doc.activeElement;
  return !!el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA");
}

export function watchVisualViewport(win: Window = window): () => void {
  const doc = win.document;
  const root = doc.documentElement;
  let wasOpen = false;
  let frame = 0;

  function update() {
    frame = 0;
    const vv = win.visualViewport;
    const height = vv ? vv.height : win.innerHeight;
    root.style.setProperty("--vvh", `${Math.round(height)}px`);
    const open = typing(doc) && height < KEYBOARD_HEIGHT && win.innerWidth < NARROW;
    root.classList.toggle("kb-open", open);
    if (open && !wasOpen) keepStageInView(win);
    wasOpen = open;
  }

  const schedule = () => {
    if (!frame) frame = win.requestAnimationFrame(update);
  };
  update();
  const vv = win.visualViewport;
  vv?.addEventListener("resize", schedule);
  vv?.addEventListener("scroll", schedule);
  win.addEventListener("resize", schedule);
  doc.addEventListener("focusin", schedule);
  doc.addEventListener("focusout", schedule);
  return () => {
    vv?.removeEventListener("resize", schedule);
    vv?.removeEventListener("scroll", schedule);
    win.removeEventListener("resize", schedule);
    doc.removeEventListener("focusin", schedule);
    doc.removeEventListener("focusout", schedule);
    if (frame) win.cancelAnimationFrame(frame);
  };
}

/** With the keyboard just opened, scroll the guessing screen's top under the sticky header. */
function keepStageInView(win: Window) {
  const stage = win.document.querySelector<HTMLElement>(".phase-guessing");
  if (!stage) return;
  const header = win.document.querySelector<HTMLElement>(".topbar")?.offsetHeight ?? 0;
  const top = stage.getBoundingClientRect().top + win.scrollY - header - 8;
  win.scrollTo({ top: Math.max(0, top), behavior: "instant" as ScrollBehavior });
}
