import { render, screen } from "@testing-library/react";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { Hint } from "./Guessing";

// Issue 15 item 19: a hint word must never break across lines and a revealed letter must sit
// on the line like the blanks. The layout itself is measured in Chromium
// (tests/e2e/test_hint_layout.py); here, the markup and the rules it relies on.

function words() {
  return [...screen.getByTestId("hint").querySelectorAll<HTMLElement>(":scope > .hint-word")];
}

describe("Hint", () => {
  it("renders each word as one row of cells, one cell per character", () => {
    render(<Hint hint={["g_____e", "__'_", "_"]} />);
    const rows = words();
    expect(rows).toHaveLength(3);
    expect(rows.map((w) => w.children.length)).toEqual([7, 4, 1]);
    expect(rows.map((w) => w.style.getPropertyValue("--cells"))).toEqual(["7", "4", "1"]);
    for (const row of rows) {
      for (const cell of row.children) expect(cell).toHaveClass("hint-cell");
      // nothing between the cells where a line could break
      expect([...row.childNodes].every((n) => n.nodeType === Node.ELEMENT_NODE)).toBe(true);
    }
  });

  it("puts a revealed letter in the same kind of cell as a blank, with its text", () => {
    render(<Hint hint={["g_____e", "__'_"]} />);
    const [first, second] = words();
    const cells = [...first.children];
    expect(cells[0]).toHaveClass("hint-cell", "hint-letter", "shown");
    expect(cells[0]).toHaveTextContent("g");
    expect(cells[1]).toHaveClass("hint-cell", "hint-letter");
    expect(cells[1]).not.toHaveClass("shown");
    expect(cells[1]).toBeEmptyDOMElement();
    expect(cells[6]).toHaveTextContent("e");
    expect(second.children[2]).toHaveClass("hint-cell", "hint-sep");
    expect(second.children[2]).toHaveTextContent("'");
  });

  it("is hidden from screen readers, which get the spoken description instead", () => {
    render(<Hint hint={["g_____e"]} />);
    expect(screen.getByTestId("hint")).toHaveAttribute("aria-hidden", "true");
    expect(screen.getByText(/^Hint: 1 word; word 1: 7 letters, g in place 1, e in place 7\.$/)).toBeInTheDocument();
  });

  it("styles every cell with a fixed width, the underline as its border and the letter at its foot", () => {
    const css = readFileSync(resolve(process.cwd(), "src", "styles.css"), "utf8");
    const rule = (selector: string) => {
      const at = css.indexOf(`\n${selector} {`);
      expect(at, `no rule for ${selector}`).toBeGreaterThanOrEqual(0);
      return css.slice(at, css.indexOf("}", at));
    };
    const word = rule(".hint-word");
    expect(word).toMatch(/flex-wrap:\s*nowrap/);
    expect(word).toMatch(/flex:\s*none/);
    const cell = rule(".hint-cell");
    expect(cell).toMatch(/width:\s*var\(--cell\)/);
    expect(cell).toMatch(/flex:\s*none/);
    expect(cell).toMatch(/border-bottom:\s*3px solid/);
    expect(cell).toMatch(/align-items:\s*flex-end/);
    expect(rule(".hint-words")).toMatch(/flex-wrap:\s*wrap/);
  });
});
