import { type Issue, ValidationFailed } from "../errors.js";

type PgError = { code?: string; constraint?: string; constraint_name?: string };

/** What a broken constraint means to a client: the field and rule it reports. */
const constraints: Record<string, { field: string; rule: string; message: string }> = {
  organizations_slug_key: { field: "slug", rule: "unique", message: "Another organization has this slug" },
  users_email_key: { field: "email", rule: "unique", message: "Another user has this email" },
  roles_org_key_key: { field: "key", rule: "unique", message: "Another role has this key" },
  activity_types_org_slug_key: {
    field: "slug",
    rule: "unique",
    message: "Another activity type has this slug",
  },
  users_role_id_roles_id_fk: { field: "id", rule: "in_use", message: "Users still hold this role" },
  activities_activity_type_id_activity_types_id_fk: {
    field: "id",
    rule: "in_use",
    message: "Activities still use this activity type",
  },
};

function pgErrorOf(error: unknown): PgError | undefined {
  for (let e = error as { cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof (e as PgError).code === "string" && /^[0-9A-Z]{5}$/.test((e as PgError).code!))
      return e as PgError;
    e = e.cause as { cause?: unknown } | undefined;
  }
  return undefined;
}

/**
 * Turns a broken database constraint into the client error it stands for. The application checks
 * first, for good messages; the constraints make races harmless, and this keeps their errors readable.
 */
export function translateDbError(error: unknown, extra: typeof constraints = {}): never {
  const pg = pgErrorOf(error);
  const name = pg?.constraint ?? pg?.constraint_name;
  const known = name ? (extra[name] ?? constraints[name]) : undefined;
  if (pg && known && ["23505", "23503", "23001", "23514"].includes(pg.code ?? "")) {
    const issue: Issue = { ...known, severity: "error" };
    throw new ValidationFailed([issue]);
  }
  if (pg?.code === "23514" && name) {
    // A CHECK constraint named `<table>_<rule>`: report the rule.
    throw new ValidationFailed([
      { field: "input", rule: name, message: `Rule ${name} is broken`, severity: "error" },
    ]);
  }
  throw error;
}

/** Runs a write, translating constraint violations. */
export async function guarded<T>(write: () => Promise<T>, extra?: typeof constraints): Promise<T> {
  try {
    return await write();
  } catch (error) {
    translateDbError(error, extra);
  }
}
