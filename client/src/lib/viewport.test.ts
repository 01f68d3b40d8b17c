import { afterEach, describe, expect, it, vi } from "vitest";
import { watchVisualViewport } from "./viewport";

/** A window whose visual viewport the test sizes, as a phone's keyboard does. */
function phone(height: number) {
  const vv = Object.assign(new EventTarget(), { height, offsetTop: 0 });
  Object.defineProperty(window, "visualViewport", { value: vv, configurable: true });
  Object.defineProperty(window, "innerWidth", { value: 390, configurable: true });
  vi.spyOn(window, "requestAnimationFrame").mockImplementation((cb) => {
    cb(0);
    return 0; // ran at once: nothing pending
  });
  vi.spyOn(window, "scrollTo").mockImplementation(() => undefined);
  return vv;
}

afterEach(() => {
  vi.restoreAllMocks();
  document.body.innerHTML = "";
  document.documentElement.className = "";
});

describe("the visual viewport (issue 15 item 17)", () => {
  it("gives the page its visible height and says when the keyboard is open", () => {
    const vv = phone(844);
    document.body.innerHTML = `<div class="phase-guessing"><input id="g" /></div>`;
    const stop = watchVisualViewport();
    const root = document.documentElement;
    expect(root.style.getPropertyValue("--vvh")).toBe("844px");
    expect(root).not.toHaveClass("kb-open");

    document.getElementById("g")!.focus();
    vv.height = 480;
    vv.dispatchEvent(new Event("resize"));
    expect(root.style.getPropertyValue("--vvh")).toBe("480px");
    expect(root).toHaveClass("kb-open");
    expect(window.scrollTo).toHaveBeenCalled();

    vv.height = 844;
    vv.dispatchEvent(new Event("resize"));
    expect(root).not.toHaveClass("kb-open");
    stop();
  });

  it("a short screen without typing is not a keyboard", () => {
    const vv = phone(480);
    const stop = watchVisualViewport();
    vv.dispatchEvent(new Event("resize"));
    expect(document.documentElement).not.toHaveClass("kb-open");
    stop();
  });
});
