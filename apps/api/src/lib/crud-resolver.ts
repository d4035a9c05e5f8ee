import type { Permission } from "@laurel/engine";
import { Arg, Args, Authorized, type ClassType, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../context.js";
import { ListArgs, ListMetadata } from "./list.js";

/** What a resource's service offers for react-admin's adapter: reading. */
export type ListService<Row, Filter extends object> = {
  get(ctx: Context, id: string): Promise<Row>;
  list(ctx: Context, args: ListArgs, filter?: Filter): Promise<Row[]>;
  count(ctx: Context, filter?: Filter): Promise<number>;
};

/** ... and writing. */
export type CrudService<
  Row,
  Filter extends object,
  Create extends object,
  Update extends object,
> = ListService<Row, Filter> & {
  create(ctx: Context, args: Create): Promise<Row>;
  update(ctx: Context, args: Update): Promise<Row>;
  remove(ctx: Context, id: string): Promise<Row>;
};

export type ListOptions<Row, Filter extends object> = {
  type: ClassType;
  /** The plural of the type's name: `allUsers`, `_allUsersMeta`. */
  plural: string;
  filter: ClassType<Filter>;
  service: ListService<Row, Filter>;
  /** Any of these lets a caller read; empty: any signed-in caller. */
  read: Permission[];
};

export type CrudOptions<
  Row,
  Filter extends object,
  Create extends object,
  Update extends object,
> = ListOptions<Row, Filter> & {
  createArgs: ClassType<Create>;
  updateArgs: ClassType<Update>;
  service: CrudService<Row, Filter, Create, Update>;
  create: Permission[];
  update: Permission[];
  remove: Permission[];
};

/**
 * The reading half of react-admin's GraphQL adapter (ra-data-graphql-simple) for one resource:
 * `X(id)`, `allXs(page, perPage, sortField, sortOrder, filter)` and `_allXsMeta`. Read-only resources
 * (awards, summaries, calculations ...) extend this.
 */
export function listResolver<Row, Filter extends object>(options: ListOptions<Row, Filter>) {
  const name = options.type.name;
  const { service } = options;

  // Not listed in buildSchema's resolvers itself: only the subclasses are, each adding its own operations.
  @Resolver()
  abstract class ListResolver {
    @Authorized(...options.read)
    @Query(() => options.type, { name })
    getOne(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
      return service.get(ctx, id);
    }

    @Authorized(...options.read)
    @Query(() => [options.type], { name: `all${options.plural}` })
    getList(
      @Args(() => ListArgs) args: ListArgs,
      @Arg("filter", () => options.filter, { nullable: true }) filter: Filter | undefined,
      @Ctx() ctx: Context,
    ) {
      return service.list(ctx, args, filter);
    }

    @Authorized(...options.read)
    @Query(() => ListMetadata, { name: `_all${options.plural}Meta` })
    async getListMeta(
      @Args(() => ListArgs) _args: ListArgs,
      @Arg("filter", () => options.filter, { nullable: true }) filter: Filter | undefined,
      @Ctx() ctx: Context,
    ) {
      return { count: await service.count(ctx, filter) };
    }
  }
  return ListResolver;
}

/**
 * All six operations of the adapter for one resource: the three of `listResolver`, and `createX`,
 * `updateX`, `deleteX` with flat arguments. A resource's resolver extends this and adds its field resolvers.
 */
export function crudResolver<Row, Filter extends object, Create extends object, Update extends object>(
  options: CrudOptions<Row, Filter, Create, Update>,
) {
  const name = options.type.name;
  const { service } = options;

  @Resolver()
  abstract class CrudResolver extends listResolver(options) {
    @Authorized(...options.create)
    @Mutation(() => options.type, { name: `create${name}` })
    createOne(@Args(() => options.createArgs) args: Create, @Ctx() ctx: Context) {
      return service.create(ctx, args);
    }

    @Authorized(...options.update)
    @Mutation(() => options.type, { name: `update${name}` })
    updateOne(@Args(() => options.updateArgs) args: Update, @Ctx() ctx: Context) {
      return service.update(ctx, args);
    }

    @Authorized(...options.remove)
    @Mutation(() => options.type, { name: `delete${name}`, description: "Deletes and returns the row" })
    deleteOne(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
      return service.remove(ctx, id);
    }
  }
  return CrudResolver;
}
