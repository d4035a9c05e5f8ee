import { customType, index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { users } from "./access.js";
import { createdAt, id } from "./columns.js";
import { organizations } from "./organization.js";

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  // PGlite gives a Uint8Array, postgres.js a Buffer.
  fromDriver: (value) => Buffer.from(value),
});

/**
 * Uploaded images (badge icons), in the database so every API process serves them and a backup holds
 * them. Only raster images whose bytes were checked, never what the client claimed.
 */
export const uploads = pgTable(
  "uploads",
  {
    id: id(),
    organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "cascade" }),
    contentType: text("content_type").notNull(),
    byteSize: integer("byte_size").notNull(),
    sha256: text("sha256").notNull(),
    data: bytea("data").notNull(),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("uploads_org_idx").on(t.organizationId)],
);
