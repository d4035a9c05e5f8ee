import { buildSchema, introspectionFromSchema } from "graphql";
import sdl from "../../../api/schema.graphql?raw";

/**
 * The API's schema, bundled: introspection is off in production, so the adapter gets the
 * introspection result built here from the committed SDL instead of asking the server.
 */
export const introspectionSchema = introspectionFromSchema(buildSchema(sdl)).__schema;
