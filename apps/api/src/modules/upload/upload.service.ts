import { createHash } from "node:crypto";
import { schema } from "@laurel/db";
import { eq } from "drizzle-orm";
import { fileTypeFromBuffer } from "file-type";
import type { AppServices } from "../../context.js";
import { invalid } from "../../errors.js";
import type { Viewer } from "../../lib/viewer.js";
import { isGlobalAdmin } from "../../lib/viewer.js";

const { uploads } = schema;

/** Raster images only: an SVG can carry script, so it is refused whatever it calls itself. */
export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"] as const;
export const MAX_UPLOAD_BYTES = 512 * 1024;

export type StoredUpload = { id: string; url: string; contentType: string; byteSize: number };

/**
 * Stores an uploaded badge image after checking its bytes: the type is read from the content (magic
 * numbers), never taken from the client, and must be one of the raster types; the size is capped.
 */
export async function storeUpload(
  app: AppServices,
  viewer: Viewer,
  data: Buffer,
  claimedType: string,
): Promise<StoredUpload> {
  if (data.length === 0) throw invalid("file", "file_required", "Choose an image to upload");
  if (data.length > MAX_UPLOAD_BYTES)
    throw invalid("file", "file_too_large", `Images are at most ${MAX_UPLOAD_BYTES / 1024} KB`);
  const detected = await fileTypeFromBuffer(data);
  if (!detected || !(IMAGE_TYPES as readonly string[]).includes(detected.mime)) {
    throw invalid("file", "image_type", `Upload a PNG, JPEG, WebP or GIF image`);
  }
  if (
    claimedType &&
    claimedType !== detected.mime &&
    !(claimedType === "image/jpg" && detected.mime === "image/jpeg")
  ) {
    throw invalid("file", "image_type_mismatch", `The file says ${claimedType} but is ${detected.mime}`);
  }
  const [row] = await app.db
    .insert(uploads)
    .values({
      organizationId: isGlobalAdmin(viewer) ? null : viewer.organizationId,
      contentType: detected.mime,
      byteSize: data.length,
      sha256: createHash("sha256").update(data).digest("hex"),
      data,
      createdById: viewer.kind === "user" ? viewer.userId : null,
    })
    .returning({ id: uploads.id, contentType: uploads.contentType, byteSize: uploads.byteSize });
  return { ...row!, url: `/uploads/${row!.id}` };
}

export async function findUpload(app: AppServices, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const [row] = await app.db.select().from(uploads).where(eq(uploads.id, id));
  return row;
}
