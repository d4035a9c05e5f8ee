import { asc, type Column, desc, type SQL } from "drizzle-orm";
import { ArgsType, Field, Int, ObjectType } from "type-graphql";
import { invalid } from "../errors.js";

/**
 * The list arguments of react-admin's GraphQL adapter (ra-data-graphql-simple):
 * `allX(page, perPage, sortField, sortOrder, filter)` and `_allXMeta(...)`.
 */
@ArgsType()
export class ListArgs {
  @Field(() => Int, { nullable: true, description: "Zero-based page number" })
  page?: number;

  @Field(() => Int, { nullable: true, description: "Rows per page, at most 500" })
  perPage?: number;

  @Field(() => String, { nullable: true })
  sortField?: string;

  @Field(() => String, { nullable: true, description: "ASC or DESC" })
  sortOrder?: string;
}

@ObjectType({ description: "The count of a list, as react-admin's GraphQL adapter asks for it" })
export class ListMetadata {
  @Field(() => Int)
  count: number;
}

export const MAX_PER_PAGE = 500;

/**
 * Limit, offset and order for a page, with the sort field checked against the resource's explicit list of
 * sortable columns (its own keys, never an inherited property).
 */
export function pageOf(args: ListArgs, sortable: Record<string, Column | SQL>, fallback: string) {
  const perPage = args.perPage ?? 25;
  const page = args.page ?? 0;
  if (perPage < 1 || perPage > MAX_PER_PAGE)
    throw invalid("perPage", "range", `perPage must be 1 to ${MAX_PER_PAGE}`);
  if (page < 0) throw invalid("page", "range", "page must not be negative");
  const field = args.sortField ?? fallback;
  // The resource's own list only: `__proto__`, `constructor` or `toString` are not its columns.
  const column = Object.hasOwn(sortable, field) ? sortable[field] : undefined;
  if (!column) {
    throw invalid("sortField", "one_of", `sortField must be one of ${Object.keys(sortable).join(", ")}`);
  }
  const direction = (args.sortOrder ?? "ASC").toUpperCase();
  if (direction !== "ASC" && direction !== "DESC")
    throw invalid("sortOrder", "one_of", "sortOrder must be ASC or DESC");
  const idTiebreak = Object.hasOwn(sortable, "id") ? sortable.id : undefined;
  const order = [direction === "ASC" ? asc(column) : desc(column)];
  if (idTiebreak && field !== "id") order.push(asc(idTiebreak));
  return { limit: perPage, offset: page * perPage, orderBy: order };
}
