// A handful of line icons, drawn inline so they need no font or file.
const PATHS = {
  soundOn: ["M4 9h4l5-4v14l-5-4H4z", "M16.5 8.5a5 5 0 0 1 0 7", "M19 6a8.5 8.5 0 0 1 0 12"],
  soundOff: ["M4 9h4l5-4v14l-5-4H4z", "M16 9.5l5 5", "M21 9.5l-5 5"],
  copy: ["M9 9h10v11H9z", "M15 9V4H4v11h5"],
  crown: ["M3 8l4.5 4L12 5l4.5 7L21 8l-2 11H5z"],
  check: ["M5 12.5l4.5 4.5L19 7.5"],
  offline: ["M3 3l18 18", "M8.5 16.5a5 5 0 0 1 7 0", "M5 13a10 10 0 0 1 4-2.3", "M12.5 10.1A10 10 0 0 1 19 13", "M2 9.5a15 15 0 0 1 4.2-2.7", "M10.7 5.1A15 15 0 0 1 22 9.5"],
  send: ["M4 12l16-8-6 16-2.5-6.5z", "M11.5 13.5L20 4"],
  pen: ["M4 20l4.5-1L19 8.5 15.5 5 5 15.5z", "M13.5 7l3.5 3.5"],
  eye: ["M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z", "M12 9a3 3 0 1 1 0 6 3 3 0 0 1 0-6z"],
  trophy: ["M8 4h8v6a4 4 0 0 1-8 0z", "M8 6H5a3 3 0 0 0 3.5 4", "M16 6h3a3 3 0 0 1-3.5 4", "M12 14v4", "M8 20h8"],
  download: ["M12 4v11", "M7 10.5l5 5 5-5", "M5 20h14"],
  link: ["M10 14a4 4 0 0 0 5.7 0l3-3A4 4 0 0 0 13 5.3l-1 1", "M14 10a4 4 0 0 0-5.7 0l-3 3A4 4 0 0 0 11 18.7l1-1"],
  sparkle: ["M12 3l1.8 5.2L19 10l-5.2 1.8L12 17l-1.8-5.2L5 10l5.2-1.8z", "M19 16l.7 1.8 1.8.7-1.8.7L19 21l-.7-1.8-1.8-.7 1.8-.7z"],
  leave: ["M14 4h5v16h-5", "M10 8l-4 4 4 4", "M6 12h10"],
  play: ["M7 5l12 7-12 7z"],
  chat: ["M4 5h16v11H9l-5 4z"],
  clock: ["M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18z", "M12 7v5l3 2"],
  refresh: ["M20 11a8 8 0 1 0-2.3 5.7", "M20 5v6h-6"],
  users: ["M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z", "M3 20a6 6 0 0 1 12 0", "M16 4.5a3.5 3.5 0 0 1 0 6.5", "M18 14a6 6 0 0 1 3 6"],
  x: ["M6 6l12 12", "M18 6L6 18"],
  tv: ["M3 5h18v12H3z", "M8 21h8", "M12 17v4"],
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 20, className }: { name: IconName; size?: number; className?: string }) {
  return (
    <svg
      className={className ? `icon ${className}` : "icon"}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {PATHS[name].map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}
