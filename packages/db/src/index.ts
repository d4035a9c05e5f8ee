export * from "./client.js";
export * from "./migrate.js";
export * as schema from "./schema/index.js";
export * from "./json-rows.js";
export * from "./statement.js";
