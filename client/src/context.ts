import { createContext, useContext, type Dispatch } from "react";
import type { Api } from "./lib/client";
import type { Action, State } from "./lib/state";

export interface GameContextValue {
  state: State;
  api: Api;
  dispatch: Dispatch<Action>;
}

export const GameContext = createContext<GameContextValue | null>(null);

export function useGame(): GameContextValue {
  const value = useContext(GameContext);
  if (!value) throw new Error("useGame outside <GameContext.Provider>");
  return value;
}
