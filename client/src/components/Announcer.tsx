import { useEffect, useState } from "react";
import { onAnnounce, type Announcement } from "../lib/announce";

/** The page's ARIA live regions: polite for most news, assertive for the last seconds. */
export function Announcer() {
  const [polite, setPolite] = useState<Announcement[]>([]);
  const [urgent, setUrgent] = useState<Announcement[]>([]);
  useEffect(
    () =>
      onAnnounce((a) => {
        const keep = (list: Announcement[]) => [...list.slice(-2), a];
        if (a.urgent) setUrgent(keep);
        else setPolite(keep);
      }),
    [],
  );
  return (
    <>
      <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="false" data-testid="announcer">
        {polite.map((a) => (
          <p key={a.id}>{a.text}</p>
        ))}
      </div>
      <div className="visually-hidden" aria-live="assertive" aria-atomic="false">
        {urgent.map((a) => (
          <p key={a.id}>{a.text}</p>
        ))}
      </div>
    </>
  );
}
