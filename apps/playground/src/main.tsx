import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/style.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

// Same origin as the page: the API serves both, so the playground works with no internet access.
// Subscriptions go over a WebSocket on the same path; the Headers tab becomes its connection parameters.
const http = new URL("/graphql", window.location.href);
const ws = new URL(http);
ws.protocol = http.protocol === "https:" ? "wss:" : "ws:";
const fetcher = createGraphiQLFetcher({ url: http.toString(), subscriptionUrl: ws.toString() });

const defaultQuery = `# Welcome to Laurel's GraphQL playground.
#
# Sign in first, then put the token in the Headers tab:
#   { "Authorization": "Bearer <token>" }
#
# mutation {
#   login(email: "admin@laurel.local", password: "...") { token }
# }
#
# Live events arrive over a WebSocket, with the same header:
#   subscription { myEvents { type occurredAt data } }

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
