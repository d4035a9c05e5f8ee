import { GraphQLJSON, GraphQLJSONObject } from "graphql-scalars";

export { GraphQLJSON as JSONScalar, GraphQLJSONObject as JSONObjectScalar };

/** A JSON object of scalars (attribute filters, event attributes): what zod checks them against. */
export type ScalarRecord = Record<string, string | number | boolean>;
