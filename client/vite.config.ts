import { defineConfig } from "vitest/config";

// The Python server serves dist/index.html at / and /r/<CODE>, and dist/assets at /assets.
// In development, `npm run dev` proxies the socket and the API to a server on :5000.
const server = process.env.IMPROMPT_SERVER ?? "http://127.0.0.1:5000";

export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    assetsDir: "assets",
    target: "es2022",
    sourcemap: false,
  },
  server: {
    proxy: {
      "/socket.io": { target: server, ws: true },
      "/api": server,
      "/images": server,
    },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
    pool: "threads",
    maxWorkers: 1,
    fileParallelism: false,
  },
});
