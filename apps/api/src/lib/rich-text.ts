/**
 * What an achievement's `description` is, for client authors: the admin panel writes it with a rich-text
 * editor. The API stores it as given and does not clean it: every client sanitizes before rendering.
 */
export const RICH_TEXT_DESCRIPTION =
  "HTML from a small allowed set (p, br, strong, em, u, s, code, pre, blockquote, ul, ol, li, a href, " +
  "h1-h6, span, mark, hr), as the admin panel's editor writes it, or plain text. Sanitize before " +
  "rendering (e.g. DOMPurify with that list); never insert it as HTML unsanitized.";
