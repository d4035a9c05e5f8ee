export * from "./model.js";
export * from "./catalog.js";
export * from "./cells.js";
export * from "./judge.js";
export * from "./outcomes.js";
export * from "./plan.js";
