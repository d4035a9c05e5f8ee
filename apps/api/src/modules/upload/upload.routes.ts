import type { Permission } from "@laurel/engine";
import type { Express, RequestHandler, Response } from "express";
import multer from "multer";
import { createContext, type AppServices } from "../../context.js";
import { Forbidden, invalid, Unauthenticated, ValidationFailed } from "../../errors.js";
import type { Logger } from "../../logger.js";
import { findUpload, MAX_UPLOAD_BYTES, storeUpload } from "./upload.service.js";

const MAY_UPLOAD: Permission[] = ["create:achievementDefinitions", "update:achievementDefinitions"];

/**
 * `POST /uploads` (multipart, field `file`): a badge image, for admins who may create or change
 * achievements. `GET /uploads/:id`: the image, with headers that keep a browser from running anything in it.
 */
export function mountUploads(app: Express, services: AppServices): void {
  app.post("/uploads", receiveUpload(services));
  app.get("/uploads/:id", serveUpload(services));
}

/** Stores the uploaded image for a viewer who may change achievements; answers what was stored. */
function receiveUpload(services: AppServices): RequestHandler {
  const receive = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_UPLOAD_BYTES + 1, files: 1, fields: 5 },
  }).single("file");

  return async (req, res) => {
    try {
      const ctx = await createContext(services, req);
      if (!ctx.viewer) throw new Unauthenticated();
      if (!MAY_UPLOAD.some((p) => ctx.viewer!.permissions.has(p))) {
        throw new Forbidden(
          "Uploading badge images needs create:achievementDefinitions",
          MAY_UPLOAD.join(" | "),
        );
      }
      await new Promise<void>((resolve, reject) =>
        receive(req, res, (error?: unknown) => (error ? reject(asUploadError(error)) : resolve())),
      );
      const file = req.file;
      const stored = await storeUpload(
        services,
        ctx.viewer,
        file?.buffer ?? Buffer.alloc(0),
        file?.mimetype ?? "",
      );
      res.status(201).json(stored);
    } catch (error) {
      sendUploadError(res, error, services.logger);
    }
  };
}

/**
 * A refused upload as GraphQL would answer it: the client's errors with their code (401, 403, 400), a
 * file refused by the parser as BAD_USER_INPUT on `file`, anything else logged and masked (500).
 */
function sendUploadError(res: Response, error: unknown, logger: Logger): void {
  const status = error instanceof Unauthenticated ? 401 : error instanceof Forbidden ? 403 : 400;
  if (error instanceof multer.MulterError) {
    const rule = error.code === "LIMIT_FILE_SIZE" ? "file_too_large" : "upload_format";
    res.status(400).json({
      errors: [
        {
          message: error.message,
          extensions: {
            code: "BAD_USER_INPUT",
            issues: [{ field: "file", rule, message: error.message, severity: "error" }],
          },
        },
      ],
    });
    return;
  }
  if (error instanceof Unauthenticated || error instanceof Forbidden || error instanceof ValidationFailed) {
    res.status(status).json({ errors: [{ message: error.message, extensions: error.extensions }] });
    return;
  }
  logger.error("Upload failed", { error: String(error) });
  res.status(500).json({
    errors: [{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } }],
  });
}

/** An uploaded image, served so that a browser never runs it nor guesses another type for it. */
function serveUpload(services: AppServices): RequestHandler<{ id: string }> {
  return async (req, res) => {
    const upload = await findUpload(services, req.params.id);
    if (!upload) {
      res.status(404).type("text").send("Not found");
      return;
    }
    res.setHeader("Content-Type", upload.contentType);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
    res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
    res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
    res.send(upload.data);
  };
}

/**
 * What the multipart parser refuses is the client's malformed request (a form cut off before its end, a
 * broken boundary), never an internal error: multer's own errors keep their codes, the parser's become
 * `upload_format`.
 */
function asUploadError(error: unknown): unknown {
  if (error instanceof multer.MulterError) return error;
  return invalid("file", "upload_format", "The upload is not a complete multipart form");
}
