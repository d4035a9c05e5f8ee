import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { User } from "../../lib/graphql/user.type.js";
import * as service from "./auth.service.js";
import { AuthPayload } from "./auth.type.js";

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, {
    description:
      "Admins and coordinators sign in with email and password. TOO_MANY_ATTEMPTS (with retryAfterSeconds and a Retry-After header) while the throttle makes the caller wait",
  })
  login(
    @Arg("email", () => String) email: string,
    @Arg("password", () => String) password: string,
    @Ctx() ctx: Context,
  ) {
    return service.login(ctx, { email, password });
  }

  @Mutation(() => Boolean, {
    description:
      "Mails a participant a one-time sign-in code (valid 10 minutes, 5 guesses); true whether or not the email exists. TOO_MANY_ATTEMPTS (with retryAfterSeconds) when asked too often; NOT_CONFIGURED in production without a mail transport",
  })
  requestSignInCode(@Arg("email", () => String) email: string, @Ctx() ctx: Context) {
    return service.requestSignInCode(ctx, { email });
  }

  @Mutation(() => AuthPayload, {
    description: "Peer mentors and players sign in with email and a one-time code",
  })
  loginWithCode(
    @Arg("email", () => String) email: string,
    @Arg("code", () => String) code: string,
    @Ctx() ctx: Context,
  ) {
    return service.loginWithCode(ctx, { email, code });
  }

  @Authorized()
  @Query(() => User, { description: "The signed-in user" })
  me(@Ctx() ctx: Context) {
    return service.me(ctx);
  }
}
