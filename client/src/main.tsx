import { StrictMode, useEffect, useMemo, useSyncExternalStore } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { GameContext } from "./context";
import { GameClient } from "./lib/client";
import { codeFromPath } from "./lib/route";
import { sounds } from "./lib/sound";
import { createStore } from "./lib/store";
import { saved } from "./lib/storage";
import { watchVisualViewport } from "./lib/viewport";
import "./styles.css";

const store = createStore();
const client = new GameClient(store.dispatch);

// A reload or a shared link: sit back down if this browser holds a seat in that room.
const startCode = codeFromPath(window.location.pathname);
if (startCode && saved.seat(startCode)) void client.resume(startCode);

// The on-screen keyboard: keep the guessing screen above it (lib/viewport.ts).
watchVisualViewport();

// Audio may only start after a gesture.
window.addEventListener("pointerdown", () => sounds.unlock(), { once: true });
window.addEventListener("keydown", () => sounds.unlock(), { once: true });

function Root() {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  // The latest view, read-only, for the end-to-end tests (and curious players).
  useEffect(() => {
    (window as unknown as { __imprompt?: unknown }).__imprompt = { view: state.view, stage: state.stage, connection: state.connection };
  }, [state.view, state.stage, state.connection]);
  const value = useMemo(() => ({ state, api: client, dispatch: store.dispatch }), [state]);
  return (
    <GameContext.Provider value={value}>
      <App />
    </GameContext.Provider>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
