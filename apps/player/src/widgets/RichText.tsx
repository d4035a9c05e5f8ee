import DOMPurify from "dompurify";
import { useMemo } from "react";

/**
 * What a description may hold: the formatting the admin panel's editor (ra-input-rich-text) writes, and
 * nothing that runs, loads or restyles the page. Tags and attributes off this list are dropped (their
 * text kept); `<script>`, `<style>`, `<img>`, `<iframe>`, event handlers and `javascript:` links go whole.
 */
const ALLOWED_TAGS = [
  "p",
  "br",
  "strong",
  "b",
  "em",
  "i",
  "u",
  "s",
  "code",
  "pre",
  "blockquote",
  "ul",
  "ol",
  "li",
  "a",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "span",
  "mark",
  "hr",
];
const ALLOWED_ATTR = ["href", "title"];

// A link in a description opens apart from the app and tells the other site nothing of it.
DOMPurify.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "A") {
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer");
  }
});

/** A description's HTML, kept to the allowed set. Plain text (from API clients) comes out as it went in. */
export function sanitizeDescription(html: string): string {
  return DOMPurify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR });
}

/**
 * A rich-text description (an achievement's, from the admin panel's editor: HTML such as `<p>hi</p>`),
 * shown formatted and sanitized. Every place that shows a description uses this, never the raw string.
 */
export function RichText({ html, className }: { html: string; className?: string }) {
  const clean = useMemo(() => sanitizeDescription(html), [html]);
  return (
    <div
      className={className ? `rich-text ${className}` : "rich-text"}
      data-testid="rich-text"
      dangerouslySetInnerHTML={{ __html: clean }}
    />
  );
}
