import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Served by the API under /admin/; in development Vite proxies the API's routes to it.
const api = process.env.LAUREL_API_URL ?? "http://127.0.0.1:4000";

export default defineConfig({
  base: "/admin/",
  plugins: [react()],
  server: { proxy: { "/graphql": api, "/uploads": api } },
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 4000 },
});
