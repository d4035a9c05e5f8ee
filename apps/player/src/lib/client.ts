import { createLaurelClient } from "@laurel/client";

const TOKEN_KEY = "laurel.player.token";

/** The app's one client: the API on this page's own origin, the token kept across reloads. */
export const client = createLaurelClient({
  url: "/graphql",
  token: localStorage.getItem(TOKEN_KEY),
  onTokenChange: (token) => {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  },
});
