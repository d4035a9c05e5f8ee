import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Served by the API under /graphiql/, so every asset is fetched from the API itself.
export default defineConfig({
  base: "/graphiql/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 4000 },
});
