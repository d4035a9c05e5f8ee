import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { GraphQLClient } from "graphql-request";
import { type LaurelResult, toLaurelError } from "./errors.js";
import { type LiveHandler, subscribeLive, webSocketUrl } from "./live.js";
import {
  AllActivityTypesDocument,
  LogActivityDocument,
  type LogActivityMutationVariables,
  LoginWithCodeDocument,
  MarkAnnualSummaryViewedDocument,
  MarkNotificationsReadDocument,
  MeDocument,
  MyActivitiesDocument,
  MyAdvantageDocument,
  MyAnnualSummaryDocument,
  MyBadgesDocument,
  MyEventsDocument,
  type MyEventsSubscription,
  MyNotificationsDocument,
  MyStandingDocument,
  OrganizationEventsDocument,
  type OrganizationEventsSubscription,
  RecordEventDocument,
  type RecordEventMutationVariables,
  RequestSignInCodeDocument,
  SignOutEverywhereDocument,
  CreateWebhookEndpointDocument,
  type CreateWebhookEndpointMutationVariables,
  DeleteWebhookEndpointDocument,
  ReplayWebhookDeliveriesDocument,
  ReplayWebhookDeliveryDocument,
  RotateWebhookEndpointSecretDocument,
  SendTestWebhookDocument,
  UpdateWebhookEndpointDocument,
  type UpdateWebhookEndpointMutationVariables,
  WebhookDeliveriesDocument,
  type WebhookDeliveriesQueryVariables,
  WebhookEndpointDocument,
  WebhookEndpointsDocument,
  type WebhookEndpointsQueryVariables,
  WebhookEventTypesDocument,
  UpdateMyEmailPreferencesDocument,
} from "./generated/graphql.js";

export type LaurelClientOptions = {
  /** The API's GraphQL endpoint. A relative URL ("/graphql") is resolved against the page's location. */
  url: string;
  /** A bearer token from an earlier sign-in. */
  token?: string | null;
  /** An API key of the tenant's backend, for recordEvent. */
  apiKey?: string;
  /** Another fetch (tests, older runtimes). Default: the global one. */
  fetch?: typeof fetch;
  /** Called whenever the token changes: on sign-in and sign-out, to keep it where the app wants. */
  onTokenChange?: (token: string | null) => void;
  /** The WebSocket URL of the subscriptions. Default: `url` with ws:// or wss://. */
  subscriptionUrl?: string;
  /** A WebSocket class where there is no global one (Node before 22: `import WebSocket from "ws"`). */
  webSocketImpl?: unknown;
};

export type MyEvent = MyEventsSubscription["myEvents"];
export type OrganizationEvent = OrganizationEventsSubscription["organizationEvents"];

function absolute(url: string): string {
  // graphql-request needs an absolute URL; in a browser the page's own origin is the natural base.
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  return base ? new URL(url, base).href : new URL(url).href;
}

/**
 * A typed client of Laurel's API. Every method resolves to `{ ok: true, data }` or
 * `{ ok: false, error }` and never rejects: validation failures, missing permissions and network
 * failures alike arrive as a LaurelError the app can show.
 */
