import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/style.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

// Same origin as the page: the API serves both, so the playground works with no internet access.
const fetcher = createGraphiQLFetcher({ url: new URL("/graphql", window.location.href).toString() });

const defaultQuery = `# Welcome to Laurel's GraphQL playground.
#
# Sign in first, then put the token in the Headers tab:
#   { "Authorization": "Bearer <token>" }
#
# mutation {
#   login(email: "admin@laurel.local", password: "...") { token }
# }

query Health {
  health {
    status
    database
  }
}
`;

const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");

createRoot(root).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} defaultQuery={defaultQuery} />
  </StrictMode>,
);
