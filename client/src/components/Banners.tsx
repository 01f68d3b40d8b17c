import { useGame } from "../context";
import { PROTOCOL_VERSION } from "../protocol";
import { Icon } from "./Icon";

/** "Reconnecting…" while the socket is down (or the server restarts); the client
 * resumes the seat by itself. It sits in the sticky header (see Header). */
export function ConnectionBanner() {
  const { state } = useGame();
  if (state.connection !== "reconnecting" && state.connection !== "restarting") return null;
  const inRoom = state.stage !== "home";
  const text =
    state.connection === "restarting"
      ? "The server is restarting. Your game is saved; reconnecting…"
      : inRoom
        ? "Connection lost. Reconnecting… your seat is kept."
        : "Reconnecting…";
  return (
    <div className="banner banner-warn connection-banner" role="status" data-testid="connection-banner">
      <span className="spinner" aria-hidden="true" />
      <span className="banner-text">{text}</span>
    </div>
  );
}

export function ReplacedBanner() {
  const { state, api } = useGame();
  if (!state.replaced) return null;
  return (
    <div className="banner banner-info" role="alert">
      <span>{state.replaced}</span>
      <button type="button" className="btn btn-primary btn-small" onClick={() => void api.takeOver()}>
        Play here instead
      </button>
    </div>
  );
}

export function VersionBanner() {
  const { state } = useGame();
  if (!state.view || state.view.protocol <= PROTOCOL_VERSION) return null;
  return (
    <div className="banner banner-info" role="alert">
      <span>A newer version of imprompt is out.</span>
      <button type="button" className="btn btn-primary btn-small" onClick={() => window.location.reload()}>
        <Icon name="refresh" size={16} /> Reload
      </button>
    </div>
  );
}

export function NoticeBanner() {
  const { state, dispatch } = useGame();
  const notice = state.notice;
  if (!notice) return null;
  return (
    <div className={`banner ${notice.kind === "error" ? "banner-error" : "banner-info"}`} role="alert" key={notice.id}>
      <span>{notice.text}</span>
      <button type="button" className="btn-icon" onClick={() => dispatch({ type: "dismissNotice" })} aria-label="Dismiss message">
        <Icon name="x" size={18} />
      </button>
    </div>
  );
}