export function createLaurelClient(options: LaurelClientOptions) {
  let token = options.token ?? null;
  const graphql = new GraphQLClient(absolute(options.url), {
    ...(options.fetch ? { fetch: options.fetch } : {}),
    // Read per request, so a sign-in or sign-out applies to the next call.
    headers: (): Record<string, string> => ({
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(options.apiKey ? { "x-api-key": options.apiKey } : {}),
    }),
  });

  const live = {
    url: options.subscriptionUrl ?? webSocketUrl(absolute(options.url)),
    webSocketImpl: options.webSocketImpl,
    params: (): Record<string, string> => ({
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(options.apiKey ? { "x-api-key": options.apiKey } : {}),
    }),
  };

  function setToken(next: string | null) {
    token = next;
    options.onTokenChange?.(next);
  }

  /** Runs any generated operation and wraps its outcome. */
  async function request<TData, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TData, TVariables>,
    ...variables: TVariables extends Record<string, never> ? [] : [TVariables]
  ): Promise<LaurelResult<TData>> {
    try {
      const data = await graphql.request<TData, any>(document, variables[0]);
      return { ok: true, data };
    } catch (thrown) {
      return { ok: false, error: toLaurelError(thrown) };
    }
  }

  async function pick<TData, TResult>(
    pending: Promise<LaurelResult<TData>>,
    select: (data: TData) => TResult,
  ): Promise<LaurelResult<TResult>> {
    const result = await pending;
    return result.ok ? { ok: true, data: select(result.data) } : result;
  }

  return {
    request,
    get token() {
      return token;
    },
    setToken,
    signOut() {
      setToken(null);
    },
    /** Ends every session of the signed-in user (every device's token), then this one's. */
    async signOutEverywhere() {
      const result = await pick(request(SignOutEverywhereDocument), (d) => d.signOutEverywhere);
      if (result.ok) setToken(null);
      return result;
    },

    /** Sends a one-time code to a participant's email. */
    requestSignInCode(email: string) {
      return pick(request(RequestSignInCodeDocument, { email }), (d) => d.requestSignInCode);
    },
    /** Signs in with email and one-time code, and keeps the token for the calls that follow. */
    async signInWithCode(email: string, code: string) {
      const result = await pick(request(LoginWithCodeDocument, { email, code }), (d) => d.loginWithCode);
      if (result.ok) setToken(result.data.token);
      return result;
    },
    me() {
      return pick(request(MeDocument), (d) => d.me);
    },
    /** Turns your emails about awards and Wrapped off (true) or on again (false); answers you as you are now. */
    updateMyEmailPreferences(emailOptOut: boolean) {
      return pick(
        request(UpdateMyEmailPreferencesDocument, { emailOptOut }),
        (d) => d.updateMyEmailPreferences,
      );
    },

    /** The badge catalog as you see it, by category and sort order, with your progress. */
    badges() {
      return pick(request(MyBadgesDocument), (d) => d.myBadges);
    },
    standing() {
      return pick(request(MyStandingDocument), (d) => d.myStanding);
    },
    notifications(args: { limit?: number; unreadOnly?: boolean } = {}) {
      return pick(request(MyNotificationsDocument, args), (d) => d.myNotifications);
    },
    markNotificationsRead(ids?: string[]) {
      return pick(
        request(MarkNotificationsReadDocument, { ids: ids ?? null }),
        (d) => d.markNotificationsRead,
      );
    },

    activityTypes() {
      return pick(request(AllActivityTypesDocument), (d) => d.allActivityTypes);
    },
    /** Logs an activity; the result's awards are the badges it unlocked, with their rewards. */
    logActivity(input: LogActivityMutationVariables) {
      return pick(request(LogActivityDocument, input), (d) => d.logActivity);
    },
    activities(limit?: number) {
      return pick(request(MyActivitiesDocument, { limit: limit ?? null }), (d) => d.myActivities);
    },
    /** Reports an event for a user: needs an API key with ingest:events (or a permitted token). */
    recordEvent(input: RecordEventMutationVariables) {
      return pick(request(RecordEventDocument, input), (d) => d.recordEvent);
    },

    /** Your Wrapped for a year; the current year is a year-to-date preview (isPreview). */
    annualSummary(year: number) {
      return pick(request(MyAnnualSummaryDocument, { year }), (d) => d.myAnnualSummary);
    },
    markAnnualSummaryViewed(year: number) {
      return pick(request(MarkAnnualSummaryViewedDocument, { year }), (d) => d.markAnnualSummaryViewed);
    },
    /** What your volunteer work in a year is worth, in the organization's currency. */
    advantage(year: number) {
      return pick(request(MyAdvantageDocument, { year }), (d) => d.myAdvantage);
    },

    /** The organization's webhook endpoints and their deliveries: needs manage:webhooks (organization admins). */
    webhooks: {
      /** The outbox event types an endpoint may receive. */
      eventTypes() {
        return pick(request(WebhookEventTypesDocument), (d) => d.webhookEventTypes);
      },
      list(args: WebhookEndpointsQueryVariables = {}) {
        return pick(request(WebhookEndpointsDocument, args), (d) => ({
          endpoints: d.allWebhookEndpoints,
          total: d._allWebhookEndpointsMeta.count,
        }));
      },
      get(id: string) {
        return pick(request(WebhookEndpointDocument, { id }), (d) => d.WebhookEndpoint);
      },
      /** Registers an endpoint; the answer's `secret` is shown this once. */
      create(input: CreateWebhookEndpointMutationVariables) {
        return pick(request(CreateWebhookEndpointDocument, input), (d) => d.createWebhookEndpoint);
      },
      /** `enabled: true` enables a disabled endpoint again (and clears its failure streak). */
      update(input: UpdateWebhookEndpointMutationVariables) {
        return pick(request(UpdateWebhookEndpointDocument, input), (d) => d.updateWebhookEndpoint);
      },
      remove(id: string) {
        return pick(request(DeleteWebhookEndpointDocument, { id }), (d) => d.deleteWebhookEndpoint);
      },
      /** A new secret, shown this once; the old one keeps signing for `overlapHours` (24 by default, 0 to 168). */
      rotateSecret(id: string, overlapHours?: number) {
        return pick(
          request(RotateWebhookEndpointSecretDocument, { id, overlapHours: overlapHours ?? null }),
          (d) => d.rotateWebhookEndpointSecret,
        );
      },
      sendTest(id: string) {
        return pick(request(SendTestWebhookDocument, { id }), (d) => d.sendTestWebhook);
      },
      deliveries(args: WebhookDeliveriesQueryVariables = {}) {
        return pick(request(WebhookDeliveriesDocument, args), (d) => ({
          deliveries: d.allWebhookDeliveries,
          total: d._allWebhookDeliveriesMeta.count,
        }));
      },
      replay(id: string) {
        return pick(request(ReplayWebhookDeliveryDocument, { id }), (d) => d.replayWebhookDelivery);
      },
      /** Replays every failed delivery of the endpoint made since `since`; returns how many. */
      replayFailed(endpointId: string, since: Date | string) {
        const at = typeof since === "string" ? since : since.toISOString();
        return pick(
          request(ReplayWebhookDeliveriesDocument, { endpointId, since: at }),
          (d) => d.replayWebhookDeliveries,
        );
      },
    },
    /**
     * Live events over WebSocket, each subscription on a connection of its own that reconnects by itself.
     * Each returns the function that stops it.
     */
    subscribe: {
      /** Your own events as they happen: an award with its `award` (as logActivity returns it), progress ... */
      myEvents(handler: LiveHandler<MyEvent>, filter: { types?: string[] } = {}) {
        return subscribeLive(live, MyEventsDocument, filter, (d) => d.myEvents, handler);
      },
      /** Every event of your organization: needs read:events (an admin, or an API key holding it). */
      organizationEvents(
        handler: LiveHandler<OrganizationEvent>,
        filter: { types?: string[]; organizationId?: string } = {},
      ) {
        return subscribeLive(live, OrganizationEventsDocument, filter, (d) => d.organizationEvents, handler);
      },
    },
  };
}

export type LaurelClient = ReturnType<typeof createLaurelClient>;
