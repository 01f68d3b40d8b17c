import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { closedReason, friendlyError, knownErrorCodes, seatIsGone } from "./errors";

// Every code in the protocol document's error table, read from the document itself.
const doc = readFileSync(resolve(process.cwd(), "..", "docs", "protocol.md"), "utf8");
const section = doc.slice(doc.indexOf("## Error codes"));
// the table's rows only, up to the next section (notes under it quote frames and log lines)
const table = section
  .slice(0, section.indexOf("\n## ", 1) > 0 ? section.indexOf("\n## ", 1) : undefined)
  .split("\n")
  .filter((line) => line.startsWith("| `"))
  .join("\n");
const documented = [...table.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]).filter((c) => c !== "error" && !c.includes("retryAfter"));

describe("error messages", () => {
  it("has a friendly message for every documented error code", () => {
    expect(documented.length).toBeGreaterThan(20);
    const known = new Set(knownErrorCodes());
    expect(documented.filter((c) => !known.has(c))).toEqual([]);
  });

  it("speaks plainly about the common ones", () => {
    const say = (code: string) => friendlyError({ code, message: "raw" });
    expect(say("room_not_found")).toMatch(/no room with that code/i);
    expect(say("room_full")).toMatch(/full/);
    expect(say("name_taken")).toMatch(/already has that name/);
    expect(say("kicked")).toMatch(/removed/);
    expect(say("room_closed")).toMatch(/closed/);
  });

  it("tells how long to wait when rate limited", () => {
    expect(friendlyError({ code: "rate_limited", message: "", retryAfter: 0.4 })).toBe("Slow down a little: try again in 1 second.");
    expect(friendlyError({ code: "rate_limited", message: "", retryAfter: 2.2 })).toBe("Slow down a little: try again in 3 seconds.");
    expect(friendlyError({ code: "rate_limited", message: "" })).toBe("Slow down a little.");
  });

  it("keeps the server's detail where it helps", () => {
    expect(friendlyError({ code: "prompt_invalid", message: "Use at most 5 words (you used 6)." })).toBe("Use at most 5 words (you used 6).");
    expect(friendlyError({ code: "invalid_settings", message: "rounds must be 1–10" })).toBe("rounds must be 1–10");
  });

  it("falls back to the server's message for an unknown code", () => {
    expect(friendlyError({ code: "brand_new", message: "Something new." })).toBe("Something new.");
    expect(friendlyError(null)).toMatch(/went wrong/);
  });

  it("knows which errors end a stored seat", () => {
    expect(seatIsGone("token_invalid")).toBe(true);
    expect(seatIsGone("room_closed")).toBe(true);
    expect(seatIsGone("rate_limited")).toBe(false);
    expect(seatIsGone("timeout")).toBe(false);
  });

  it("explains why a room closed", () => {
    expect(closedReason("finished")).toMatch(/game ended/);
    expect(closedReason("abandoned")).toMatch(/everyone left/);
    expect(closedReason("empty")).toMatch(/empty/);
    expect(closedReason("lost")).toMatch(/lost this room/);
  });
});
