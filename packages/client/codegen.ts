import type { CodegenConfig } from "@graphql-codegen/cli";

// Scalars as the wire carries them: ISO strings and plain JSON objects.
const scalars = { DateTimeISO: "string", JSONObject: "Record<string, unknown>" };

// Types come from the API's committed schema, so an API change shows up here in review.
const config: CodegenConfig = {
  schema: "../../apps/api/schema.graphql",
  documents: "src/operations/**/*.graphql",
  generates: {
    // typescript-operations 6 emits the enums its operations use by itself; with the `typescript`
    // plugin in the same file they would be declared twice, so the schema's types get a file of their own.
    "src/generated/schema.ts": {
      plugins: ["typescript"],
      config: { scalars, enumsAsTypes: true, useTypeImports: true },
    },
    "src/generated/graphql.ts": {
      plugins: ["typescript-operations", "typed-document-node"],
      config: {
        scalars,
        enumType: "string-literal",
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
        skipTypename: true,
      },
    },
  },
};

export default config;
