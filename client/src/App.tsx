import { Component, lazy, Suspense, type ReactNode } from "react";
import { NoticeBanner, ReplacedBanner, VersionBanner } from "./components/Banners";
import { Announcer } from "./components/Announcer";
import { Footer } from "./components/Footer";
import { Header } from "./components/Header";
import { useGame } from "./context";
import { useViewChanges } from "./hooks";
import { codeFromPath, tvCodeFromPath } from "./lib/route";
import { Home } from "./screens/Home";
import { Room } from "./screens/Room";

// The big screen is its own chunk (and the QR encoder with it): phones never load it.
const TvScreen = lazy(() => import("./screens/Tv"));
// Read once: the client rewrites the address bar for members, never for a screen.
const tvCode = tvCodeFromPath(window.location.pathname);

/** The TV chunk could not be fetched (a deploy replaced it, the network dropped): say so. */
export class ChunkFailed extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="tv-status" id="main">
        <h1>This screen could not load.</h1>
        <button type="button" className="btn btn-primary btn-large" onClick={() => window.location.reload()}>
          Reload
        </button>
      </main>
    );
  }
}

export function App() {
  if (tvCode) {
    return (
      <ChunkFailed>
        <Suspense fallback={<p className="tv-loading">Opening room {tvCode}…</p>}>
          <TvScreen code={tvCode} />
          <Announcer />
        </Suspense>
      </ChunkFailed>
    );
  }
  return <MemberApp />;
}

function MemberApp() {
  const { state } = useGame();
  useViewChanges(state.stage === "room" ? state.view : null);
  const inRoom = state.stage === "room" && state.view;
  const resuming = state.stage === "entering" ? state.resuming : null;
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to the game
      </a>
      <Header />
      <div className="banners">
        <ReplacedBanner />
        <VersionBanner />
        <NoticeBanner />
      </div>
      <main id="main" className={state.replaced ? "main is-inert" : "main"} tabIndex={-1} inert={!!state.replaced}>
        {inRoom ? (
          <Room view={state.view!} />
        ) : resuming ? (
          <div className="card centered" role="status">
            <span className="spinner" aria-hidden="true" /> Rejoining room {resuming}…
          </div>
        ) : (
          <Home inviteCode={codeFromPath(window.location.pathname)} />
        )}
      </main>
      <Footer />
      <Announcer />
    </div>
  );
}
