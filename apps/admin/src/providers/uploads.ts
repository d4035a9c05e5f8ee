import { HttpError } from "react-admin";
import { issueMessage, type Issue } from "./errors";
import { authHeaders } from "./token";

export type StoredUpload = { url: string; contentType: string; byteSize: number };

/** POST /uploads (multipart, field "file") with the bearer token; a refusal carries the rule's message. */
export async function uploadBadgeImage(file: File): Promise<StoredUpload> {
  const form = new FormData();
  form.append("file", file);
  const response = await fetch("/uploads", { method: "POST", headers: authHeaders(), body: form });
  const body = (await response.json().catch(() => ({}))) as StoredUpload & {
    errors?: { message: string; extensions?: { issues?: Issue[] } }[];
  };
  if (response.status === 201) return body;
  const first = body.errors?.[0];
  const issue = first?.extensions?.issues?.[0];
  throw new HttpError(
    issue ? issueMessage(issue) : (first?.message ?? "Upload failed"),
    response.status,
    body,
  );
}
