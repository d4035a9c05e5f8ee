export * from "./permissions.js";
export * from "./catalog.js";
export * from "./calendar.js";
export * from "./metrics.js";
export * from "./progress.js";
export * from "./summary.js";
export * from "./advantage.js";
export * from "./random.js";
