import { describe, expect, it } from "vitest";
import { ClockSync, displaySeconds, formatSeconds, steadySeconds } from "./clock";

describe("ClockSync", () => {
  it("takes the fastest sample: the largest serverTime - receivedAt", () => {
    const c = new ClockSync(() => 1000);
    // true offset +5 s; travel times 0.30, 0.05 and 0.20 s
    c.sample(1005 - 0.3, 1000);
    c.sample(1005 - 0.05, 1000);
    c.sample(1005 - 0.2, 1000);
    expect(c.skew).toBeCloseTo(4.95, 5);
    expect(c.now()).toBeCloseTo(1004.95, 5);
  });

  it("does not move when a slower sample arrives, so countdowns hold still", () => {
    const c = new ClockSync(() => 0);
    c.sample(10.0, 9.9);
    const before = c.skew;
    for (let i = 0; i < 10; i++) c.sample(10 + i, 9.95 + i - (i % 3) * 0.01); // slower, jittery
    expect(c.skew).toBe(before);
  });

  it("starts over after a clock jump", () => {
    const c = new ClockSync(() => 0);
    c.sample(100, 100);
    c.sample(100, 160); // the local clock jumped a minute ahead
    expect(c.skew).toBeCloseTo(-60);
  });

  it("ignores a missing server time", () => {
    const c = new ClockSync(() => 0);
    c.sample(Number.NaN, 0);
    expect(c.skew).toBe(0);
  });

  it("counts down to a server deadline with the skew applied", () => {
    let local = 1000;
    const c = new ClockSync(() => local);
    c.sample(2000, 1000); // the server runs 1000 s ahead
    expect(c.remaining(2045)).toBeCloseTo(45);
    local += 10;
    expect(c.remaining(2045)).toBeCloseTo(35);
    local += 100;
    expect(c.remaining(2045)).toBe(0);
  });
});

describe("countdown display", () => {
  it("rounds up to whole seconds and never goes below zero", () => {
    expect(displaySeconds(44.2)).toBe(45);
    expect(displaySeconds(45)).toBe(45);
    expect(displaySeconds(0.01)).toBe(1);
    expect(displaySeconds(0)).toBe(0);
    expect(displaySeconds(-3)).toBe(0);
  });

  it("never goes back up for the same deadline", () => {
    let prev: { deadline: number; shown: number } | null = null;
    const shown: number[] = [];
    for (const s of [10, 9, 10, 9, 8, 9, 7]) {
      const n = steadySeconds(prev, 100, s);
      prev = { deadline: 100, shown: n };
      shown.push(n);
    }
    expect(shown).toEqual([10, 9, 9, 9, 8, 8, 7]);
  });

  it("starts afresh for a new deadline", () => {
    expect(steadySeconds({ deadline: 100, shown: 3 }, 200, 45)).toBe(45);
  });

  it("formats minutes", () => {
    expect(formatSeconds(59)).toBe("59");
    expect(formatSeconds(60)).toBe("1:00");
    expect(formatSeconds(125)).toBe("2:05");
  });
});
