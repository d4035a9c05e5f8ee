import type { Context } from "../context.js";
import { invalid } from "../errors.js";

/** The modules this installation offers (LAUREL_MODULES): the only ones an organization may have. */
export function platformModules(ctx: Context): readonly string[] {
  return ctx.app.env.modules;
}

/** Refuses module ids the installation does not offer, naming the field. */
export function assertKnownModules(ctx: Context, ids: readonly string[], field: string): void {
  const offered = platformModules(ctx);
  const unknown = ids.filter((id) => !offered.includes(id));
  if (unknown.length > 0) {
    throw invalid(
      field,
      "module_unknown",
      `This installation does not offer ${unknown.join(", ")}; it offers ${offered.join(", ") || "no modules"}`,
    );
  }
}
