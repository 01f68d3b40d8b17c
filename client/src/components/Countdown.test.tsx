import { act, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clock } from "../lib/clock";
import { GameContext } from "../context";
import { initialState, type Connection } from "../lib/state";
import { fakeApi, renderWith } from "../test/render";
import { Countdown } from "./Countdown";

describe("Countdown", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date(1_000_000 * 1000));
  });
  afterEach(() => vi.useRealTimers());

  it("counts down to the server deadline, corrected for the skew, without jumping back", () => {
    // The server's clock is 30 s ahead of ours; the message took 0.2 s.
    clock.sample(1_000_030 - 0.2);
    const deadline = 1_000_030 + 45;
    renderWith(<Countdown deadline={deadline} total={45} label="Time to guess" />);
    const timer = () => screen.getByRole("timer").getAttribute("aria-label");
    expect(timer()).toBe("Time to guess: 46 seconds"); // 45.2 s left, rounded up
    act(() => vi.advanceTimersByTime(1000));
    expect(timer()).toBe("Time to guess: 45 seconds");
    // A slower sample (more latency) arrives: the estimate and the number hold still.
    clock.sample(1_000_031 - 0.9);
    act(() => vi.advanceTimersByTime(100));
    expect(timer()).toBe("Time to guess: 45 seconds");
    act(() => vi.advanceTimersByTime(60_000));
    expect(timer()).toBe("Time to guess: 0 seconds");
  });

  it("stands still while paused", () => {
    renderWith(<Countdown deadline={null} paused pausedRemaining={12.3} total={45} label="Time to write" />);
    expect(screen.getByRole("timer").getAttribute("aria-label")).toBe("Time to write: 13 seconds, paused");
    act(() => vi.advanceTimersByTime(5000));
    expect(screen.getByRole("timer").getAttribute("aria-label")).toBe("Time to write: 13 seconds, paused");
  });

  it("holds its number and says paused while the socket is down, then carries on", () => {
    clock.sample(1_000_000);
    const deadline = 1_000_000 + 52;
    const { api } = fakeApi();
    const at = (connection: Connection) => (
      <GameContext.Provider value={{ state: { ...initialState, stage: "room", connection }, api, dispatch: vi.fn() }}>
        <Countdown deadline={deadline} total={60} label="Time to guess" />
      </GameContext.Provider>
    );
    const timer = () => screen.getByRole("timer").getAttribute("aria-label");
    const { rerender, container } = render(at("online"));
    expect(timer()).toBe("Time to guess: 52 seconds");
    act(() => vi.advanceTimersByTime(2000));
    expect(timer()).toBe("Time to guess: 50 seconds");
    // The server goes away (a restart): 16 s pass on our clock, but not on the server's.
    rerender(at("restarting"));
    act(() => vi.advanceTimersByTime(16_000));
    expect(timer()).toBe("Time to guess: 50 seconds, paused");
    expect(container.querySelector(".countdown-label")?.textContent).toBe("Time to guess (paused)");
    rerender(at("reconnecting"));
    act(() => vi.advanceTimersByTime(10_000));
    expect(timer()).toBe("Time to guess: 50 seconds, paused");
    // Back online with a view whose deadline moved on by the time the server was down.
    rerender(at("online"));
    expect(container.querySelector(".countdown-label")?.textContent).toBe("Time to guess");
  });

  it("shows nothing without a deadline", () => {
    const { container } = renderWith(<Countdown deadline={null} total={45} label="x" />);
    expect(container.textContent).toBe("");
  });
});
